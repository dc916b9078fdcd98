/** What membership needs from storage: who is a member, tiers, the points balance and its ledger, the shop's rules. */
import type { MemberRules, MemberTier, PointsEntryKind } from '../../contract'

/** What checkout needs of the buyer, read in one statement: member or not, spendable points, the shop's rules. */
export interface CheckoutFacts {
  isMember: boolean
  available: number
  rules: MemberRules
}

export interface MemberStatusRecord {
  isMember: boolean
  phone: string | null
  wecom: boolean
  /** The stored tier and spend (null: never a member). */
  tier: MemberTier | null
  spendFen: number
  available: number
  pending: number
  rules: MemberRules
}

export interface PointsEntryRecord {
  id: string
  kind: PointsEntryKind
  points: number
  orderId: string | null
  orderNo: string | null
  at: Date
}

export interface MemberStatsRecord {
  members: number
  byTier: Record<MemberTier, number>
  byWay: { phone: number; wecom: number; both: number }
  points: { earned: number; pending: number; available: number; spent: number; returned: number; expired: number; reversed: number }
  memberPriceOrders: number
  memberSavingFen: number
}

export interface MemberListRow {
  userId: string
  nickname: string
  phone: string | null
  wecom: boolean
  active: boolean
  tier: MemberTier
  spendFen: number
  available: number
  pending: number
  joinedAt: Date
}

export interface MembershipRepo {
  /** Whether the user is a member now (membership_active). */
  isMember(userId: string): Promise<boolean>
  checkoutFacts(userId: string): Promise<CheckoutFacts>
  rules(): Promise<MemberRules>
  saveRules(rules: MemberRules, at: Date): Promise<void>
  status(userId: string): Promise<MemberStatusRecord>
  /** The user's ledger, newest first, entries with id below `beforeId`. */
  ledger(userId: string, beforeId: string | null, limit: number): Promise<PointsEntryRecord[]>
  /** Takes `points` from the user's available balance for the order, by one conditional update with its ledger entry; false when short. */
  spend(userId: string, orderId: string, points: number, at: Date): Promise<boolean>
  /** Gives an order's spent points back (once). */
  giveBack(orderId: string, at: Date): Promise<void>
  /** On payment: the tier and spend recomputed, and the points the order earns a member (pending), in one statement. */
  paid(orderId: string, at: Date): Promise<void>
  /** On refund: what the order earned taken back (reversed while pending, clawed back once settled), the tier recomputed. */
  refunded(orderId: string, at: Date): Promise<void>
  /** Settles earned points of orders paid before `paidBefore` (still paid); how many orders. */
  settle(paidBefore: Date, at: Date): Promise<number>
  /**
   * The members with old points left to expire (settled before `cutoff`: credits net of their own
   * clawbacks, above the debits so far), their balance rows locked, with those sums (debits
   * positive: spent net of returns, expired before).
   */
  expiryFacts(cutoff: Date): Promise<Array<{ userId: string; credits: number; debits: number }>>
  /** Writes a run's expiry entries for the year `period` (at most one per member, year and run day: a unique key) and their balances; how many written. */
  expire(period: number, day: string, amounts: Array<{ userId: string; points: number }>, at: Date): Promise<number>
  /** Tiers and spends recomputed where the 365 days moved them (at most 1,000 members); how many changed. */
  recomputeTiers(at: Date): Promise<number>
  /** Claims today's run of a daily job (the shop's date, YYYY-MM-DD): true once per day, in this transaction. */
  claimDailyRun(job: 'tiers' | 'expiry', day: string): Promise<boolean>
  stats(): Promise<MemberStatsRecord>
  list(filter: { tier: MemberTier | null }, offset: number, limit: number): Promise<{ rows: MemberListRow[]; total: number }>
}
