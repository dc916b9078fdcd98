/** What customers by RFM need from storage: the per-customer aggregates, grants and allowances. */
import type { MessageKind, Segment } from '../../contract'

export type MemberSort = 'recent' | 'spent' | 'orders' | 'joined'

/** A customer's aggregates as stored, with the segment computed against the shop's averages. */
export interface MemberRecord {
  userId: string
  nickname: string
  avatar: string | null
  /** The default (else newest) address's phone, unmasked. */
  phone: string | null
  orders: number
  spentFen: number
  lastPaidAt: Date | null
  /** Whole days since the last paid order on the shop's calendar (Asia/Shanghai); null without one. */
  recencyDays: number | null
  segment: Segment | null
  joinedAt: Date
  /** The sort key of this row (for the cursor). */
  sortKey: string
}

export interface MemberFilter {
  segment: Segment | null
  /** Nickname contains, both sides folded alike (NFKC, case-insensitive). */
  nickname: string | null
  /** Digits one of their addresses' phones starts or ends with (at least 4: 尾号 or the number's start). */
  phoneDigits: string | null
}

export interface ShopAverages {
  customers: number
  withoutOrders: number
  recencyDays: number
  orders: number
  spentFen: number
  counts: Record<Segment, number>
}

export interface GrantTarget {
  couponId: string
  grantKey: string
  segment: Segment | null
  userIds: string[] | null
  actorId: string
  validFrom: Date
  validTo: Date
  now: Date
  /** The coupon_arrival message for those who allowed it. */
  message: { page: string; data: Record<string, string> }
}

export interface GrantRow {
  grantKey: string
  segment: Segment | null
  issued: number
  used: number
  notified: number
  createdAt: string
  actorName: string
}

export interface MembersRepo {
  /** The shop's averages over customers with a counted order, and the count of each segment, at `now`. */
  averages(now: Date): Promise<ShopAverages>
  /** Up to `limit` customers under the filter, sorted, after the cursor's position. */
  list(
    filter: MemberFilter,
    sort: MemberSort,
    after: { key: string; userId: string } | null,
    limit: number,
    now: Date,
  ): Promise<MemberRecord[]>
  get(userId: string, now: Date): Promise<MemberRecord | null>
  /** The ids of the user's newest orders, newest first. */
  orderIds(userId: string, limit: number): Promise<string[]>
  coupons(userId: string): Promise<Array<{ couponId: string; status: 'available' | 'locked' | 'used'; claimedAt: string; validTo: string }>>
  /** The room of their first entry and the sharer who first brought them (share touch or room entry). */
  source(userId: string): Promise<{ room: { roomId: string; title: string } | null; sharer: { userId: string; nickname: string } | null }>
  invites(userId: string): Promise<{ room: number; deal: number }>
  earnings(userId: string): Promise<{ pendingFen: number; settledFen: number; withdrawnFen: number }>
  allowance(userId: string, kind: MessageKind): Promise<number>
  /** One more allowance of `kind` (at most `cap` kept): how many they have after. */
  allow(userId: string, kind: MessageKind, cap: number): Promise<number>
  /** Which of these users exist. */
  existing(userIds: string[]): Promise<string[]>
  /**
   * The coupon's status as the marketing desk keeps it, read after taking its status lock shared to
   * the commit (not its row: claims go on): a grant waits for a concurrent 结束 to commit and then
   * reads `ended` (and 结束 waits for the grant).
   */
  couponStatus(couponId: string): Promise<string | null>
  /**
   * Grants in one statement per step: the grant's row (locked to the commit, so calls with the same
   * key queue), one coupon per targeted customer and key, and one coupon_arrival message to each
   * newly granted customer who has an allowance, taking one.
   */
  grant(t: GrantTarget): Promise<{ targeted: number; issued: number; notified: number }>
  grants(couponId: string): Promise<GrantRow[]>
}
