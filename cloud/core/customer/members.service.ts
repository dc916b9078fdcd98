/**
 * Customers by RFM: the member list, the segments' counts, a customer's page, and coupon grants to a
 * segment or a list (docs/rules.md, Customers). The aggregates behind them are kept by the database
 * as orders are paid and refunded (migration 030); segments are computed at query time against the
 * shop's averages, so the figures are as of the call.
 */
import type { ActionArgs, ActionResult, MemberRow, Segment } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { row as orderRow } from '../order/desk.service'
import type { CouponRecord } from '../coupon/coupon.ports'
import { ruleText } from '../coupon/coupon.rules'
import { maskPhone } from '../member/join.rules'
import type { MemberFilter, MemberRecord, MemberSort } from './members.ports'
import { shopClock } from '../shop-clock'

const DAY = 86_400_000
const PAGE = 20

function view(m: MemberRecord): MemberRow {
  return {
    userId: m.userId,
    nickname: m.nickname,
    avatar: m.avatar,
    phone: maskPhone(m.phone),
    recencyDays: m.recencyDays,
    orders: m.orders,
    spentFen: m.spentFen,
    lastPaidAt: m.lastPaidAt ? m.lastPaidAt.toISOString() : null,
    segment: m.segment,
    joinedAt: m.joinedAt.toISOString(),
  }
}

/** A cursor names the sort it was made for, so one from another sort is refused rather than misread. */
function encodeCursor(sort: MemberSort, key: string, userId: string): string {
  return Buffer.from(JSON.stringify([sort, key, userId]), 'utf8').toString('base64url')
}

/** `2026-12-01 16:00:00.123456+00` as PostgreSQL prints a timestamptz, a real date and time. */
function isTimestamp(s: string): boolean {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(\.\d{1,6})?[+-]\d{2}(:\d{2}){0,2}$/.exec(s)
  if (!m) return false
  const [y, mo, d, h, mi, se] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number]
  const day = new Date(Date.UTC(y, mo - 1, d))
  return y >= 1 && day.getUTCMonth() === mo - 1 && day.getUTCDate() === d && h < 24 && mi < 60 && se < 60
}

/** Whether `key` is a sort key of `sort` as the list prints it. */
const KEY_FITS: Record<MemberSort, (key: string) => boolean> = {
  recent: (k) => k === '-infinity' || isTimestamp(k),
  spent: (k) => /^\d{1,15}$/.test(k),
  orders: (k) => /^\d{1,9}$/.test(k),
  joined: isTimestamp,
}

function decodeCursor(sort: MemberSort, cursor: string): { key: string; userId: string } {
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'))
    if (
      Array.isArray(v) &&
      v.length === 3 &&
      v[0] === sort &&
      typeof v[1] === 'string' &&
      typeof v[2] === 'string' &&
      KEY_FITS[sort](v[1]) &&
      /^[A-Za-z0-9_-]{1,64}$/.test(v[2])
    ) {
      return { key: v[1], userId: v[2] }
    }
  } catch {
    // refused below
  }
  return fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])
}

/** A search: a nickname's part; digits (at least 4) are also a phone's start or end (尾号). Full-width characters folded. */
export function memberFilter(input: { segment?: Segment; q?: string }): MemberFilter {
  const q = input.q?.normalize('NFKC').trim() ?? ''
  return {
    segment: input.segment ?? null,
    nickname: q || null,
    phoneDigits: /^[0-9]{4,}$/.test(q) ? q : null,
  }
}

export async function members(ctx: AuthedCtx, input: ActionArgs<'admin', 'members'>): Promise<ActionResult<'admin', 'members'>> {
  const sort: MemberSort = input.sort ?? 'recent'
  const after = input.cursor == null ? null : decodeCursor(sort, input.cursor)
  const now = ctx.now()
  const rows = await ctx.repos.members.list(memberFilter(input), sort, after, PAGE + 1, now)
  const page = rows.slice(0, PAGE)
  const last = page[page.length - 1]
  return {
    items: page.map(view),
    nextCursor: rows.length > PAGE && last ? encodeCursor(sort, last.sortKey, last.userId) : null,
    computedAt: now.toISOString(),
  }
}

export async function segments(ctx: AuthedCtx, input: ActionArgs<'admin', 'segments'>): Promise<ActionResult<'admin', 'segments'>> {
  void input
  const now = ctx.now()
  const a = await ctx.repos.members.averages(now)
  return {
    counts: a.counts,
    customers: a.customers,
    withoutOrders: a.withoutOrders,
    averages: { recencyDays: round2(a.recencyDays), orders: round2(a.orders), spentFen: Math.round(a.spentFen) },
    computedAt: now.toISOString(),
  }
}

const round2 = (n: number) => Math.round(n * 100) / 100

export async function member(ctx: AuthedCtx, input: ActionArgs<'admin', 'member'>): Promise<ActionResult<'admin', 'member'>> {
  const now = ctx.now()
  const m = await ctx.repos.members.get(input.userId, now)
  if (!m) return fail('NOT_FOUND', '客户不存在')
  const repo = ctx.repos.members
  const [orderIds, held, source, invites, earnings, allowance] = await Promise.all([
    repo.orderIds(m.userId, 20),
    repo.coupons(m.userId),
    repo.source(m.userId),
    repo.invites(m.userId),
    repo.earnings(m.userId),
    repo.allowance(m.userId, 'coupon_arrival'),
  ])
  // One query each for the orders and the held coupons' templates, not one per row.
  const [deskOrders, heldTemplates] = await Promise.all([
    ctx.repos.desk.many(orderIds),
    ctx.repos.coupons.many([...new Set(held.map((c) => c.couponId))]),
  ])
  const orders = deskOrders.map((o) => orderRow(ctx, o))
  const templates = new Map<string, CouponRecord>(heldTemplates.map((t) => [t.id, t]))
  const coupons = held.flatMap((c) => {
    const t = templates.get(c.couponId)
    if (!t) return []
    const expired = c.status === 'available' && new Date(c.validTo) < now
    return [
      {
        title: t.title,
        ruleText: ruleText(t),
        status: expired ? ('expired' as const) : c.status,
        claimedAt: c.claimedAt,
        validTo: c.validTo,
      },
    ]
  })
  return { member: view(m), source, orders, coupons, invites, earnings, notifiable: allowance > 0 }
}

/** Grant keys the live room's own grants use (console.service: room-top3:<roomId>, room-end:<roomId>), and ':' kept for more. */
const RESERVED_GRANT_KEY = /^(:|room-end:|room-top3:)/

/**
 * Grants a coupon to a segment (its customers as of now) or to a list: one coupon per customer and
 * key however often and concurrently sent, outside the claim stock and per-user limit; valid as a
 * claim now would be (validDays from now, else the coupon's window). An ended coupon (by 结束 or its
 * window's end) is refused; a paused one can still be granted (pausing stops claims, not the shop's
 * own grants); the status is read with the coupon's row held shared, so a grant committing after a
 * 结束 committed is refused. Keys of the room's own grants are refused. Newly granted customers with a 到券提醒 allowance get one message, taking one.
 */
export async function issueCoupon(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'issueCoupon'>,
): Promise<ActionResult<'admin', 'issueCoupon'>> {
  if (RESERVED_GRANT_KEY.test(input.grantKey)) {
    fail('VALIDATION_FAILED', '发放编号无效', [
      { path: 'grantKey', message: '发放编号不能以 「:」、「room-end:」或「room-top3:」 开头（直播间自动发券专用）' },
    ])
  }
  // The row held shared first (a concurrent 结束 is waited for), then the coupon read after it.
  const status = await ctx.repos.members.couponStatus(input.couponId)
  const c = await ctx.repos.coupons.get(input.couponId)
  if (!c) return fail('NOT_FOUND', '优惠券不存在')
  if (status === 'ended' || ctx.now() > c.validTo) fail('COUPON_ENDED', '优惠券已结束，不能再发放')
  let userIds: string[] | null = null
  if (input.userIds) {
    userIds = [...new Set(input.userIds)]
    const found = new Set(await ctx.repos.members.existing(userIds))
    const missing = userIds.filter((u) => !found.has(u))
    if (missing.length > 0) fail('VALIDATION_FAILED', '客户不存在', [{ path: 'userIds', message: `有 ${missing.length} 位客户不存在` }])
  }
  return grant(ctx, c, { segment: input.segment ?? null, userIds, grantKey: input.grantKey })
}

/**
 * The grant itself, for admin.issueCoupon and the live room's prizes and post-live coupons (which
 * name viewers that exist and grant whatever the coupon's claim window says).
 */
export async function grant(
  ctx: AuthedCtx,
  c: CouponRecord,
  to: { segment: Segment | null; userIds: string[] | null; grantKey: string },
): Promise<{ issued: number; already: number }> {
  const now = ctx.now()
  const validity = c.validDays
    ? { validFrom: now, validTo: new Date(now.getTime() + c.validDays * DAY) }
    : { validFrom: c.validFrom, validTo: c.validTo }
  const r = await ctx.repos.members.grant({
    couponId: c.id,
    grantKey: to.grantKey,
    segment: to.segment,
    userIds: to.userIds,
    actorId: ctx.caller.userId,
    ...validity,
    now,
    message: {
      page: 'packages/coupon/mine/index',
      data: {
        title: c.title.slice(0, 20),
        rule: ruleText(c).slice(0, 20),
        expires: shopClock(validity.validTo, true),
        tip: '优惠券已到账，快去使用吧',
      },
    },
  })
  return { issued: r.issued, already: r.targeted - r.issued }
}
