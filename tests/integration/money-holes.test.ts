/**
 * The holes an attacker found in the money paths, each raced on real PostgreSQL: replayed keys that
 * took units, invite rewards paid more than once, refunds that left commissions behind, attribution
 * taken on the client's word, second payments refunded without a record, and totals that overflowed.
 */
import { createFlashSale, createProduct, key, payOrder, postNotify, saveAddress, sql, stockOf } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack({ env: { REFUND_WINDOW_DAYS: '7', JOB_INTERVAL_MS: '100' } })
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)))

const flashSale = (stock: number, perUserLimit: number) => createFlashSale(stack, admin, { stock, perUserLimit, audience: 'all' })

const flashState = async (flashSaleId: string) => {
  const [{ sold }] = await sql(stack, 'SELECT sold FROM flash_sales WHERE id = $1', [flashSaleId])
  const [{ held }] = await sql(stack, 'SELECT COALESCE(sum(qty), 0)::int AS held FROM flash_sale_buyers WHERE flash_sale_id = $1', [
    flashSaleId,
  ])
  return { sold, held }
}

describe('a replayed idempotency key takes nothing', () => {
  test('eight copies of one flash order take one order’s units, and cancelling gives them all back', async () => {
    const sale = await flashSale(10, 3)
    for (const openid of ['replay-flash-1', 'replay-flash-2']) {
      const { token } = await stack.login(openid)
      const k = key()
      const results = await times(8, () =>
        stack.call(
          'order',
          { action: 'create', items: [{ productId: sale.productId, qty: 2 }], flashSaleId: sale.flashSaleId, idempotencyKey: k },
          token,
        ),
      )
      const ids = new Set(results.map((r) => (r.body as any).data?.orderId))
      expect(results.every((r) => r.status === 200)).toBe(true)
      expect(ids.size).toBe(1)
    }
    expect(await flashState(sale.flashSaleId)).toEqual({ sold: 4, held: 4 })
    expect(await stockOf(stack, sale.productId)).toBe(96)
    const orders = await sql(stack, 'SELECT id, user_id FROM orders WHERE flash_sale_id = $1', [sale.flashSaleId])
    expect(orders).toHaveLength(2)
    // Cancel both: every unit comes back, nothing is left held by a ghost reservation.
    for (const openid of ['replay-flash-1', 'replay-flash-2']) {
      const { token, user } = await stack.login(openid)
      const order = orders.find((o) => o.user_id === user.id)!
      await stack.ok('order', { action: 'cancel', orderId: order.id }, token)
    }
    expect(await flashState(sale.flashSaleId)).toEqual({ sold: 0, held: 0 })
    expect(await stockOf(stack, sale.productId)).toBe(100)
  }, 60_000)

  test('copies of one order with a coupon lock the coupon once and take the stock once', async () => {
    const productId = await createProduct(stack, admin, { priceFen: 2000, stock: 10 })
    const { couponId } = await stack.ok(
      'admin',
      { action: 'createCoupon', title: '满10减5', kind: 'fixed', valueFen: 500, thresholdFen: 1000, stock: 100, perUserLimit: 1 },
      admin,
    )
    const { token } = await stack.login('replay-coupon')
    const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, token)
    const k = key()
    const results = await times(10, () =>
      stack.call('order', { action: 'create', items: [{ productId, qty: 3 }], userCouponId, idempotencyKey: k }, token),
    )
    expect(new Set(results.map((r) => (r.body as any).data?.orderId)).size).toBe(1)
    expect(results.every((r) => r.status === 200 && (r.body as any).data.payableFen === 5500)).toBe(true)
    expect(await stockOf(stack, productId)).toBe(7)
    expect(await sql(stack, 'SELECT status FROM user_coupons WHERE id = $1', [userCouponId])).toEqual([{ status: 'locked' }])
  }, 60_000)

  test('copies of one deal claim use one claim', async () => {
    const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 50 })
    const { campaignId } = await stack.ok(
      'admin',
      {
        action: 'createDealCampaign',
        productId,
        dealPriceFen: 990,
        baseClaims: 2,
        extraClaimsPerInvite: 1,
        maxExtraClaims: 1,
        inviteCountsWhen: 'joined',
      },
      admin,
    )
    const { token } = await stack.login('replay-deal')
    const addressId = (await saveAddress(stack, token)).address.id
    const k = key()
    const results = await times(8, () => stack.call('deal', { action: 'claim', campaignId, idempotencyKey: k, addressId }, token))
    expect(new Set(results.map((r) => (r.body as any).data?.orderId)).size).toBe(1)
    expect((await stack.ok('deal', { action: 'status', campaignId }, token)).claimsUsed).toBe(1)
    expect(await stockOf(stack, productId)).toBe(49)
    // The second claim is still there for a new key.
    expect((await stack.call('deal', { action: 'claim', campaignId, idempotencyKey: key(), addressId }, token)).status).toBe(200)
  }, 60_000)
})

test('an inviter is rewarded once per counted invite, however many deal orders the friend pays at once', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 5900, stock: 500 })
  for (let trial = 0; trial < 5; trial++) {
    const { campaignId } = await stack.ok(
      'admin',
      {
        action: 'createDealCampaign',
        productId,
        dealPriceFen: 990,
        baseClaims: 3,
        extraClaimsPerInvite: 0,
        maxExtraClaims: 0,
        inviteCountsWhen: 'joined',
        inviteRewardFen: 300,
      },
      admin,
    )
    const inviter = await stack.login(`reward-inviter-${trial}`)
    const friend = await stack.login(`reward-friend-${trial}`)
    await stack.ok('deal', { action: 'status', campaignId }, inviter.token)
    expect(await stack.ok('deal', { action: 'acceptInvite', campaignId, inviterId: inviter.user.id }, friend.token)).toEqual({
      counted: true,
    })
    const addressId = (await saveAddress(stack, friend.token)).address.id
    const orders = await times(3, () => stack.ok('deal', { action: 'claim', campaignId, idempotencyKey: key(), addressId }, friend.token))
    // Each order prepared, then all three notifies posted at once.
    const payments = await Promise.all(orders.map((o) => stack.ok('order', { action: 'pay', orderId: o.orderId }, friend.token)))
    const answers = await Promise.all(payments.map(({ payment }) => postNotify(payment.notifyUrl, payment.body)))
    expect(answers.map((a) => a.answer.code)).toEqual(['SUCCESS', 'SUCCESS', 'SUCCESS'])
    const mine = await stack.ok('earnings', { action: 'mine' }, inviter.token)
    expect(mine.pendingFen).toBe(300)
    expect(mine.entries.filter((e: any) => e.kind === 'invite_reward' && e.entry === 'accrue')).toHaveLength(1)
  }
}, 120_000)

describe('refunds and the refund window', () => {
  async function sharedOrder(suffix: string, priceFen = 10_000) {
    const productId = await createProduct(stack, admin, { priceFen, stock: 10, commissionRate: 0.5 })
    const sharer = await stack.login(`rw-sharer-${suffix}`)
    const buyer = await stack.login(`rw-buyer-${suffix}`)
    await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, buyer.token)
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer.token)
    await payOrder(stack, buyer.token, orderId)
    return { productId, sharer, buyer, orderId }
  }
  const settledFor = async (orderId: string) => {
    const deadline = Date.now() + 15_000
    for (;;) {
      const rows = await sql(stack, `SELECT 1 FROM earnings_ledger WHERE order_id = $1 AND entry = 'settle_in'`, [orderId])
      if (rows.length > 0) return
      if (Date.now() > deadline) throw new Error(`order ${orderId} never settled`)
      await new Promise((r) => setTimeout(r, 100))
    }
  }

  test('past the window the shopper can no longer ask; the merchant refunds and the settled commission is clawed back', async () => {
    const { sharer, buyer, orderId } = await sharedOrder('late')
    expect(await stack.ok('earnings', { action: 'mine' }, sharer.token)).toMatchObject({ pendingFen: 5000, settledFen: 0 })
    await sql(stack, `UPDATE orders SET paid_at = now() - interval '8 days' WHERE id = $1`, [orderId])
    await settledFor(orderId)
    expect(await stack.ok('earnings', { action: 'mine' }, sharer.token)).toMatchObject({ pendingFen: 0, settledFen: 5000 })

    const asked = await stack.call('order', { action: 'requestRefund', orderId, reason: '不想要了' }, buyer.token)
    expect(asked.status).toBe(409)
    expect(asked.body).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_REFUNDABLE' } })
    expect((asked.body as any).error.message).toContain('已超过退款期限')
    expect((await stack.ok('order', { action: 'get', orderId }, buyer.token)).order.status).toBe('paid')

    // The merchant's own refund (售后), raced three times: one refund, one clawback.
    const refunds = await times(3, () => stack.call('admin', { action: 'refund', orderId, reason: '质量问题，商家主动退款' }, admin))
    expect(refunds.filter((r) => r.status === 200)).toHaveLength(1)
    expect(refunds.filter((r) => r.status !== 200).map((r) => (r.body as any).error.code)).toEqual([
      'ORDER_STATUS_CHANGED',
      'ORDER_STATUS_CHANGED',
    ])
    const mine = await stack.ok('earnings', { action: 'mine' }, sharer.token)
    expect(mine).toMatchObject({ pendingFen: 0, settledFen: 0 })
    expect(mine.entries.map((e: any) => [e.entry, e.bucket, e.amountFen])).toContainEqual(['clawback', 'settled', -5000])
    expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [orderId])).toEqual([{ amount_fen: 10_000 }])
    expect(await sql(stack, 'SELECT merchant_refund_reason FROM orders WHERE id = $1', [orderId])).toEqual([
      { merchant_refund_reason: '质量问题，商家主动退款' },
    ])
    // A shopper may not use the merchant's refund.
    expect((await stack.call('admin', { action: 'refund', orderId, reason: 'x' }, buyer.token)).status).toBe(403)
  }, 60_000)

  test('refunds racing the settle job never leave a commission behind', async () => {
    const orders = await Promise.all(Array.from({ length: 12 }, (_, i) => sharedOrder(`race-${i}`, 1000 + i)))
    // All past the window at once; the job (every 100 ms) settles while the merchant refunds them.
    await sql(stack, `UPDATE orders SET paid_at = now() - interval '8 days' WHERE id = ANY($1)`, [orders.map((o) => o.orderId)])
    const answers = await Promise.all(
      orders.map((o) => stack.call('admin', { action: 'refund', orderId: o.orderId, reason: '售后' }, admin)),
    )
    expect(answers.every((a) => a.status === 200)).toBe(true)
    await new Promise((r) => setTimeout(r, 500)) // let the job run over the refunded orders too
    const rows = await sql(
      stack,
      `SELECT order_id, bucket, sum(amount_fen)::int AS fen FROM earnings_ledger WHERE order_id = ANY($1) GROUP BY order_id, bucket`,
      [orders.map((o) => o.orderId)],
    )
    expect(rows.filter((r) => r.fen !== 0)).toEqual([])
    for (const o of orders)
      expect(await stack.ok('earnings', { action: 'mine' }, o.sharer.token)).toMatchObject({ pendingFen: 0, settledFen: 0 })
  }, 120_000)

  test('REFUND_WINDOW_DAYS=0 means no shopper refunds, not the default of 7', async () => {
    const zero = await startStack({ env: { REFUND_WINDOW_DAYS: '0' } })
    try {
      const zAdmin = (await zero.login('admin')).token
      const productId = await createProduct(zero, zAdmin, { priceFen: 1000, stock: 5 })
      const { token } = await zero.login('zero-window')
      const { orderId } = await zero.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
      await payOrder(zero, token, orderId)
      const r = await zero.call('order', { action: 'requestRefund', orderId, reason: '不想要了' }, token)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'ORDER_NOT_REFUNDABLE' } })
    } finally {
      await zero.stop()
    }
  }, 90_000)
})

test('an order names only a room the buyer entered; the client cannot put its money in another room', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 3000, stock: 20 })
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '归属测试', startsAt: new Date().toISOString() }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const { token } = await stack.login('room-attr')
  const place = async (rid: string) => {
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId, qty: 1 }], roomId: rid, idempotencyKey: key() },
      token,
    )
    await payOrder(stack, token, orderId)
    return (await stack.ok('order', { action: 'get', orderId }, token)).order.roomId
  }
  expect(await place(roomId)).toBeNull() // never entered
  expect(await place('r_doesnotexist')).toBeNull()
  expect((await stack.ok('admin', { action: 'roomStats', roomId }, admin)).gmvFen).toBe(0)
  await stack.ok('live', { action: 'enter', roomId }, token)
  expect(await place(roomId)).toBe(roomId)
  expect((await stack.ok('admin', { action: 'roomStats', roomId }, admin)).gmvFen).toBe(3000)
}, 60_000)

test('a second payment of a paid order is refunded once and recorded, however often its notify comes', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 1200, stock: 5 })
  const { token } = await stack.login('double-payer')
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token)
  // Two cashier sessions for one order (two devices): two transactions.
  const first = (await stack.ok('order', { action: 'pay', orderId }, token)).payment
  const second = (await stack.ok('order', { action: 'pay', orderId }, token)).payment
  expect((await postNotify(first.notifyUrl, first.body)).answer.code).toBe('SUCCESS')
  const replays = await times(6, () => postNotify(second.notifyUrl, second.body))
  expect(replays.every((r) => r.status === 400 && r.answer.message === 'SECOND_PAYMENT_REFUNDED')).toBe(true)
  expect(await sql(stack, 'SELECT transaction_id, amount_fen FROM refunds WHERE order_id = $1', [orderId])).toEqual([
    { transaction_id: second.body.transactionId, amount_fen: 1200 },
  ])
  expect((await stack.ok('order', { action: 'get', orderId }, token)).order.status).toBe('paid')
}, 60_000)

describe('numbers the schemas accept stay inside the database: never a 500', () => {
  test('prices past ¥1,000,000 are refused at the edge', async () => {
    for (const priceFen of [2_147_483_648, 100_000_001, 1e15]) {
      const r = await stack.call('admin', { action: 'createProduct', title: '天价茶', priceFen, stock: 1 }, admin)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
    }
    const coupon = await stack.call(
      'admin',
      { action: 'createCoupon', title: 'x', kind: 'fixed', valueFen: 2_147_483_648, thresholdFen: 0, stock: 1, perUserLimit: 1 },
      admin,
    )
    expect(coupon.status).toBe(400)
  })

  test('an order whose total passes the cap is refused with the reason and takes nothing', async () => {
    const products = await Promise.all(Array.from({ length: 50 }, () => createProduct(stack, admin, { priceFen: 500_000, stock: 1000 })))
    const { token } = await stack.login('big-spender')
    await saveAddress(stack, token)
    const items = products.map((productId) => ({ productId, qty: 99 }))
    for (const action of ['create', 'preview']) {
      const r = await stack.call('order', { action, items, idempotencyKey: key() }, token)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '单笔订单金额不能超过 100 万元' } })
    }
    expect(await stockOf(stack, products[0]!)).toBe(1000)
    expect(await sql(stack, `SELECT 1 FROM orders o JOIN users u ON u.id = o.user_id WHERE u.openid = 'big-spender'`)).toEqual([])
    // Just under the cap is a normal order.
    const ok = await stack.call('order', { action: 'create', items: [{ productId: products[0], qty: 99 }], idempotencyKey: key() }, token)
    expect(ok.status).toBe(200)
  }, 120_000)
})

test('the merchant’s staff are never lottery candidates', async () => {
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '抽奖公平', startsAt: new Date().toISOString() }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const adminUser = (await stack.login('admin')).user
  await stack.ok('live', { action: 'enter', roomId }, admin)
  const viewers = await Promise.all(['lot-1', 'lot-2', 'lot-3'].map((o) => stack.login(o)))
  for (const v of viewers) await stack.ok('live', { action: 'enter', roomId }, v.token)
  const { lotteryId } = await stack.ok('admin', { action: 'commitLottery', roomId, winners: 10, pool: 'viewers' }, admin)
  const draw = await stack.ok('admin', { action: 'drawLottery', lotteryId }, admin)
  expect(draw.candidates).not.toContain(adminUser.id)
  expect([...draw.candidates].sort()).toEqual(viewers.map((v) => v.user.id).sort())
  expect((await stack.ok('live', { action: 'verifyLottery', lotteryId }, viewers[0]!.token)).valid).toBe(true)
})

test('a shopper cannot hoard stock with unpaid orders or loop create-and-cancel without limit', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 100, stock: 1000 })
  const { token } = await stack.login('hoarder')
  const place = () => stack.call('order', { action: 'create', items: [{ productId, qty: 99 }], idempotencyKey: key() }, token)
  // Twelve at once: ten unpaid orders at most, the rest refused with the reason, nothing taken for them.
  const results = await times(12, place)
  expect(results.filter((r) => r.status === 200)).toHaveLength(10)
  for (const r of results.filter((x) => x.status !== 200)) expect(r.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED' } })
  expect(await stockOf(stack, productId)).toBe(1000 - 10 * 99)
  // Cancelling frees the unpaid slots, but the order rate still holds: the burst is spent.
  const [{ id }] = await sql(stack, `SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE u.openid = 'hoarder' LIMIT 1`)
  await stack.ok('order', { action: 'cancel', orderId: id }, token)
  expect((await place()).body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: '下单太频繁，请稍后再试' } })
  // Another shopper is not affected.
  const other = await stack.login('not-a-hoarder')
  expect((await stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, other.token)).status).toBe(
    200,
  )
}, 60_000)

test('copies of one order spend nothing of the shopper’s order rate', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 100, stock: 100 })
  const { token } = await stack.login('double-tapper')
  const k = key()
  const copies = await times(20, () => stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: k }, token))
  expect(copies.every((r) => r.status === 200)).toBe(true)
  expect(new Set(copies.map((r) => (r.body as any).data.orderId)).size).toBe(1)
  // Nine more orders of their own still pass: the copies took one order's worth of the burst of 10.
  const more = await times(9, () => stack.call('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, token))
  expect(more.map((r) => r.status)).toEqual(Array(9).fill(200))
}, 60_000)

test('orders and cancels racing on one flash sale never deadlock into errors', async () => {
  const sale = await flashSale(1000, 99)
  const shoppers = await Promise.all(Array.from({ length: 24 }, (_, i) => stack.login(`storm-${i}`)))
  const place = (token: string) =>
    stack.call(
      'order',
      { action: 'create', items: [{ productId: sale.productId, qty: 1 }], flashSaleId: sale.flashSaleId, idempotencyKey: key() },
      token,
    )
  const first = await Promise.all(shoppers.map((s) => place(s.token)))
  expect(first.every((r) => r.status === 200)).toBe(true)
  // Each shopper cancels their order while placing another, all at once, three rounds.
  let orders = first.map((r) => (r.body as any).data.orderId as string)
  for (let round = 0; round < 3; round++) {
    const results = await Promise.all(
      shoppers.flatMap((s, i) => [stack.call('order', { action: 'cancel', orderId: orders[i] }, s.token), place(s.token)]),
    )
    expect(results.filter((r) => r.status >= 500)).toEqual([])
    expect(results.every((r) => r.status === 200)).toBe(true)
    orders = results.filter((_, j) => j % 2 === 1).map((r) => (r.body as any).data.orderId)
  }
  expect(await flashState(sale.flashSaleId)).toEqual({ sold: 24, held: 24 })
  expect(await stockOf(stack, sale.productId)).toBe(100 - 24)
}, 120_000)
