/** What the new-user deal and the earnings ledger need from storage. */
import type {
  AdminWithdrawal,
  EarningsBucket,
  EarningsEntryKind,
  EarningsKind,
  DealFunnel,
  DealStatus,
  InviteCountsWhen,
  Withdrawal,
  WithdrawalConfirm,
  WithdrawalStatus,
} from '../../contract'

export interface DealCampaignRecord {
  id: string
  productId: string
  skuId: string
  title: string
  cover: string
  dealPriceFen: number
  listPriceFen: number
  stock: number
  baseClaims: number
  extraClaimsPerInvite: number
  maxExtraClaims: number
  inviteCountsWhen: InviteCountsWhen
  inviteRewardFen: number
  status: DealStatus
}

/** A campaign as the console lists it: its record, the SKU's own price, and its funnel. */
export interface AdminDealRecord extends DealCampaignRecord {
  specText: string
  priceFen: number
  createdAt: string
  funnel: DealFunnel
}

/** The editable terms of a campaign (admin.updateDealCampaign). */
export interface DealTerms {
  dealPriceFen?: number
  baseClaims?: number
  extraClaimsPerInvite?: number
  maxExtraClaims?: number
  inviteCountsWhen?: InviteCountsWhen
  inviteRewardFen?: number
  status?: DealStatus
}

/** One friend who opened an inviter's link: an invite (`refusal` null) or a refused attempt with its reason. */
export interface InviteFact {
  nickname: string
  acceptedAt: string
  refusal: string | null
  /** Whether the invitee paid a deal order of the campaign that is not refunded (false for a refusal). */
  inviteePaid: boolean
}

export interface DealRepo {
  create(
    c: Omit<DealCampaignRecord, 'id' | 'title' | 'cover' | 'listPriceFen' | 'stock' | 'status'> & { status?: DealStatus },
  ): Promise<string>
  get(id: string): Promise<DealCampaignRecord | null>
  /**
   * The campaign for a claim, its row held FOR SHARE until the transaction ends: a pause (an update
   * of the row) waits for claims in flight, and a claim after a pause reads the paused row.
   */
  getForClaim(id: string): Promise<DealCampaignRecord | null>
  /** Campaigns with their funnels, newest first (one query per figure family, never per campaign). */
  adminList(ids?: string[]): Promise<AdminDealRecord[]>
  /**
   * Applies the terms; `inviteCountsWhen` only while nobody has entered the campaign (checked in the
   * same statement). 'entered' when that refused the change, null when there is no such campaign.
   */
  update(id: string, terms: DealTerms): Promise<'ok' | 'entered' | null>
  /** Whether anyone has entered the campaign. */
  anyEntry(id: string): Promise<boolean>
  entry(campaignId: string, userId: string): Promise<{ wasNew: boolean } | null>
  /** The user's first touch of the campaign; false when they had entered before. */
  enter(campaignId: string, userId: string, wasNew: boolean): Promise<boolean>
  /** The invite of `inviteeId`; false when someone's invite of them exists already. */
  addInvite(campaignId: string, inviteeId: string, inviterId: string, rewardable: boolean): Promise<boolean>
  /**
   * The inviter's invites, and how many of them have an invitee who paid a deal order of the campaign
   * that is not refunded (deal.rules.ts decides which count). One row, however many invites.
   */
  inviteTally(campaignId: string, inviterId: string): Promise<{ invites: number; inviteePaid: number }>
  /** Everyone who opened the inviter's link, newest first (at most 200): invites with whether their invitee paid, and refusals. */
  invitesBy(campaignId: string, inviterId: string): Promise<InviteFact[]>
  recordRefusal(campaignId: string, inviteeId: string, inviterId: string, reason: string): Promise<void>
  /** Uses one more claim only while under `allowed`. */
  useClaim(campaignId: string, userId: string, allowed: number): Promise<boolean>
  claimsUsed(campaignId: string, userId: string): Promise<number>
  /** The user's newest deal order of the campaign still waiting for payment at `now` (before its deadline), or null. */
  pendingOrder(campaignId: string, userId: string, now: Date): Promise<{ orderId: string; payableFen: number; payDeadline: string } | null>
  /** A cancelled deal order gives its claim back. */
  releaseClaim(orderId: string): Promise<void>
}

/** What the earnings of a paid order are computed from (earnings.rules.ts). */
export interface AccrualFacts {
  orderId: string
  buyerId: string
  sharerId: string | null
  /** The order's lines, each with its product's commission rate in thousandths (0.085 → 85). */
  lines: Array<{ unitPriceFen: number; qty: number; discountFen: number; commissionPermille: number }>
  /** For a deal order: its campaign's invite reward and the buyer's invite into it (null when none). */
  deal: { campaignId: string; inviteRewardFen: number; invite: { inviterId: string; rewardable: boolean } | null } | null
}

/** One pending accrual to record; an invite reward names its invite. */
export interface NewAccrual {
  userId: string
  orderId: string
  kind: EarningsKind
  amountFen: number
  invite: { campaignId: string; inviteeId: string } | null
}

export interface EarningsRepo {
  /** The facts the order's earnings are computed from; null when there is no such order. */
  accrualFacts(orderId: string): Promise<AccrualFacts | null>
  /**
   * Records the accruals as given, each at most once: the ledger's unique keys (one accrual per
   * order and kind; one invite reward per invite) keep out a repeat, however many race.
   */
  accrue(accruals: NewAccrual[]): Promise<void>
  /** Settles what orders paid before `paidBefore` (not refunded or being refunded) still hold pending. */
  settle(paidBefore: Date): Promise<number>
  /**
   * Takes back what a refunded order earned anyone, once: what is still pending is reversed, what
   * already settled is clawed back from the settled balance. Serialised with \`settle\` on the accruals.
   */
  takeBack(orderId: string): Promise<void>
  mine(userId: string): Promise<{
    pendingFen: number
    settledFen: number
    entries: Array<{
      orderId: string | null
      withdrawalId: string | null
      kind: EarningsKind
      entry: EarningsEntryKind
      bucket: EarningsBucket
      amountFen: number
      createdAt: string
    }>
  }>
}

/** Withdrawals (提现) and their ledger lines. */
export interface WithdrawalRepo {
  /**
   * Serialises the caller's withdrawals for the rest of the transaction (a per-user advisory lock),
   * so a balance read after it stays true until the hold is written.
   */
  lockUser(userId: string): Promise<void>
  byKey(userId: string, idempotencyKey: string): Promise<Withdrawal | null>
  /** A withdrawal pending or transferring: one at a time per user. */
  hasPending(userId: string): Promise<boolean>
  /** The settled bucket's sum: settled earnings less holds, plus returns. */
  settledFen(userId: string): Promise<number>
  /** A pending withdrawal and its hold on the settled balance, in one statement. */
  create(userId: string, amountFen: number, idempotencyKey: string): Promise<Withdrawal>
  get(id: string): Promise<(Withdrawal & { userId: string }) | null>
  /**
   * pending → `to`, once (a conditional update); a rejection also writes the `withdraw_return`
   * line. null when the withdrawal was no longer pending (or does not exist).
   */
  decide(id: string, to: 'transferring' | 'rejected', reason: string | null): Promise<(Withdrawal & { userId: string }) | null>
  /** Keeps the provider's bill and what the user confirms receipt with, on a transferring withdrawal. */
  startTransfer(id: string, transferId: string, confirm: WithdrawalConfirm | null): Promise<void>
  /**
   * transferring → paid or failed, once (a conditional update); a failure also writes the
   * `withdraw_return` line. null when the withdrawal was not transferring (or does not exist).
   */
  finish(
    id: string,
    to: 'paid' | 'failed',
    reason: string | null,
    transferId: string | null,
  ): Promise<(Withdrawal & { userId: string }) | null>
  /** The user's withdrawals, newest first; a transferring one carries `confirm`. */
  mine(userId: string): Promise<Withdrawal[]>
  /** Newest first; `after` is the id of the last one of the previous page. */
  list(status: WithdrawalStatus | undefined, after: string | null, limit: number): Promise<AdminWithdrawal[]>
}
