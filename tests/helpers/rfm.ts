/**
 * Scripted customers for the RFM tests: users and orders written straight in SQL (the orders trigger
 * keeps customer_stats as it does for real payments). Dates are whole days before today on the
 * shop's calendar (Asia/Shanghai noon), so "N 天前" is exactly N.
 */
import { sql } from './mall'
import type { Stack } from './stack'

export type Status = 'paid' | 'shipped' | 'completed' | 'refunded' | 'cancelled' | 'pending_payment' | 'refund_requested'

/** `daysAgo` at noon in Shanghai, as SQL over now(). */
const AT = `((date_trunc('day', now() AT TIME ZONE 'Asia/Shanghai') - make_interval(days => $2::int) + interval '12 hours') AT TIME ZONE 'Asia/Shanghai')`

export async function customer(stack: Stack, id: string, nickname: string, phone?: string): Promise<void> {
  await sql(stack, `INSERT INTO users (id, openid, nickname) VALUES ($1, $1, $2)`, [id, nickname])
  if (phone) {
    await sql(
      stack,
      `INSERT INTO addresses (user_id, name, phone, province, city, district, detail, is_default)
       VALUES ($1, '收件人', $2, '广东省', '深圳市', '南山区', '科技园1号', true)`,
      [id, phone],
    )
  }
}

let n = 0
/** One order of `payableFen` placed (and paid, unless unpaid or cancelled) `daysAgo` days ago. */
export async function order(stack: Stack, userId: string, payableFen: number, daysAgo: number, status: Status): Promise<string> {
  const paid = status !== 'pending_payment' && status !== 'cancelled'
  const [{ id }] = await sql(
    stack,
    `INSERT INTO orders (user_id, status, idempotency_key, goods_fen, payable_fen, created_at, pay_deadline, paid_at, refunded_at)
     VALUES ($1, $3, $4, $5, $5, ${AT}, ${AT} + interval '15 minutes', CASE WHEN $6 THEN ${AT} END,
       CASE WHEN $3 = 'refunded' THEN ${AT} + interval '1 hour' END) RETURNING id`,
    [userId, daysAgo, status, `rfm-order-${++n}-${userId}`, payableFen, paid],
  )
  return id
}
