/**
 * Staff roles on every admin action: each role is refused (403) exactly the actions its StaffAccess
 * does not name, a shopper every one. The actions come from the handler's own map, so a new action
 * can't be left out of this test.
 */
import { handler as adminHandler } from '../../cloud/functions/admin'
import type { StaffAccess } from '../../cloud/functions/define'
import pg from 'pg'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let db: pg.Client
let owner: string
const tokens: Record<string, string> = {}
const ROLES = ['operator', 'service', 'anchor', 'guide'] as const

beforeAll(async () => {
  stack = await startStack()
  owner = (await stack.login('admin', '店主')).token
  for (const role of ROLES) {
    await stack.ok('admin', { action: 'setStaff', openid: `${role}-1`, role }, owner)
    tokens[role] = (await stack.login(`${role}-1`)).token
  }
  tokens.shopper = (await stack.login('shopper-1')).token
  db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
}, 90_000)
afterAll(async () => {
  await db?.end()
  await stack?.stop()
})

const count = async (sql: string, params: unknown[] = []) => (await db.query(sql, params)).rows[0].n as number

const actions = Object.entries(adminHandler.actions).map(([name, def]) => ({ name, access: def.access as StaffAccess }))

describe('every admin action checks the role', () => {
  test('the handler names a staff access for every action, and there are many', () => {
    expect(actions.length).toBeGreaterThan(30)
    for (const a of actions) expect(typeof a.access).toBe('object')
  })

  test.each(ROLES)('%s is refused exactly the actions its role is not named on', async (role) => {
    const answers = await Promise.all(actions.map((a) => stack.call('admin', { action: a.name }, tokens[role])))
    const refused = actions.filter((_, i) => answers[i]!.status === 403).map((a) => a.name)
    const expected = actions.filter((a) => !a.access.staff.includes(role)).map((a) => a.name)
    expect(refused).toEqual(expected)
    // Refusals are the role check's, not something else's.
    for (const [i, a] of actions.entries()) {
      if (expected.includes(a.name))
        expect(answers[i]!.body).toEqual({ ok: false, error: { code: 'FORBIDDEN', message: '没有权限进行此操作' } })
    }
    expect(expected.length).toBeGreaterThan(0)
  })

  test('the owner gets past the role check on every action; a shopper on none; nobody signed in is 401', async () => {
    const byOwner = await Promise.all(actions.map((a) => stack.call('admin', { action: a.name }, owner)))
    expect(actions.filter((_, i) => byOwner[i]!.status === 403).map((a) => a.name)).toEqual([])
    const byShopper = await Promise.all(actions.map((a) => stack.call('admin', { action: a.name }, tokens.shopper)))
    expect(byShopper.map((r) => r.status)).toEqual(actions.map(() => 403))
    const byNobody = await Promise.all(actions.map((a) => stack.call('admin', { action: a.name })))
    expect(byNobody.map((r) => r.status)).toEqual(actions.map(() => 401))
  })
})

describe('staff management', () => {
  test('only the owner sets staff', async () => {
    for (const role of ROLES) {
      const r = await stack.call('admin', { action: 'setStaff', openid: 'someone', role: 'operator' }, tokens[role])
      expect(r.status).toBe(403)
    }
    expect((await stack.call('admin', { action: 'setStaff', openid: 'someone', role: 'operator' }, tokens.shopper)).status).toBe(403)
    const list = await stack.ok('admin', { action: 'staff' }, owner)
    expect(list.items.map((s: any) => s.openid)).not.toContain('someone')
  })

  test('an owner (ADMIN_OPENIDS) cannot be given another role', async () => {
    const r = await stack.call('admin', { action: 'setStaff', openid: 'admin', role: 'anchor' }, owner)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '店主由配置（ADMIN_OPENIDS）指定，不能设置为其他角色' },
    })
    expect((await stack.login('admin')).user.role).toBe('owner')
  })

  test('a role for an openid that never signed in is there at their first sign-in; the user view and staff list show it', async () => {
    expect(await stack.ok('admin', { action: 'setStaff', openid: 'newcomer', role: 'service' }, owner)).toEqual({
      staff: { openid: 'newcomer', role: 'service' },
    })
    const { user } = await stack.login('newcomer', '新同事')
    expect(user).toMatchObject({ role: 'service', isAdmin: true })
    const list = await stack.ok('admin', { action: 'staff' }, owner)
    expect(list.items[0]).toMatchObject({ openid: 'admin', role: 'owner', since: null })
    expect(list.items).toContainEqual(expect.objectContaining({ userId: user.id, openid: 'newcomer', nickname: '新同事', role: 'service' }))
    expect((await stack.login('shopper-1')).user).toMatchObject({ role: null, isAdmin: false })
  })

  test("openids with whitespace or control characters, or an owner's in other case, are refused and create no user", async () => {
    const users = () => count('SELECT count(*)::int AS n FROM users')
    const audits = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.setStaff'`)
    const [u0, a0] = [await users(), await audits()]
    for (const openid of [' admin', 'admin ', 'ad min', 'a\tb', 'a\nb', 'a\u0007b', 'a\u200bb', 'a\u3000b']) {
      const r = await stack.call('admin', { action: 'setStaff', openid, role: 'operator' }, owner)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: 'openid 不能包含空格或控制字符' } })
    }
    const upper = await stack.call('admin', { action: 'setStaff', openid: 'ADMIN', role: 'operator' }, owner)
    expect(upper.status).toBe(400)
    expect(upper.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '该 openid 与店主的 openid 仅大小写不同，请核对后再试' },
    })
    expect([await users(), await audits()]).toEqual([u0, a0])
  })

  test('taking away the role of an openid that has none is NOT_FOUND and creates nothing', async () => {
    const users = () => count('SELECT count(*)::int AS n FROM users')
    const audits = () => count(`SELECT count(*)::int AS n FROM audit_log WHERE action = 'admin.setStaff'`)
    const [u0, a0] = [await users(), await audits()]
    const unknown = await stack.call('admin', { action: 'setStaff', openid: 'never-seen', role: null }, owner)
    expect(unknown.status).toBe(404)
    expect(unknown.body).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: '该用户没有后台角色，无需移除' } })
    // A shopper who signed in but has no role: the same, and they stay a shopper.
    const shopper = await stack.call('admin', { action: 'setStaff', openid: 'shopper-1', role: null }, owner)
    expect(shopper.status).toBe(404)
    expect(await count('SELECT count(*)::int AS n FROM users WHERE openid = $1', ['never-seen'])).toBe(0)
    expect([await users(), await audits()]).toEqual([u0, a0])
    // Two removals of one role at once: one takes it away, the other is told there is none.
    await stack.ok('admin', { action: 'setStaff', openid: 'twice', role: 'service' }, owner)
    const both = await Promise.all([1, 2].map(() => stack.call('admin', { action: 'setStaff', openid: 'twice', role: null }, owner)))
    expect(both.map((b) => b.status).sort()).toEqual([200, 404])
  })

  test('giving roles to one openid at once leaves one role, the user made once', async () => {
    const answers = await Promise.all(
      ['operator', 'service', 'anchor', 'guide', 'operator', 'service'].map((role) =>
        stack.call('admin', { action: 'setStaff', openid: 'raced', role }, owner),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 200])
    const list = await stack.ok('admin', { action: 'staff' }, owner)
    expect(list.items.filter((s: any) => s.openid === 'raced')).toHaveLength(1)
  })

  test('a guide (导购) is staff with one read: their own guide code; signing in names the role', async () => {
    const me = await stack.ok('auth', { action: 'me' }, tokens.guide)
    expect(me.user).toMatchObject({ role: 'guide', isAdmin: true })
    const guideActions = actions.filter((a) => a.access.staff.includes('guide')).map((a) => a.name)
    expect(guideActions).toEqual(['guideCode'])
    expect((await stack.ok('admin', { action: 'guideCode' }, tokens.guide)).userId).toBe(me.user.id)
    const list = await stack.ok('admin', { action: 'staff' }, owner)
    expect(list.items).toContainEqual(expect.objectContaining({ openid: 'guide-1', role: 'guide' }))
  })

  test('a role taken away counts at the very next call', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'op-2', role: 'operator' }, owner)
    const { token } = await stack.login('op-2')
    const created = await stack.call('admin', { action: 'createProduct', title: '白毫银针', priceFen: 12800, stock: 3 }, token)
    expect(created.status).toBe(200)
    expect(await stack.ok('admin', { action: 'setStaff', openid: 'op-2', role: null }, owner)).toEqual({
      staff: { openid: 'op-2', role: null },
    })
    const refused = await stack.call('admin', { action: 'createProduct', title: '白毫银针', priceFen: 12800, stock: 3 }, token)
    expect(refused.status).toBe(403)
    expect((await stack.ok('auth', { action: 'me' }, token)).user).toMatchObject({ role: null, isAdmin: false })
    // Moved to another role: the next call has the new one.
    await stack.ok('admin', { action: 'setStaff', openid: 'op-2', role: 'service' }, owner)
    expect((await stack.call('admin', { action: 'createProduct', title: '白毫银针', priceFen: 12800, stock: 3 }, token)).status).toBe(403)
    expect((await stack.call('admin', { action: 'orders' }, token)).status).not.toBe(403)
  })

  test('an anchor creates room-only coupons only', async () => {
    const coupon = {
      action: 'createCoupon',
      title: '直播专享 满50减5',
      kind: 'fixed',
      valueFen: 500,
      thresholdFen: 5000,
      stock: 100,
      perUserLimit: 1,
    }
    const shopWide = await stack.call('admin', coupon, tokens.anchor)
    expect(shopWide.status).toBe(403)
    expect(shopWide.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: '主播只能创建直播专享券，请选择直播间' } })
    const { roomId } = await stack.ok(
      'admin',
      { action: 'createLiveRoom', title: '春茶直播', startsAt: new Date(Date.now() + 3_600_000).toISOString() },
      tokens.anchor,
    )
    const roomOnly = await stack.call('admin', { ...coupon, roomId }, tokens.anchor)
    expect(roomOnly.status).toBe(200)
    // The operator and the owner create shop-wide ones.
    expect((await stack.call('admin', coupon, tokens.operator)).status).toBe(200)
    expect((await stack.call('admin', coupon, owner)).status).toBe(200)
  })

  test("an anchor's room-only coupons stay within limits: threshold, ≤ 50 % and ≤ ¥200 off, ≤ 1000 of them", async () => {
    const { roomId } = await stack.ok(
      'admin',
      { action: 'createLiveRoom', title: '秋茶直播', startsAt: new Date(Date.now() + 3_600_000).toISOString() },
      tokens.anchor,
    )
    const base = { action: 'createCoupon', title: '直播专享', perUserLimit: 1, roomId }
    const fixed = { ...base, kind: 'fixed', valueFen: 1000, thresholdFen: 5000, stock: 100 }
    const percent = { ...base, kind: 'percent', percentOff: 20, maxOffFen: 5000, thresholdFen: 0, stock: 100 }
    const refused: Array<[Record<string, unknown>, string]> = [
      // Anything for ¥0.01: the finding itself.
      [{ ...fixed, valueFen: 100_000_000, thresholdFen: 0 }, '主播创建的直播专享券：满减券须设置使用门槛'],
      [{ ...fixed, valueFen: 2501, thresholdFen: 5000 }, '主播创建的直播专享券：减免金额不能超过使用门槛的 50%'],
      [{ ...fixed, valueFen: 20_001, thresholdFen: 100_000 }, '主播创建的直播专享券：减免金额不能超过 200 元'],
      [{ ...percent, percentOff: 51 }, '主播创建的直播专享券：折扣券最多减 50%（5折）'],
      [{ ...percent, maxOffFen: undefined }, '主播创建的直播专享券：折扣券须设置最高优惠金额（不超过 200 元）'],
      [{ ...percent, maxOffFen: 20_001 }, '主播创建的直播专享券：折扣券最高优惠不能超过 200 元'],
      [{ ...fixed, stock: 1001 }, '主播创建的直播专享券：发放数量不能超过 1000 张'],
    ]
    const before = await count('SELECT count(*)::int AS n FROM coupons')
    for (const [input, message] of refused) {
      const r = await stack.call('admin', input, tokens.anchor)
      expect(r.status).toBe(403)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message } })
    }
    expect(await count('SELECT count(*)::int AS n FROM coupons')).toBe(before)
    // At the limits, an anchor's coupons are made.
    expect((await stack.call('admin', { ...fixed, valueFen: 2500, thresholdFen: 5000, stock: 1000 }, tokens.anchor)).status).toBe(200)
    expect((await stack.call('admin', { ...fixed, valueFen: 20_000, thresholdFen: 40_000 }, tokens.anchor)).status).toBe(200)
    expect((await stack.call('admin', { ...percent, percentOff: 50, maxOffFen: 20_000 }, tokens.anchor)).status).toBe(200)
    // Owners and operators are unchanged.
    const huge = { ...fixed, valueFen: 100_000_000, thresholdFen: 0, stock: 5000 }
    expect((await stack.call('admin', huge, owner)).status).toBe(200)
    expect((await stack.call('admin', huge, tokens.operator)).status).toBe(200)
  })
})

describe('staff in live rooms', () => {
  test('a viewer made staff after entering is left out of the draw, as staff who entered as staff are', async () => {
    const startsAt = new Date(Date.now() + 60_000).toISOString()
    const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '员工不参与抽奖', startsAt }, owner)
    await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, owner)
    const viewer = await stack.login('viewer-1')
    const later = await stack.login('viewer-2')
    await stack.ok('live', { action: 'enter', roomId }, viewer.token)
    await stack.ok('live', { action: 'enter', roomId }, later.token)
    await stack.ok('live', { action: 'enter', roomId }, tokens.anchor)
    await stack.ok('admin', { action: 'setStaff', openid: 'viewer-2', role: 'anchor' }, owner)
    const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 3 }, owner)
    expect((await stack.ok('admin', { action: 'drawLottery', lotteryId }, owner)).candidates).toEqual([viewer.user.id])
  })
})
