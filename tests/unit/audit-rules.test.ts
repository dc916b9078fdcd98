import { auditDetail, auditTarget } from '../../cloud/core/admin/audit'
import { csrfTokenOf, ticketStatus } from '../../cloud/core/auth/console-login.service'
import { checkCouponCreator, roleOf } from '../../cloud/core/auth/roles'
import { BusinessError } from '../../cloud/core/errors'

describe('the audit entry', () => {
  test('target: the record a write created, else the one its input names, else nothing', () => {
    expect(auditTarget({ roomId: 'r_1', title: '券' }, { couponId: 'cp_1' })).toBe('coupon:cp_1')
    expect(auditTarget({ title: '明前龙井' }, { productId: 'p_1' })).toBe('product:p_1')
    expect(auditTarget({ orderId: 'o_1', carrier: '顺丰' }, { order: { id: 'o_1' } })).toBe('order:o_1')
    expect(auditTarget({ roomId: 'r_1', productId: 'p_1' }, { room: {} })).toBe('room:r_1')
    expect(auditTarget({ skuId: 's_1', delta: 5 }, { skuId: 's_1', stock: 9 })).toBe('sku:s_1')
    expect(auditTarget({ name: '绿茶' }, { category: { id: 'c_9' } })).toBe('category:c_9')
    expect(auditTarget({ openid: 'oX', role: 'service' }, { staff: {} })).toBe('openid:oX')
    expect(auditTarget({ lines: [] }, { results: [] })).toBe('')
  })

  test('detail: text cut to 200 characters (never inside an emoji), arrays to 20 items, no secrets', () => {
    const detail = auditDetail({
      title: '茶',
      description: '🍵'.repeat(300),
      lines: Array.from({ length: 25 }, (_, i) => ({ orderNo: `N${i}` })),
      token: 'abc',
      nested: { secret: 'x', apiPassword: 'y', keep: 1 },
      grantKey: 'g-1',
    })
    expect(detail.title).toBe('茶')
    expect(Array.from(detail.description as string)).toHaveLength(201)
    expect((detail.description as string).endsWith('🍵…')).toBe(true)
    expect(detail.lines).toHaveLength(21)
    expect((detail.lines as unknown[])[20]).toBe('…共 25 项')
    expect(detail).not.toHaveProperty('token')
    expect(detail.nested).toEqual({ keep: 1 })
    expect(detail.grantKey).toBe('g-1')
    // Always something jsonb takes.
    expect(() => JSON.parse(JSON.stringify(detail))).not.toThrow()
  })
})

describe('roles and sign-in rules', () => {
  const config = { adminOpenids: new Set(['boss']) }
  test('the owner comes from ADMIN_OPENIDS whatever the staff table says; others from the staff table', () => {
    expect(roleOf({ openid: 'boss', staffRole: 'anchor' }, config)).toBe('owner')
    expect(roleOf({ openid: 'a', staffRole: 'service' }, config)).toBe('service')
    expect(roleOf({ openid: 'a', staffRole: null }, config)).toBeNull()
  })

  test('an anchor may create only room-only coupons', () => {
    const anchor = { userId: 'u', openid: 'a', isAdmin: true, role: 'anchor' as const }
    expect(() => checkCouponCreator(anchor, undefined)).toThrow(BusinessError)
    expect(() => checkCouponCreator(anchor, 'r_1')).not.toThrow()
    expect(() => checkCouponCreator({ ...anchor, role: 'operator' }, undefined)).not.toThrow()
  })

  test('a ticket past its expiry reads expired, unless used or rejected', () => {
    const now = new Date('2026-05-01T00:00:00Z')
    const past = new Date(now.getTime() - 1)
    const future = new Date(now.getTime() + 1)
    expect(ticketStatus({ status: 'confirmed', expiresAt: past }, now)).toBe('expired')
    expect(ticketStatus({ status: 'confirmed', expiresAt: future }, now)).toBe('confirmed')
    expect(ticketStatus({ status: 'used', expiresAt: past }, now)).toBe('used')
    expect(ticketStatus({ status: 'rejected', expiresAt: past }, now)).toBe('rejected')
    expect(ticketStatus({ status: 'waiting', expiresAt: now }, now)).toBe('expired')
  })

  test("the CSRF token is the session token's own and reveals nothing of it", () => {
    expect(csrfTokenOf('a')).toBe(csrfTokenOf('a'))
    expect(csrfTokenOf('a')).not.toBe(csrfTokenOf('b'))
    expect(csrfTokenOf('secret-token')).not.toContain('secret-token')
  })
})
