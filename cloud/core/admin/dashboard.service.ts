/**
 * 概览: the shop's figures over a range, from SQL over orders. The rules live here: which instants a
 * range covers (whole days by the shop's clock), where an order's money came from (first match), and
 * the ratios; the sums are the database's (cloud/db/repos/dashboard.repo.ts).
 */
import type { DashboardOutput, DashboardRange, OrderSource } from '../../contract'
import type { AuthedCtx } from '../context'
import type { SourceGroup } from './dashboard.ports'

/** The shop's clock: Asia/Shanghai, UTC+8 all year (no daylight saving). */
const SHOP_OFFSET_MS = 8 * 3_600_000
const DAY_MS = 86_400_000
const HOUR_MS = 3_600_000

/** The start (an instant) of the shop's day that holds `t`. */
export const shopDayStart = (t: Date): Date => new Date(Math.floor((t.getTime() + SHOP_OFFSET_MS) / DAY_MS) * DAY_MS - SHOP_OFFSET_MS)

const DAYS: Record<DashboardRange, number> = { today: 1, '7d': 7, '30d': 30 }

/**
 * The instants a range covers: `today` is the shop's day so far, `7d` and `30d` that many whole days
 * ending with today's (today included); `from` is a midnight in Asia/Shanghai, `to` the next
 * midnight after now (exclusive). The trend's points: each day (`YYYY-MM-DD`), or for today each hour
 * up to the current one (`HH:00`), every one present, zero when nothing was paid.
 */
export function rangeOf(range: DashboardRange, now: Date): { from: Date; to: Date; bucketMs: number; labels: string[] } {
  const today = shopDayStart(now)
  const from = new Date(today.getTime() - (DAYS[range] - 1) * DAY_MS)
  const to = new Date(today.getTime() + DAY_MS)
  const shop = (t: number) => new Date(t + SHOP_OFFSET_MS).toISOString()
  if (range === 'today') {
    const hours = Math.floor((now.getTime() - today.getTime()) / HOUR_MS) + 1
    return {
      from,
      to,
      bucketMs: HOUR_MS,
      labels: Array.from({ length: hours }, (_, h) => `${shop(today.getTime() + h * HOUR_MS).slice(11, 13)}:00`),
    }
  }
  return {
    from,
    to,
    bucketMs: DAY_MS,
    labels: Array.from({ length: DAYS[range] }, (_, d) => shop(from.getTime() + d * DAY_MS).slice(0, 10)),
  }
}

/** Where an order's money came from, first match: the 9.9 deal, a live room, a sharer, else the plain mall. */
export function sourceOf(o: { deal: boolean; live: boolean; sharer: boolean }): OrderSource {
  if (o.deal) return 'deal'
  if (o.live) return 'live'
  if (o.sharer) return 'sharer'
  return 'mall'
}

const SOURCES: readonly OrderSource[] = ['deal', 'live', 'sharer', 'mall']

export function foldSources(groups: SourceGroup[]): DashboardOutput['sources'] {
  const sums = new Map(SOURCES.map((s) => [s, { source: s, gmvFen: 0, paidOrders: 0 }]))
  for (const g of groups) {
    const s = sums.get(sourceOf(g))!
    s.gmvFen += g.gmvFen
    s.paidOrders += g.paidOrders
  }
  return [...sums.values()]
}

export async function dashboard(ctx: AuthedCtx, input: { range: DashboardRange }): Promise<DashboardOutput> {
  const { from, to, bucketMs, labels } = rangeOf(input.range, ctx.now())
  const repo = ctx.repos.dashboard
  const [t, points, groups, topProducts, topSharers] = await Promise.all([
    repo.totals(from, to),
    repo.trend(from, to, bucketMs),
    repo.sources(from, to),
    repo.topProducts(from, to, 5),
    repo.topSharers(from, to, 5),
  ])
  // A day or an hour from a shop midnight is a whole bucket (UTC+8 has no daylight saving).
  const byBucket = new Map(points.map((p) => [p.bucket, p]))
  return {
    range: input.range,
    from: from.toISOString(),
    to: to.toISOString(),
    metrics: {
      gmvFen: t.gmvFen,
      paidOrders: t.paidOrders,
      payingCustomers: t.payingCustomers,
      newCustomers: t.newCustomers,
      avgOrderFen: t.paidOrders === 0 ? 0 : Math.round(t.gmvFen / t.paidOrders),
      refundRate: t.paidAll === 0 ? 0 : t.refundedOrders / t.paidAll,
      refundedFen: t.refundedFen,
    },
    trend: labels.map((label, i) => ({ label, gmvFen: byBucket.get(i)?.gmvFen ?? 0, paidOrders: byBucket.get(i)?.paidOrders ?? 0 })),
    sources: foldSources(groups),
    topProducts,
    topSharers,
  }
}
