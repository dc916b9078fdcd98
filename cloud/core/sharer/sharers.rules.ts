/**
 * The sharer ranking's definitions, pure: which instants a range covers (whole days by the shop's
 * clock, today included, as 概览 counts them), the order of each sort with its tiebreaks, and the
 * cursor of a page. The sums themselves are the database's (cloud/db/repos/sharer.repo.ts).
 */
import type { SharerRange } from '../../contract'
import { shopDayStart } from '../admin/dashboard.service'
import { fail } from '../errors'
import type { SharerPosition, SharerSort } from './sharer.ports'

const DAY_MS = 86_400_000
const DAYS: Record<Exclude<SharerRange, 'all'>, number> = { '7d': 7, '30d': 30, '90d': 90 }

/** `7d` / `30d` / `90d`: that many whole shop days ending with today's; `all`: no bounds. */
export function sharerRangeOf(range: SharerRange, now: Date): { from: Date | null; to: Date | null } {
  if (range === 'all') return { from: null, to: null }
  const today = shopDayStart(now)
  return { from: new Date(today.getTime() - (DAYS[range] - 1) * DAY_MS), to: new Date(today.getTime() + DAY_MS) }
}

/**
 * Each sort's keys, all descending, then the user id ascending (code-point order) so that equal
 * figures still have one stable order: orders → (orders, GMV, commission); GMV → (GMV, orders,
 * commission); commission → (commission, GMV, orders).
 */
export const SORT_KEYS: Record<SharerSort, ReadonlyArray<keyof Omit<SharerPosition, 'userId'>>> = {
  orders: ['orders', 'gmvFen', 'commissionFen'],
  gmv: ['gmvFen', 'orders', 'commissionFen'],
  commission: ['commissionFen', 'gmvFen', 'orders'],
}

const INVALID = () => fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])

/** A cursor names the sort it was made for, so one from another sort is refused rather than misread. */
export function encodeSharerCursor(sort: SharerSort, p: SharerPosition): string {
  return Buffer.from(`r:${sort}:${p.orders}:${p.gmvFen}:${p.commissionFen}:${p.userId}`, 'utf8').toString('base64url')
}

export function decodeSharerCursor(sort: SharerSort, cursor: string): SharerPosition {
  const m = /^r:(orders|gmv|commission):(\d{1,15}):(\d{1,15}):(-?\d{1,15}):([A-Za-z0-9_]{1,64})$/.exec(
    Buffer.from(cursor, 'base64url').toString('utf8'),
  )
  if (!m || m[1] !== sort) return INVALID()
  return { orders: Number(m[2]), gmvFen: Number(m[3]), commissionFen: Number(m[4]), userId: m[5]! }
}

/** The page a guide code opens: the mall home (a tab page). */
export const HOME_PAGE = 'pages/index/index'

/**
 * A guide code's scene: the 16 hex of the guide's user id after `u_` (a mini-program code carries at
 * most 32 characters); the home page reads it back as the sharer. Null for an id of another shape.
 */
export function guideScene(userId: string): string | null {
  const m = /^u_([0-9a-f]{16})$/.exec(userId)
  return m ? m[1]! : null
}

/** The path of the home with the guide as the sharer, as a link (卡片) carries it. */
export const guidePath = (userId: string) => `${HOME_PAGE}?sharerId=${userId}`
