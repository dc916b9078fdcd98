/**
 * Staff roles on every admin action: each role is refused (403) exactly the actions its StaffAccess
 * does not name, a shopper every one. The actions come from the handler's own map, so a new action
 * can't be left out of this test.
 */
import { handler as adminHandler } from '../../cloud/functions/admin'
import type { StaffAccess } from '../../cloud/functions/define'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let owner: string
const tokens: Record<string, string> = {}
const ROLES = ['operator', 'service', 'anchor'] as const

beforeAll(async () => {
  stack = await startStack()
  owner = (await stack.login('admin', '店主')).token
  for (const role of ROLES) {
    await stack.ok('admin', { action: 'setStaff', openid: `${role}-1`, role }, owner)
    tokens[role] = (await stack.login(`${role}-1`)).token
  }
  tokens.shopper = (await stack.login('shopper-1')).token
}, 90_000)
afterAll(() => stack?.stop())

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

  test('giving roles to one openid at once leaves one role, the user made once', async () => {
    const answers = await Promise.all(
      ['operator', 'service', 'anchor', 'operator', 'service'].map((role) =>
        stack.call('admin', { action: 'setStaff', openid: 'raced', role }, owner),
      ),
    )
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200])
    const list = await stack.ok('admin', { action: 'staff' }, owner)
    expect(list.items.filter((s: any) => s.openid === 'raced')).toHaveLength(1)
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
