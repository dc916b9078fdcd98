/** The host's scheduler cancels unpaid orders at their deadline and gives their stock back once. */
import { createProduct, key, postNotify, sql, stockOf } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

let stack: Stack

beforeAll(async () => {
  // A 1.2 s payment window and a job every 200 ms stand in for 15 minutes and 30 s.
  stack = await startStack({ env: { ORDER_PAY_MINUTES: '0.02', JOB_INTERVAL_MS: '200' } })
}, 90_000)
afterAll(() => stack?.stop())

test('an unpaid order is cancelled at its deadline, its stock returned once, and a late payment is refunded', async () => {
  const admin = (await stack.login('admin')).token
  const productId = await createProduct(stack, admin, { stock: 6 })
  const { token } = await stack.login('slow-payer')
  const orders = await Promise.all(
    [1, 2, 3].map(() => stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key() }, token)),
  )
  const { payment } = await stack.ok('order', { action: 'pay', orderId: orders[0].orderId }, token)
  expect(await stockOf(stack, productId)).toBe(0)

  const list = await until(async () => {
    const { items } = await stack.ok('order', { action: 'list', tab: 'all' }, token)
    return items.every((o: any) => o.status === 'cancelled') && items
  })
  expect(list).toHaveLength(3)
  for (const o of list) expect(o.cancelReason).toBe('超时未支付')
  expect(await stockOf(stack, productId)).toBe(6)
  // Several job runs later, still returned exactly once.
  await new Promise((r) => setTimeout(r, 600))
  expect(await stockOf(stack, productId)).toBe(6)

  // Paying a closed order is refused; a notify that arrives anyway is refunded.
  expect((await stack.call('order', { action: 'pay', orderId: orders[0].orderId }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'ORDER_NOT_PAYABLE' },
  })
  expect((await postNotify(payment.notifyUrl, payment.body)).answer).toMatchObject({ code: 'SUCCESS', message: 'refunded_after_cancel' })
  expect((await stack.ok('order', { action: 'get', orderId: orders[0].orderId }, token)).order.status).toBe('cancelled')
  expect(await sql(stack, 'SELECT amount_fen FROM refunds WHERE order_id = $1', [orders[0].orderId])).toEqual([{ amount_fen: 1980 }])
  expect(await stockOf(stack, productId)).toBe(6)
}, 30_000)
