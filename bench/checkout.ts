/**
 * The whole checkout, as a shopper goes through it: sign in, claim a coupon, place the order with it,
 * pay (order.pay), and the payment provider's signed notify (the sandbox's, as WeChat Pay posts it),
 * from 64 concurrent shoppers. Reports checkouts/s, latency, CPU per checkout, and the round trips
 * and SQL statements each step sends to PostgreSQL, counted by the host itself (DB_COUNT_TRAFFIC=1,
 * cloud/db/database.ts `traffic`, read at /api/debug/db-traffic). Ends by checking that every
 * checkout paid exactly once and nothing oversold or over-claimed.
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Stack } from '../tests/helpers/stack'
import { CONCURRENCY, cpuPer, drive, percentile, withCpu, type Row } from './lib'

const CHECKOUTS = Number(process.env.BENCH_CHECKOUTS ?? 1000)
/** Checkouts run one at a time, step by step, to count each step's statements (no other traffic meanwhile). */
const COUNTED = 20

const STEPS = ['sign in', 'claim', 'order', 'pay', 'notify'] as const
type Step = (typeof STEPS)[number]

/**
 * The same counts before issue 17 (commit d4320f3, measured by this bench with the counter added):
 * every statement its own round trip, BEGIN and COMMIT included, the rate limiter's on its own connection.
 */
const BEFORE: Record<Step | 'checkout', number> = { 'sign in': 5, claim: 7, order: 15, pay: 4, notify: 9, checkout: 40 }

interface Traffic {
  roundTrips: number
  statements: number
}

async function trafficOf(stack: Stack): Promise<Traffic> {
  const res = await fetch(`${stack.url}/api/debug/db-traffic`)
  if (!res.ok) throw new Error('the host does not count its database traffic: start it with DB_COUNT_TRAFFIC=1')
  return (await res.json()) as Traffic
}

/** One shopper's checkout; `step` is told when each step is done. */
async function checkout(stack: Stack, shopper: string, couponId: string, productId: string, step: (s: Step) => Promise<void>) {
  const { token } = await stack.login(shopper)
  await step('sign in')
  const { userCouponId } = await stack.ok('coupon', { action: 'claim', couponId }, token)
  await step('claim')
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 1 }], userCouponId, idempotencyKey: randomUUID() },
    token,
  )
  await step('order')
  const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
  await step('pay')
  const res = await fetch(payment.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payment.body),
  })
  const answer = (await res.json()) as { code: string }
  if (res.status !== 200 || answer.code !== 'SUCCESS') throw new Error(`the notify of ${orderId} was refused: ${JSON.stringify(answer)}`)
  await step('notify')
}

export async function benchCheckout(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const total = CHECKOUTS + COUNTED
  const { productId } = await stack.ok('admin', { action: 'createProduct', title: '压测结账', priceFen: 5900, stock: total }, admin)
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '压测结账券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: total, perUserLimit: 1 },
    admin,
  )

  // Each step's statements, from checkouts run one at a time.
  const per = new Map<Step, Traffic>(STEPS.map((s) => [s, { roundTrips: 0, statements: 0 }]))
  for (let i = 0; i < COUNTED; i++) {
    let before = await trafficOf(stack)
    await checkout(stack, `bench-counted-${i}`, couponId, productId, async (s) => {
      const now = await trafficOf(stack)
      per.get(s)!.roundTrips += now.roundTrips - before.roundTrips
      per.get(s)!.statements += now.statements - before.statements
      before = now
    })
  }

  // The timed run: 64 shoppers at once, each a fresh sign-in.
  const before = await trafficOf(stack)
  let n = 0
  const took = new Map<Step, number[]>(STEPS.map((s) => [s, []]))
  const { result: run, cpu } = await withCpu(stack.pid, () =>
    drive(CHECKOUTS, CONCURRENCY, () => {
      let t0 = performance.now()
      return checkout(stack, `bench-shopper-${n++}`, couponId, productId, async (s) => {
        const t = performance.now()
        took.get(s)!.push(t - t0)
        t0 = t
      })
    }),
  )
  const stepP50 = (s: Step) => {
    const sorted = took.get(s)!.sort((a, b) => a - b)
    return percentile(sorted, 50)
  }
  const after = await trafficOf(stack)

  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  const [check] = (
    await db.query(
      `SELECT (SELECT count(*)::int FROM orders o JOIN order_items i ON i.order_id = o.id WHERE i.product_id = $1 AND o.status = 'paid') AS paid,
         (SELECT count(*)::int FROM payments p JOIN order_items i ON i.order_id = p.order_id WHERE i.product_id = $1) AS payments,
         (SELECT stock FROM skus WHERE product_id = $1) AS left,
         (SELECT count(*)::int FROM user_coupons WHERE coupon_id = $2 AND used_at IS NOT NULL) AS used,
         (SELECT claimed FROM coupons WHERE id = $2) AS claimed`,
      [productId, couponId],
    )
  ).rows
  await db.end()
  if (check.paid !== total || check.payments !== total || check.left !== 0 || check.used !== total || check.claimed !== total)
    throw new Error(`checkout check failed: ${JSON.stringify(check)} of ${total}`)

  const avg = (t: Traffic) => `${(t.roundTrips / COUNTED).toFixed(1)} round trips, ${(t.statements / COUNTED).toFixed(1)} statements`
  const sum = [...per.values()].reduce((a, t) => ({ roundTrips: a.roundTrips + t.roundTrips, statements: a.statements + t.statements }), {
    roundTrips: 0,
    statements: 0,
  })
  const timed = { roundTrips: after.roundTrips - before.roundTrips, statements: after.statements - before.statements }
  return [
    {
      name: `whole checkout, ${CONCURRENCY} concurrent shoppers`,
      value: `${run.perSecond.toFixed(0)} checkouts/s`,
      note: `p50 ${run.p50.toFixed(1)} ms, p99 ${run.p99.toFixed(1)} ms; ${CHECKOUTS} paid once each, 0 oversold, 0 over-claimed; ${cpuPer(cpu, CHECKOUTS).replace('per request', 'per checkout')}`,
    },
    {
      name: 'database traffic per checkout',
      value: `${(sum.statements / COUNTED).toFixed(1)} statements`,
      note: `${avg(sum)} one at a time (before issue 17, counted on d4320f3 with the same counter and kept here as constants: ${BEFORE.checkout} statements, ${BEFORE.checkout} round trips); under load ${(timed.roundTrips / CHECKOUTS).toFixed(1)} round trips, ${(timed.statements / CHECKOUTS).toFixed(1)} statements (jobs included)`,
    },
    ...STEPS.map((s) => ({
      name: `… ${s}`,
      value: `${(per.get(s)!.statements / COUNTED).toFixed(1)} statements`,
      note: `${avg(per.get(s)!)} (before: ${BEFORE[s]} statements, ${BEFORE[s]} round trips); under load p50 ${stepP50(s).toFixed(1)} ms`,
    })),
  ]
}
