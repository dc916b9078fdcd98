/** The scheduled jobs cancel unpaid orders at their deadline and give their stock back once. */
import { createProduct, key, postNotify, sql, stockOf } from '../helpers/mall'
import { jobsFor, minutesFromNow, type Jobs } from '../helpers/jobs'
import { startStack, type Stack } from '../helpers/stack'

// The 15-minute payment window of the default; the host's own timer stays out of the way (its first
// run is at start, the next an hour later): the test runs the jobs itself, with a clock past the deadline.
const env = { ORDER_PAY_MINUTES: '15', JOB_INTERVAL_MS: '3600000' }
let stack: Stack
let jobs: Jobs

beforeAll(async () => {
  stack = await startStack({ env })
  jobs = await jobsFor(stack, env)
}, 90_000)
afterAll(async () => {
  await jobs?.close()
  await stack?.stop()
})

test('an unpaid order is cancelled at its deadline, its stock returned once, and a late payment is refunded', async () => {
  const admin = (await stack.login('admin')).token
  const productId = await createProduct(stack, admin, { stock: 6 })
  const { token } = await stack.login('slow-payer')
  const orders = await Promise.all(
    [1, 2, 3].map(() => stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key() }, token)),
  )
  const { payment } = await stack.ok('order', { action: 'pay', orderId: orders[0].orderId }, token)
  expect(await stockOf(stack, productId)).toBe(0)

  // Before the deadline the jobs leave them alone; past it they cancel all three.
  expect((await jobs.runAt(minutesFromNow(14))).cancelled).toBe(0)
  expect((await jobs.runAt(minutesFromNow(16))).cancelled).toBe(3)
  const { items: list } = await stack.ok('order', { action: 'list', tab: 'all' }, token)
  expect(list).toHaveLength(3)
  for (const o of list) expect(o.status).toBe('cancelled')
  for (const o of list) expect(o.cancelReason).toBe('超时未支付')
  expect(await stockOf(stack, productId)).toBe(6)
  // Several job runs later, still returned exactly once.
  for (const minutes of [17, 30, 60]) expect((await jobs.runAt(minutesFromNow(minutes))).cancelled).toBe(0)
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
