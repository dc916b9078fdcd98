/**
 * The ways into membership on a real stack: phone sign-up through the sandbox getPhoneNumber, and
 * 朋友会员 through the sandbox 企业微信, whose events reach the shop through the real HTTP callback,
 * signed and encrypted as WeCom does — raced, replayed, out of order, tampered with.
 */
import { randomBytes } from 'node:crypto'
import http from 'node:http'
import { encryptMessage, signatureOf, xmlOf, type WecomKeys } from '../../cloud/adapters/wecom/crypto'
import { WECOM_BODY_LIMIT } from '../../cloud/adapters/wecom/callback'
import { SANDBOX_WECOM_REMOVE_PATH, SANDBOX_WECOM_KEYS, SANDBOX_WECOM_USER_ID } from '../../cloud/adapters/wecom/sandbox'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let keys: WecomKeys

beforeAll(async () => {
  stack = await startStack()
  const [row] = await sql(stack, 'SELECT value FROM settings WHERE key = $1', [SANDBOX_WECOM_KEYS])
  keys = JSON.parse(row.value) as WecomKeys
}, 90_000)
afterAll(() => stack?.stop())

const login = async (openid: string) => {
  const { token, user } = await stack.login(openid)
  return { token, userId: user.id as string }
}
const membership = async (userId: string) =>
  (await sql(stack, 'SELECT m.*, membership_active(m) AS active FROM memberships m WHERE user_id = $1', [userId]))[0] ?? null
const join = (token: string, code: string) => stack.call('member', { action: 'joinByPhone', code }, token)
const contact = (token: string) => stack.ok('member', { action: 'wecomContact' }, token)
const stateOf = async (userId: string) => (await sql(stack, 'SELECT state FROM wecom_contact_ways WHERE user_id = $1', [userId]))[0].state
const countEvents = async (externalUserId: string) =>
  (await sql(stack, 'SELECT count(*)::int AS n FROM wecom_events WHERE external_user_id = $1', [externalUserId]))[0].n

/** Posts to a sandbox URL the contract answered (absolute, on the stack's host). */
async function postUrl(url: string, body: object = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
  return (await res.json()) as { ok: boolean; data: { delivered: boolean; status: number } }
}

/** A callback request as WeCom sends it, made here with the sandbox's keys (or others, to tamper). */
function wecomRequest(fields: Record<string, string | number>, k: WecomKeys = keys) {
  const encrypted = encryptMessage(k, xmlOf(fields))
  const timestamp = String(Math.floor(Date.now() / 1000))
  const nonce = randomBytes(6).toString('hex')
  return {
    query: { msg_signature: signatureOf(k.token, timestamp, nonce, encrypted), timestamp, nonce },
    body: xmlOf({ ToUserName: k.corpId, AgentID: '', Encrypt: encrypted }),
  }
}
const addEvent = (externalUserId: string, state: string, createTime: number) => ({
  ToUserName: keys.corpId,
  FromUserName: 'sys',
  CreateTime: createTime,
  MsgType: 'event',
  Event: 'change_external_contact',
  ChangeType: 'add_external_contact',
  UserID: SANDBOX_WECOM_USER_ID,
  ExternalUserID: externalUserId,
  State: state,
})
async function postCallback(req: { query: Record<string, string>; body: string }) {
  const res = await fetch(`${stack.url}/api/wecom/callback?${new URLSearchParams(req.query)}`, {
    method: 'POST',
    headers: { 'content-type': 'text/xml' },
    body: req.body,
  })
  return { status: res.status, text: await res.text() }
}
const now = () => Math.floor(Date.now() / 1000)

describe('phone sign-up', () => {
  test('a sandbox code makes the caller a member; the answer is masked; the same number again changes nothing', async () => {
    const a = await login('phone-a')
    expect(await membership(a.userId)).toBeNull()
    const r = await join(a.token, 'sandbox-phone:13800138000')
    expect(r.body).toEqual({ ok: true, data: { phone: '138****8000' } })
    const m = await membership(a.userId)
    expect(m).toMatchObject({ phone: '13800138000', active: true })
    const again = await join(a.token, 'sandbox-phone:13800138000')
    expect(again.body).toEqual({ ok: true, data: { phone: '138****8000' } })
    expect((await membership(a.userId)).phone_at).toEqual(m.phone_at)
  })

  test('a code WeChat would refuse, a number from outside the mainland and bad input are refused and change nothing', async () => {
    const b = await login('phone-b')
    const bad = await join(b.token, 'not-a-code')
    expect(bad.status).toBe(409)
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'PHONE_CODE_INVALID', message: '手机号验证已失效，请重新点击获取' } })
    const abroad = await join(b.token, 'sandbox-phone:12345678901')
    expect(abroad.body).toMatchObject({ ok: false, error: { code: 'PHONE_NOT_MAINLAND' } })
    const empty = await join(b.token, '   ')
    expect(empty.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const anonymous = await stack.call('member', { action: 'joinByPhone', code: 'sandbox-phone:13800138001' })
    expect(anonymous.body).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
    expect(await membership(b.userId)).toBeNull()
  })

  test('8 copies of one code raced: the attempt limit lets 5 through, one membership, one number', async () => {
    const c = await login('phone-c')
    const results = await Promise.all(Array.from({ length: 8 }, () => join(c.token, 'sandbox-phone:13900139000')))
    const ok = results.filter((r) => r.body.ok)
    expect(ok).toHaveLength(5)
    for (const r of ok) expect(r.body).toEqual({ ok: true, data: { phone: '139****9000' } })
    for (const r of results.filter((x) => !x.body.ok)) expect(r.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
    const rows = await sql(stack, 'SELECT user_id FROM memberships WHERE phone = $1', ['13900139000'])
    expect(rows).toEqual([{ user_id: c.userId }])
  })

  test('a number another customer holds is refused, also when two race for it', async () => {
    const d = await login('phone-d')
    const e = await login('phone-e')
    expect((await join(d.token, 'sandbox-phone:13700137000')).body.ok).toBe(true)
    const taken = await join(e.token, 'sandbox-phone:13700137000')
    expect(taken.body).toMatchObject({ ok: false, error: { code: 'PHONE_TAKEN' } })
    expect(await membership(e.userId)).toBeNull()

    const racers = await Promise.all(['phone-f', 'phone-g', 'phone-h', 'phone-i'].map(login))
    const results = await Promise.all(racers.map((r) => join(r.token, 'sandbox-phone:13600136000')))
    expect(results.filter((r) => r.body.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.body.ok && r.body.error.code === 'PHONE_TAKEN')).toHaveLength(3)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM memberships WHERE phone = $1', ['13600136000'])).toEqual([{ n: 1 }])
  })
})

describe('朋友会员 through the sandbox 企业微信', () => {
  test('the 联系我 code is made once per customer, raced or not', async () => {
    const u = await login('wecom-once')
    const answers = await Promise.all(Array.from({ length: 6 }, () => contact(u.token)))
    expect(new Set(answers.map((a) => a.qrCodeUrl)).size).toBe(1)
    expect(answers[0]).toMatchObject({ added: false, sandboxAddUrl: expect.stringContaining('/api/sandbox/wecom/add?state=') })
    expect(answers[0].qrCodeUrl).toMatch(/^\/media\/qr\.svg\?text=/)
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM wecom_contact_ways WHERE user_id = $1', [u.userId])).toEqual([{ n: 1 }])
    const state = await stateOf(u.userId)
    expect(state.length).toBeLessThanOrEqual(30)
  })

  test('adding the contact (the sandbox sends the signed, encrypted event to the callback) makes the customer a member; deleting it ends that way', async () => {
    const u = await login('wecom-add')
    const way = await contact(u.token)
    const sent = await postUrl(way.sandboxAddUrl)
    expect(sent).toEqual({ ok: true, data: { delivered: true, status: 200 } })
    expect(await contact(u.token)).toMatchObject({ added: true })
    expect(await membership(u.userId)).toMatchObject({ active: true, wecom_removed_at: null })
    expect(stack.output()).toContain('"event":"wecom_event","change":"add_external_contact","outcome":"applied"')

    const removed = await stack.post(SANDBOX_WECOM_REMOVE_PATH, { state: await stateOf(u.userId), createTime: now() + 5 })
    expect(removed.body).toEqual({ ok: true, data: { delivered: true, status: 200 } })
    expect(await contact(u.token)).toMatchObject({ added: false })
    const m = await membership(u.userId)
    expect(m.active).toBe(false)
    expect(m.wecom_removed_at).not.toBeNull()

    // Added again later: a member again. A phone keeps the membership whatever the contact does.
    await postUrl(way.sandboxAddUrl, { createTime: now() + 10 })
    expect(await membership(u.userId)).toMatchObject({ active: true, wecom_removed_at: null })
    expect((await join(u.token, 'sandbox-phone:13500135000')).body.ok).toBe(true)
    await stack.post(SANDBOX_WECOM_REMOVE_PATH, {
      state: await stateOf(u.userId),
      changeType: 'del_external_contact',
      createTime: now() + 15,
    })
    expect(await membership(u.userId)).toMatchObject({ active: true, phone: '13500135000' })
    expect((await membership(u.userId)).wecom_removed_at).not.toBeNull()
  })

  test('a tampered signature, another corp and a payload that does not decrypt are refused and change nothing', async () => {
    const u = await login('wecom-forged')
    await contact(u.token)
    const state = await stateOf(u.userId)
    const external = `wmforged${randomBytes(4).toString('hex')}`
    const rejectedBefore = (await sql(stack, `SELECT count(*)::int AS n FROM payment_notify_rejections WHERE provider = 'wecom'`))[0].n

    const good = wecomRequest(addEvent(external, state, now()))
    const tampered = {
      ...good,
      query: { ...good.query, msg_signature: good.query.msg_signature.replace(/^./, (c) => (c === 'a' ? 'b' : 'a')) },
    }
    expect(await postCallback(tampered)).toEqual({ status: 401, text: 'invalid request' })
    // Signed over another timestamp than the one sent.
    expect((await postCallback({ ...good, query: { ...good.query, timestamp: String(Number(good.query.timestamp) + 1) } })).status).toBe(
      401,
    )

    // Encrypted for another corp (the right key, the wrong receiveid), signed correctly.
    const otherCorp = wecomRequest(addEvent(external, state, now()), { ...keys, corpId: 'wwsomeoneelse' })
    expect((await postCallback(otherCorp)).status).toBe(401)

    // Signed correctly, but the ciphertext isn't one: random bytes, and a truncated block.
    for (const encrypted of [randomBytes(64).toString('base64'), encryptMessage(keys, 'x').slice(0, 24)]) {
      const timestamp = String(now())
      const body = xmlOf({ ToUserName: keys.corpId, Encrypt: encrypted })
      const r = await postCallback({
        query: { msg_signature: signatureOf(keys.token, timestamp, 'n1', encrypted), timestamp, nonce: 'n1' },
        body,
      })
      expect(r.status).toBe(401)
    }
    // Not even XML, and no query at all.
    expect((await postCallback({ query: good.query, body: 'hello' })).status).toBe(401)
    expect((await postCallback({ query: {}, body: good.body })).status).toBe(401)

    expect(await countEvents(external)).toBe(0)
    expect(await membership(u.userId)).toBeNull()
    const rejectedAfter = (await sql(stack, `SELECT count(*)::int AS n FROM payment_notify_rejections WHERE provider = 'wecom'`))[0].n
    expect(rejectedAfter).toBeGreaterThan(rejectedBefore)
    expect(stack.output()).toContain('"event":"wecom_callback_refused","reason":"BAD_SIGNATURE"')
    expect(stack.output()).toContain('"reason":"WRONG_RECEIVER"')

    // The untampered request is still good.
    expect(await postCallback(good)).toEqual({ status: 200, text: 'success' })
    expect(await membership(u.userId)).toMatchObject({ active: true })
  })

  test('the same event replayed and raced is applied once', async () => {
    const u = await login('wecom-replay')
    await contact(u.token)
    const state = await stateOf(u.userId)
    const external = `wmreplay${randomBytes(4).toString('hex')}`
    const t = now()
    const add = wecomRequest(addEvent(external, state, t))
    // The same event as WeCom retries it: re-encrypted, another nonce and timestamp, the same content.
    const retries = [add, ...Array.from({ length: 5 }, () => wecomRequest(addEvent(external, state, t)))]
    const answers = await Promise.all([...retries, ...retries].map(postCallback))
    for (const a of answers) expect(a).toEqual({ status: 200, text: 'success' })
    expect(await countEvents(external)).toBe(1)
    expect(await sql(stack, 'SELECT outcome FROM wecom_events WHERE external_user_id = $1', [external])).toEqual([{ outcome: 'applied' }])
    expect(await membership(u.userId)).toMatchObject({ active: true, wecom_external_id: external })
    // Replays write nothing at all: the contact's row is as the first delivery left it.
    const touched = async () =>
      (await sql(stack, 'SELECT updated_at FROM wecom_contacts WHERE external_user_id = $1', [external]))[0].updated_at
    const before = await touched()
    for (const a of await Promise.all(retries.map(postCallback))) expect(a.status).toBe(200)
    expect(await touched()).toEqual(before)

    // A removal and its replays, raced with more replays of the add: removed once, the add still once.
    const remove = {
      ...addEvent(external, state, t + 1),
      ChangeType: 'del_follow_user',
      State: '',
    }
    const removes = Array.from({ length: 4 }, () => wecomRequest(remove))
    const mixed = await Promise.all([...removes, ...retries].map(postCallback))
    for (const a of mixed) expect(a.status).toBe(200)
    expect(await countEvents(external)).toBe(2)
    expect(await membership(u.userId)).toMatchObject({ active: false })
  })

  test('a delete that arrives before its add leaves no member behind', async () => {
    const u = await login('wecom-late-add')
    const external = `wmlate${randomBytes(4).toString('hex')}`
    const t = now()
    const removed = await stack.post(SANDBOX_WECOM_REMOVE_PATH, { externalUserId: external, createTime: t + 30 })
    expect(removed.body).toMatchObject({ ok: true, data: { delivered: true } })
    expect(await membership(u.userId)).toBeNull()
    const way = await contact(u.token)
    await postUrl(way.sandboxAddUrl, { externalUserId: external, createTime: t })
    const m = await membership(u.userId)
    expect(m).toMatchObject({ active: false, wecom_external_id: external })
    expect(new Date(m.wecom_removed_at).getTime()).toBe((t + 30) * 1000)
    expect(await contact(u.token)).toMatchObject({ added: false })
    expect(await sql(stack, 'SELECT outcome FROM wecom_events WHERE external_user_id = $1 ORDER BY create_time', [external])).toEqual([
      { outcome: 'stale' },
      { outcome: 'applied' },
    ])
    // A newer add makes them a member.
    await postUrl(way.sandboxAddUrl, { externalUserId: external, createTime: t + 60 })
    expect(await membership(u.userId)).toMatchObject({ active: true })
  })

  test('a delete and its add of the same second leave no member, whichever arrives first', async () => {
    const t = now()
    const deleteFirst = await login('wecom-same-second-1')
    const addFirst = await login('wecom-same-second-2')
    for (const [u, order] of [
      [deleteFirst, ['remove', 'add']],
      [addFirst, ['add', 'remove']],
    ] as const) {
      await contact(u.token)
      const state = await stateOf(u.userId)
      const external = `wmsame${randomBytes(4).toString('hex')}`
      const requests = {
        add: wecomRequest(addEvent(external, state, t)),
        remove: wecomRequest({ ...addEvent(external, state, t), ChangeType: 'del_follow_user', State: '' }),
      }
      for (const change of order) expect(await postCallback(requests[change])).toEqual({ status: 200, text: 'success' })
      const m = await membership(u.userId)
      expect(m).toMatchObject({ active: false, wecom_external_id: external })
      expect(new Date(m.wecom_removed_at).getTime()).toBe(t * 1000)
      expect(await contact(u.token)).toMatchObject({ added: false })
      expect(
        await sql(stack, 'SELECT change_type, outcome FROM wecom_events WHERE external_user_id = $1 ORDER BY change_type', [external]),
      ).toEqual([
        { change_type: 'add_external_contact', outcome: order[0] === 'remove' ? 'stale' : 'applied' },
        { change_type: 'del_follow_user', outcome: 'applied' },
      ])
      // The next second's add makes them a member again.
      expect((await postCallback(wecomRequest(addEvent(external, state, t + 1)))).status).toBe(200)
      expect(await membership(u.userId)).toMatchObject({ active: true, wecom_removed_at: null })
    }
  })

  test('a signed event with NUL in a field is refused as a bad event before the database, and logged', async () => {
    const u = await login('wecom-nul')
    await contact(u.token)
    const state = await stateOf(u.userId)
    const external = `wmnul${randomBytes(4).toString('hex')}`
    const refusedBefore = async () =>
      (await sql(stack, `SELECT count(*)::int AS n FROM payment_notify_rejections WHERE provider = 'wecom' AND reason = 'BAD_EVENT'`))[0]
        .n as number
    const before = await refusedBefore()
    const bad = [
      { ...addEvent(`${external}\u0000x`, state, now()), ChangeType: 'del_follow_user', State: '' },
      addEvent(`${external}\u0000x`, state, now()),
      { ...addEvent(external, state, now()), UserID: 'guide\u0000' },
      addEvent(external, `${state}\u0000`, now()),
    ]
    for (const fields of bad) expect(await postCallback(wecomRequest(fields))).toEqual({ status: 401, text: 'invalid request' })
    expect(await refusedBefore()).toBe(before + bad.length)
    expect(stack.output()).toContain('"event":"wecom_callback_refused","reason":"BAD_EVENT"')
    expect(await sql(stack, `SELECT count(*)::int AS n FROM wecom_events WHERE external_user_id LIKE $1`, [`${external}%`])).toEqual([
      { n: 0 },
    ])
    expect(await membership(u.userId)).toBeNull()
    // The sandbox refuses such an id itself.
    const sandbox = await stack.post(SANDBOX_WECOM_REMOVE_PATH, { externalUserId: 'wm\u0000x' })
    expect(sandbox.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    // The clean event is taken.
    expect(await postCallback(wecomRequest(addEvent(external, state, now())))).toEqual({ status: 200, text: 'success' })
    expect(await membership(u.userId)).toMatchObject({ active: true })
  })

  test('a CreateTime far ahead of the server clock or before 2015 is refused; the real delete still ends the way', async () => {
    const u = await login('wecom-future')
    const way = await contact(u.token)
    const state = await stateOf(u.userId)
    const external = `wmfuture${randomBytes(4).toString('hex')}`
    for (const createTime of [999_999_999_999, now() + 3600, now() + 400, 1_000, 1_420_070_399]) {
      expect(await postCallback(wecomRequest(addEvent(external, state, createTime)))).toEqual({ status: 401, text: 'invalid request' })
    }
    expect(await countEvents(external)).toBe(0)
    expect(await membership(u.userId)).toBeNull()
    // The sandbox refuses them too.
    for (const createTime of [999_999_999_999, now() + 3600, 1_000]) {
      const add = await stack.post(new URL(way.sandboxAddUrl).pathname + new URL(way.sandboxAddUrl).search, { createTime })
      expect(add.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
      const remove = await stack.post(SANDBOX_WECOM_REMOVE_PATH, { state, createTime })
      expect(remove.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    }
    expect(await countEvents(external)).toBe(0)
    // A few seconds of skew is fine; the real add and the delete after it apply.
    expect(await postCallback(wecomRequest(addEvent(external, state, now() + 5)))).toEqual({ status: 200, text: 'success' })
    expect(await membership(u.userId)).toMatchObject({ active: true, wecom_external_id: external })
    const remove = { ...addEvent(external, state, now() + 10), ChangeType: 'del_follow_user', State: '' }
    expect(await postCallback(wecomRequest(remove))).toEqual({ status: 200, text: 'success' })
    expect(await membership(u.userId)).toMatchObject({ active: false })
    expect(await sql(stack, 'SELECT outcome FROM wecom_events WHERE external_user_id = $1 ORDER BY create_time', [external])).toEqual([
      { outcome: 'applied' },
      { outcome: 'applied' },
    ])
  })

  test('a body larger than WeCom sends is refused unread; a pathological one of the allowed size is refused at once', async () => {
    const external = `wmbig${randomBytes(4).toString('hex')}`
    const good = wecomRequest(addEvent(external, 'nostate', now()))
    const unit = '<a><![CDATA['
    const attack = `<xml>${unit.repeat(5400)}</xml>`
    expect(attack.length).toBeGreaterThan(WECOM_BODY_LIMIT)
    expect(await postCallback({ query: good.query, body: attack })).toEqual({ status: 413, text: 'request too large' })
    expect((await postCallback({ query: good.query, body: good.body + ' '.repeat(WECOM_BODY_LIMIT) })).status).toBe(413)
    expect(stack.output()).toContain('"event":"wecom_callback_refused","reason":"TOO_LARGE"')
    const atLimit = `<xml>${unit.repeat(Math.floor((WECOM_BODY_LIMIT - 11) / unit.length))}</xml>`
    const answers = await Promise.all(Array.from({ length: 40 }, () => postCallback({ query: good.query, body: atLimit })))
    for (const a of answers) expect(a).toEqual({ status: 401, text: 'invalid request' })
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200)
    expect(stack.output()).toContain('"event":"wecom_callback_refused","reason":"BAD_PAYLOAD"')
    // The real body, as WeCom sends it, is well within the limit and taken.
    expect(good.body.length).toBeLessThan(WECOM_BODY_LIMIT / 4)
    expect(await postCallback(good)).toEqual({ status: 200, text: 'success' })
    expect(await countEvents(external)).toBe(1)
  })

  test('one WeCom contact makes one member: an add through another customer’s code leaves it with the first', async () => {
    const first = await login('wecom-first')
    const second = await login('wecom-second')
    const external = `wmshared${randomBytes(4).toString('hex')}`
    await postUrl((await contact(first.token)).sandboxAddUrl, { externalUserId: external, createTime: now() })
    await postUrl((await contact(second.token)).sandboxAddUrl, { externalUserId: external, createTime: now() + 1 })
    expect(await membership(first.userId)).toMatchObject({ active: true, wecom_external_id: external })
    expect(await membership(second.userId)).toBeNull()
  })

  test('the URL verification echoes the decrypted echostr, and only when signed', async () => {
    const echo = `echo-${randomBytes(6).toString('hex')}`
    const echostr = encryptMessage(keys, echo)
    const timestamp = String(now())
    const q = { msg_signature: signatureOf(keys.token, timestamp, 'abc', echostr), timestamp, nonce: 'abc', echostr }
    const res = await fetch(`${stack.url}/api/wecom/callback?${new URLSearchParams(q)}`)
    expect(res.status).toBe(200)
    expect(await res.text()).toBe(echo)
    const forged = await fetch(`${stack.url}/api/wecom/callback?${new URLSearchParams({ ...q, nonce: 'abd' })}`)
    expect(forged.status).toBe(401)
    const otherCorp = encryptMessage({ ...keys, corpId: 'wwother' }, echo)
    const q2 = { msg_signature: signatureOf(keys.token, timestamp, 'abc', otherCorp), timestamp, nonce: 'abc', echostr: otherCorp }
    expect((await fetch(`${stack.url}/api/wecom/callback?${new URLSearchParams(q2)}`)).status).toBe(401)
  })

  test('the sandbox routes refuse bad input', async () => {
    const bad = await stack.post('/api/sandbox/wecom/add?state=%3Cscript%3E', {})
    expect(bad.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const noTarget = await stack.post(SANDBOX_WECOM_REMOVE_PATH, {})
    expect(noTarget.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    const page = await fetch(`${stack.url}/api/sandbox/wecom/contact?state=ms0123`)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('添加到通讯录')
  })
})

describe('会员渠道 (admin.memberWays)', () => {
  test('members by way, the week’s sign-ups and events, refused callbacks by reason, the newest events; staff only', async () => {
    const admin = (await stack.login('admin')).token
    const ways = await stack.ok('admin', { action: 'memberWays' }, admin)
    const [db] = await sql(
      stack,
      `SELECT count(*) FILTER (WHERE membership_active(m))::int AS members, count(phone)::int AS phone,
              count(*) FILTER (WHERE wecom_external_id IS NOT NULL AND wecom_removed_at IS NULL)::int AS wecom,
              count(wecom_removed_at)::int AS ended FROM memberships m`,
    )
    expect(ways).toMatchObject({
      wecom: 'sandbox',
      members: db.members,
      phoneMembers: db.phone,
      wecomMembers: db.wecom,
      wecomEnded: db.ended,
    })
    // The tests above made members both ways and ended some contacts.
    expect(db.phone).toBeGreaterThan(0)
    expect(db.wecom).toBeGreaterThan(0)
    expect(db.ended).toBeGreaterThan(0)
    const [applied] = await sql(
      stack,
      `SELECT count(*) FILTER (WHERE change_type = 'add_external_contact')::int AS adds,
              count(*) FILTER (WHERE change_type <> 'add_external_contact')::int AS removes
       FROM wecom_events WHERE outcome = 'applied'`,
    )
    expect(ways.week).toEqual({ phoneJoins: db.phone, adds: applied.adds, removes: applied.removes })
    expect(ways.refused).toEqual(
      expect.arrayContaining([expect.objectContaining({ reason: 'BAD_SIGNATURE' }), expect.objectContaining({ reason: 'WRONG_RECEIVER' })]),
    )
    const newest = await sql(stack, 'SELECT change_type, outcome FROM wecom_events ORDER BY id DESC LIMIT 20')
    expect(ways.recent.map((e: { changeType: string; outcome: string }) => ({ change_type: e.changeType, outcome: e.outcome }))).toEqual(
      newest,
    )
    expect(ways.recent[0]).toMatchObject({ change: expect.stringMatching(/^(add|remove)$/), outcome: expect.any(String) })
    expect(ways.recent.some((e: { nickname: string | null }) => e.nickname?.startsWith('微信用户'))).toBe(true)

    const shopper = (await stack.login('ways-shopper')).token
    expect((await stack.call('admin', { action: 'memberWays' }, shopper)).body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })
  })
})

describe('with the real 企业微信 adapter (WECOM_* set, WeCom stubbed at WECOM_API_BASE)', () => {
  const corp: WecomKeys = { token: 'realT0ken', encodingAesKey: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG', corpId: 'wwrealcorp01' }
  let real: Stack
  let wecomApi: http.Server
  const asked: string[] = []

  beforeAll(async () => {
    wecomApi = http.createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://stub')
      asked.push(url.pathname)
      res.setHeader('content-type', 'application/json')
      if (url.pathname === '/cgi-bin/gettoken') {
        const ok = url.searchParams.get('corpid') === corp.corpId && url.searchParams.get('corpsecret') === 'the-secret'
        res.end(JSON.stringify(ok ? { errcode: 0, access_token: 'CORP_TOKEN', expires_in: 7200 } : { errcode: 40001 }))
        return
      }
      let body = ''
      req.on('data', (d) => (body += d))
      req.on('end', () => {
        const input = JSON.parse(body || '{}')
        const ok =
          url.searchParams.get('access_token') === 'CORP_TOKEN' && input.type === 1 && input.scene === 2 && input.user?.[0] === 'guide-li'
        res.end(
          JSON.stringify(
            ok
              ? { errcode: 0, config_id: `cfg-${input.state}`, qr_code: `https://wework.qpic.cn/wwpic/${input.state}.png` }
              : { errcode: 40058 },
          ),
        )
      })
    })
    await new Promise<void>((r) => wecomApi.listen(0, '127.0.0.1', r))
    const port = (wecomApi.address() as { port: number }).port
    real = await startStack({
      env: {
        WECOM_CORP_ID: corp.corpId,
        WECOM_SECRET: 'the-secret',
        WECOM_TOKEN: corp.token,
        WECOM_AES_KEY: corp.encodingAesKey,
        WECOM_USER_ID: 'guide-li',
        WECOM_API_BASE: `http://127.0.0.1:${port}`,
      },
    })
  }, 90_000)
  afterAll(async () => {
    await real?.stop()
    await new Promise((r) => wecomApi?.close(r))
  })

  test('the 联系我 code comes from WeCom once; an event signed with the corp’s keys makes the member; the sandbox is not served', async () => {
    const { token, user } = await real.login('real-wecom')
    const [a, b] = await Promise.all([
      real.ok('member', { action: 'wecomContact' }, token),
      real.ok('member', { action: 'wecomContact' }, token),
    ])
    expect(a).toEqual(b)
    expect(a).toMatchObject({
      added: false,
      sandboxAddUrl: null,
      qrCodeUrl: expect.stringMatching(/^https:\/\/wework\.qpic\.cn\/wwpic\/ms[0-9a-f]{24}\.png$/),
    })
    expect(asked.filter((p) => p === '/cgi-bin/externalcontact/add_contact_way')).toHaveLength(1)
    const state = /wwpic\/(ms[0-9a-f]{24})\.png/.exec(a.qrCodeUrl)![1]!

    const encrypted = encryptMessage(corp, xmlOf({ ...addEvent('wmreal01', state, now()), UserID: 'guide-li', ToUserName: corp.corpId }))
    const timestamp = String(now())
    const res = await fetch(
      `${real.url}/api/wecom/callback?${new URLSearchParams({ msg_signature: signatureOf(corp.token, timestamp, 'x1', encrypted), timestamp, nonce: 'x1' })}`,
      { method: 'POST', headers: { 'content-type': 'text/xml' }, body: xmlOf({ ToUserName: corp.corpId, Encrypt: encrypted }) },
    )
    expect(res.status).toBe(200)
    expect((await real.ok('member', { action: 'wecomContact' }, token)).added).toBe(true)
    const [m] = await sql(real, 'SELECT membership_active(m) AS active FROM memberships m WHERE user_id = $1', [user.id])
    expect(m).toEqual({ active: true })
    // Signed with the sandbox's keys of the other stack: not this corp's.
    const forged = wecomRequest(addEvent('wmreal02', state, now()))
    expect(
      (await fetch(`${real.url}/api/wecom/callback?${new URLSearchParams(forged.query)}`, { method: 'POST', body: forged.body })).status,
    ).toBe(401)
    expect((await real.post('/api/sandbox/wecom/add?state=' + state, {})).status).toBe(404)
  })
})
