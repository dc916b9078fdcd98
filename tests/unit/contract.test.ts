import { AdminCreateProductInput, AuthDevLoginInput, CatalogListInput, ERRORS, ERROR_CODES, Fen } from '../../cloud/contract'

describe('the contract validates at the boundary', () => {
  test('Fen takes non-negative integers only', () => {
    expect(Fen.safeParse(990).success).toBe(true)
    expect(Fen.safeParse(0).success).toBe(true)
    for (const bad of [9.9, -1, '990', null, Number.NaN, Number.POSITIVE_INFINITY]) expect(Fen.safeParse(bad).success).toBe(false)
  })

  test('a product needs a title, a price of at least 1 fen and a stock; the list price is not below the price', () => {
    const ok = { title: '龙井', priceFen: 990, stock: 3 }
    expect(AdminCreateProductInput.safeParse(ok).success).toBe(true)
    expect(AdminCreateProductInput.safeParse({ ...ok, listPriceFen: 5900 }).success).toBe(true)
    expect(AdminCreateProductInput.safeParse({ ...ok, listPriceFen: 500 }).success).toBe(false)
    expect(AdminCreateProductInput.safeParse({ ...ok, priceFen: 0 }).success).toBe(false)
    expect(AdminCreateProductInput.safeParse({ ...ok, title: '   ' }).success).toBe(false)
    expect(AdminCreateProductInput.safeParse({ ...ok, commissionRate: 0.51 }).success).toBe(false)
    expect(AdminCreateProductInput.safeParse({ ...ok, stock: 1.5 }).success).toBe(false)
  })

  test('devLogin takes an openid of 1 to 64 characters', () => {
    expect(AuthDevLoginInput.safeParse({ openid: 'o' }).success).toBe(true)
    expect(AuthDevLoginInput.safeParse({ openid: 'o'.repeat(64) }).success).toBe(true)
    expect(AuthDevLoginInput.safeParse({ openid: '' }).success).toBe(false)
    expect(AuthDevLoginInput.safeParse({ openid: 'o'.repeat(65) }).success).toBe(false)
  })

  test('page size is bounded', () => {
    expect(CatalogListInput.safeParse({ limit: 50 }).success).toBe(true)
    expect(CatalogListInput.safeParse({ limit: 51 }).success).toBe(false)
    expect(CatalogListInput.safeParse({ limit: 0 }).success).toBe(false)
  })

  test('every error code has its HTTP status and a Chinese message', () => {
    for (const code of ERROR_CODES) {
      expect([400, 401, 403, 404, 409, 429, 500]).toContain(ERRORS[code].status)
      expect(ERRORS[code].message).toMatch(/[\u4e00-\u9fa5]/)
    }
    expect(ERRORS.VALIDATION_FAILED.status).toBe(400)
    expect(ERRORS.COUPON_SOLD_OUT).toEqual({ status: 409, message: '优惠券已抢光' })
  })
})
