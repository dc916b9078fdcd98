/** What the new-user deal and the earnings ledger need from storage. */
import type { EarningsBucket, EarningsEntryKind, EarningsKind, InviteCountsWhen } from '../../contract'

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
}

export interface DealRepo {
  create(c: Omit<DealCampaignRecord, 'id' | 'title' | 'cover' | 'listPriceFen' | 'stock'>): Promise<string>
  get(id: string): Promise<DealCampaignRecord | null>
  entry(campaignId: string, userId: string): Promise<{ wasNew: boolean } | null>
  /** The user's first touch of the campaign; false when they had entered before. */
  enter(campaignId: string, userId: string, wasNew: boolean): Promise<boolean>
  /** The invite of `inviteeId`; false when someone's invite of them exists already. */
  addInvite(campaignId: string, inviteeId: string, inviterId: string, rewardable: boolean): Promise<boolean>
  /** Invites by `inviterId` that count: all of them, or (paid mode) those whose invitee paid a deal order. */
  countedInvites(campaign: DealCampaignRecord, inviterId: string): Promise<number>
  /** Everyone who opened the inviter's link: counted invites, ones waiting for payment, and refused ones with their reason. */
  invitesBy(
    campaign: DealCampaignRecord,
    inviterId: string,
  ): Promise<Array<{ nickname: string; counted: boolean; reason: string | null; acceptedAt: string }>>
  recordRefusal(campaignId: string, inviteeId: string, inviterId: string, reason: string): Promise<void>
  /** Uses one more claim only while under `allowed`. */
  useClaim(campaignId: string, userId: string, allowed: number): Promise<boolean>
  claimsUsed(campaignId: string, userId: string): Promise<number>
  /** A cancelled deal order gives its claim back. */
  releaseClaim(orderId: string): Promise<void>
}

export interface EarningsRepo {
  /** Accrues the order's sharer commission and, for a deal order, its inviter's reward (once per invite). */
  accrue(orderId: string): Promise<void>
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
      orderId: string
      kind: EarningsKind
      entry: EarningsEntryKind
      bucket: EarningsBucket
      amountFen: number
      createdAt: string
    }>
  }>
}
