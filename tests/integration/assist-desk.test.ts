/**
 * The assist desk's 修改活动 (admin.updateAssistCampaign's title and end time) on real PostgreSQL: what
 * the shopper then reads, bad input refused with its field and nothing changed, an ended campaign
 * refused, and an edit raced with the end.
 */
import { createProduct, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

const HOUR = 3_600_000
let stack: Stack
let admin: string
let product: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  product = await createProduct(stack, admin, { priceFen: 5900, stock: 100 })
}, 90_000)
afterAll(async () => {
  await stack?.stop()
})

const startsAt = () => new Date(Date.now() - HOUR).toISOString()
async function campaign() {
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '砍价到9元',
      face: 'price_cut',
      productId: product,
      cutPerHelpFen: 1000,
      helpsNeeded: 5,
      taskHours: 24,
      startsAt: startsAt(),
      endsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
    },
    admin,
  )
  return campaignId as string
}
const update = (campaignId: string, fields: Record<string, unknown>) =>
  stack.call('admin', { action: 'updateAssistCampaign', campaignId, ...fields }, admin)
const code = (r: { body: any }) => (r.body.ok ? 'OK' : r.body.error.code)
const stored = async (id: string) =>
  (await sql(stack, 'SELECT title, status, starts_at, ends_at, helps_needed FROM assist_campaigns WHERE id = $1', [id]))[0]

test('the title and the end time change together; the desk and the shopper read them', async () => {
  const c = await campaign()
  const endsAt = new Date(Date.now() + 72 * HOUR).toISOString()
  // The title is cleaned as people's text (spaces around trimmed).
  const r = await update(c, { title: '  五位好友砍到9元  ', endsAt })
  expect(code(r)).toBe('OK')
  expect((r.body as any).data.campaign).toMatchObject({ title: '五位好友砍到9元', endsAt, status: 'active' })
  expect((await stack.ok('admin', { action: 'assistCampaign', campaignId: c }, admin)).campaign).toMatchObject({
    title: '五位好友砍到9元',
    endsAt,
  })
  const { campaign: shown } = await stack.ok('assist', { action: 'campaign', campaignId: c }, (await stack.login('ad-shopper')).token)
  expect(shown).toMatchObject({ title: '五位好友砍到9元', endsAt })
  // The terms are untouched by it.
  expect((await stored(c)).helps_needed).toBe(5)
})

test('bad input: the field named, nothing changed', async () => {
  const c = await campaign()
  const before = await stored(c)
  const field = (r: { body: any }) => r.body.error?.details?.[0]?.path
  for (const [fields, path] of [
    [{ title: '   ' }, 'title'],
    [{ title: '好'.repeat(31) }, 'title'],
    [{ endsAt: new Date(Date.now() - 60_000).toISOString() }, 'endsAt'],
    [{ endsAt: new Date(Date.now() - 2 * HOUR).toISOString() }, 'endsAt'],
    [{ title: '新名字', endsAt: 'tomorrow' }, 'endsAt'],
  ] as const) {
    const r = await update(c, fields)
    expect(code(r)).toBe('VALIDATION_FAILED')
    expect(String(field(r))).toContain(path)
  }
  expect(await stored(c)).toEqual(before)
})

test('an ended campaign takes no title or end time (ASSIST_ENDED), nothing changed', async () => {
  const c = await campaign()
  expect(code(await update(c, { status: 'ended' }))).toBe('OK')
  const before = await stored(c)
  expect((await update(c, { title: '新名字' })).body).toMatchObject({
    ok: false,
    error: { code: 'ASSIST_ENDED', message: '活动已结束，不能修改' },
  })
  expect(code(await update(c, { endsAt: new Date(Date.now() + 96 * HOUR).toISOString() }))).toBe('ASSIST_ENDED')
  expect(await stored(c)).toEqual(before)
})

test('a title edit raced with the end: it lands before the end or is refused; ended either way', async () => {
  const c = await campaign()
  const [edit, ended] = await Promise.all([update(c, { title: '改过的名字' }), update(c, { status: 'ended' })])
  expect(code(ended)).toBe('OK')
  expect(['OK', 'ASSIST_ENDED']).toContain(code(edit))
  const row = await stored(c)
  expect(row.status).toBe('ended')
  expect(row.title).toBe(code(edit) === 'OK' ? '改过的名字' : '砍价到9元')
})

test('a campaign whose window has passed is ended: no later end time or resume revives it or its expired tasks', async () => {
  const c = await campaign()
  const starter = await stack.login(`assist-desk-revive-${Date.now()}`, '发起人')
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, starter.token)
  await sql(stack, `UPDATE assist_campaigns SET ends_at = now() - interval '1 minute' WHERE id = $1`, [c])
  const before = await stored(c)
  const task = await stack.ok('assist', { action: 'task', taskId }, starter.token)
  for (const fields of [
    { endsAt: new Date(Date.now() + 48 * HOUR).toISOString() },
    { status: 'active' },
    { status: 'paused' },
    { status: 'ended' },
    { title: '复活' },
  ]) {
    expect((await update(c, fields)).body).toMatchObject({ ok: false, error: { code: 'ASSIST_ENDED' } })
  }
  expect(await stored(c)).toEqual(before)
  // The task stays as it was (over), and a friend's help is not counted.
  expect((await stack.ok('assist', { action: 'task', taskId }, starter.token)).status).toBe(task.status)
  const helper = await stack.login(`assist-desk-helper-${Date.now()}`, '好友')
  const h = await stack.call('assist', { action: 'help', taskId }, helper.token)
  expect(h.body.ok ? (h.body as any).data.counted : false).not.toBe(true)
  expect((await sql(stack, 'SELECT count(*)::int AS n FROM assist_helps WHERE task_id = $1 AND counted', [taskId]))[0].n).toBe(0)
})

test('an end time moved earlier: the task page, the list and the buy deadline count to the campaign’s new end', async () => {
  const c = await campaign()
  const starter = await stack.login(`assist-desk-earlier-${Date.now()}`, '发起人')
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId: c }, starter.token)
  const before = await stack.ok('assist', { action: 'task', taskId }, starter.token)
  // 24-hour tasks, 48 hours of campaign: the task runs its own 24 hours.
  expect(new Date(before.expiresAt).getTime()).toBeGreaterThan(Date.now() + 23 * HOUR)
  const earlier = new Date(Date.now() + 2 * HOUR).toISOString()
  expect(code(await update(c, { endsAt: earlier }))).toBe('OK')
  const after = await stack.ok('assist', { action: 'task', taskId }, starter.token)
  expect(after.expiresAt).toBe(earlier)
  expect(after.purchase).toMatchObject({ buyUntil: earlier })
  const { myTasks } = await stack.ok('assist', { action: 'list' }, starter.token)
  expect(myTasks.find((t: any) => t.taskId === taskId).expiresAt).toBe(earlier)
  // Moved later again, past the task's own 24 hours: the task counts to its own end again.
  const later = new Date(Date.now() + 40 * HOUR).toISOString()
  expect(code(await update(c, { endsAt: later }))).toBe('OK')
  expect((await stack.ok('assist', { action: 'task', taskId }, starter.token)).expiresAt).toBe(before.expiresAt)
})
