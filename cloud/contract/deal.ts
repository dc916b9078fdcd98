import { z } from 'zod'
import { AddressRef, Confirm, Cursor, Fen, PriceFen, Id, IdempotencyKey, Instant, peopleText } from './common'
import { CheckoutCoupon } from './coupon'
import { OrderPreviewOutput } from './order'

/** Why an accepted invite does not count (yet): the rules' reasons, and a paid-mode invite waiting for payment. */
export const InviteCountsWhen = z.enum(['joined', 'paid'])
export type InviteCountsWhen = z.infer<typeof InviteCountsWhen>

export const InviteReason = z.enum([
  'SELF_INVITE',
  'INVITER_NOT_FOUND',
  'NOT_NEW_CUSTOMER',
  'ALREADY_ENTERED',
  'ALREADY_INVITED',
  'RISK_BLOCKED',
  'NOT_PAID_YET',
])
export type InviteReason = z.infer<typeof InviteReason>

/** `paused`: the deal page says 活动已暂停 and deal.claim answers DEAL_PAUSED; entries and invites still count. */
export const DealStatus = z.enum(['active', 'paused'])
export type DealStatus = z.infer<typeof DealStatus>

export const DealCampaignView = z.object({
  campaignId: Id,
  productId: Id,
  title: z.string(),
  cover: z.string(),
  dealPriceFen: Fen,
  listPriceFen: Fen,
  stock: z.number().int(),
  baseClaims: z.number().int(),
  extraClaimsPerInvite: z.number().int(),
  maxExtraClaims: z.number().int(),
  inviteCountsWhen: InviteCountsWhen,
  status: DealStatus,
})

export const dealActions = {
  /** Entering the campaign (first touch) and the caller's standing in it. */
  status: {
    input: z.object({ campaignId: Id }),
    output: z.object({
      campaign: DealCampaignView,
      eligible: z.boolean(),
      claimsAllowed: z.number().int(),
      claimsUsed: z.number().int(),
      invitesCounted: z.number().int(),
      /** The caller's invite poster code: a mini-program code inside WeChat, a QR code locally. */
      posterCode: z.string(),
      invites: z.array(z.object({ nickname: z.string(), counted: z.boolean(), reason: InviteReason.nullable(), acceptedAt: Instant })),
      /** The caller's newest unpaid deal order of the campaign (it holds a claim until paid or closed), to pay from the deal page. */
      pendingOrder: z.object({ orderId: Id, payableFen: Fen, payDeadline: Instant }).nullable(),
      /** For the pending order's countdown, on the server's clock. */
      serverTime: Instant,
    }),
  },
  acceptInvite: {
    input: z.object({ campaignId: Id, inviterId: Id }),
    output: z.object({ counted: z.boolean(), reason: InviteReason.optional() }),
  },
  /**
   * The deal order as checkout shows it before claiming: the campaign's SKU at the deal price, with
   * the coupon when one is given (only coupons allowed on special lines apply), and every held coupon
   * priced for this order, usable ones first.
   */
  preview: {
    input: z.object({ campaignId: Id, userCouponId: Id.optional() }),
    output: OrderPreviewOutput.extend({ coupons: z.array(CheckoutCoupon), bestId: Id.nullable() }),
  },
  /** Places a deal order, shipped to one of the caller's addresses; paid then as any order. */
  claim: {
    input: z.object({
      campaignId: Id,
      idempotencyKey: IdempotencyKey,
      addressId: AddressRef,
      userCouponId: Id.optional(),
      note: z.string().trim().max(200).optional(),
    }),
    output: z.object({ orderId: Id, payableFen: Fen }),
  },
}

/**
 * A ledger line: `accrue` (pending), `settle_out` + `settle_in` (pending → settled after the refund
 * window), `reverse` (a refund while pending) or `clawback` (a refund after it settled); `withdraw_hold` (a
 * withdrawal takes its amount out of settled when asked for) and `withdraw_return` (a rejected one gives it back).
 */
export const EarningsEntryKind = z.enum(['accrue', 'settle_out', 'settle_in', 'reverse', 'clawback', 'withdraw_hold', 'withdraw_return'])
export type EarningsEntryKind = z.infer<typeof EarningsEntryKind>

export const EarningsKind = z.enum(['invite_reward', 'commission', 'withdrawal'])
export type EarningsKind = z.infer<typeof EarningsKind>
export const EarningsBucket = z.enum(['pending', 'settled'])
export type EarningsBucket = z.infer<typeof EarningsBucket>

export const EarningEntry = z.object({
  /** null on a withdrawal's lines (kind `withdrawal`), which carry `withdrawalId` instead. */
  orderId: Id.nullable(),
  /** The order's number as shoppers see it (order_no, e.g. 2026120100000002); null on a withdrawal's lines. */
  orderNo: z.string().nullable().optional(),
  withdrawalId: Id.nullable(),
  kind: EarningsKind,
  entry: EarningsEntryKind,
  bucket: EarningsBucket,
  amountFen: z.number().int(),
  createdAt: Instant,
})

/**
 * pending (审核中) → the owner rejects it (rejected, the amount back) or approves it: the transfer is
 * asked of WeChat Pay 商家转账 and the withdrawal is `transferring` (待确认收款) until the user confirms
 * receipt in the mini-program and WeChat's signed notify says `paid`; a transfer that fails or is
 * cancelled (the user never confirmed) is `failed`, the amount back.
 */
export const WithdrawalStatus = z.enum(['pending', 'transferring', 'paid', 'rejected', 'failed'])
export type WithdrawalStatus = z.infer<typeof WithdrawalStatus>

/** What the mini-program needs to ask the user to confirm receipt of a transfer. */
export const WithdrawalConfirm = z.discriminatedUnion('provider', [
  /** wx.requestMerchantTransfer({mchId, appId, package}). */
  z.object({ provider: z.literal('wechat'), mchId: z.string(), appId: z.string(), package: z.string() }),
  /** The sandbox: posting `body` to `confirmUrl` confirms receipt (the sandbox then sends the signed notify). */
  z.object({ provider: z.literal('sandbox'), confirmUrl: z.string(), body: z.record(z.string(), z.union([z.string(), z.number()])) }),
])
export type WithdrawalConfirm = z.infer<typeof WithdrawalConfirm>

/** A withdrawal (提现) of settled earnings: pending until the owner approves (paid) or rejects it. */
export const Withdrawal = z.object({
  id: Id,
  amountFen: z.number().int(),
  status: WithdrawalStatus,
  /** The owner's reason for a rejection, or why the transfer failed; null otherwise. */
  reason: z.string().nullable(),
  createdAt: Instant,
  decidedAt: Instant.nullable(),
  /** When the transfer ended (paid or failed); null before. */
  finishedAt: Instant.nullable().optional(),
  /** Only on the user's own `transferring` withdrawal: how to confirm receipt. */
  confirm: WithdrawalConfirm.nullable().optional(),
})
export type Withdrawal = z.infer<typeof Withdrawal>

export const WithdrawInput = z.object({
  /** At least ¥1, integer fen. */
  amountFen: z.number().int().min(100).max(100_000_000),
  idempotencyKey: IdempotencyKey,
})
export type WithdrawInput = z.infer<typeof WithdrawInput>

export const earningsActions = {
  mine: {
    input: z.object({}),
    output: z.object({ pendingFen: z.number().int(), settledFen: z.number().int(), entries: z.array(EarningEntry) }),
  },
  withdraw: { input: WithdrawInput, output: z.object({ withdrawal: Withdrawal }) },
  withdrawals: { input: z.object({}), output: z.object({ withdrawals: z.array(Withdrawal) }) },
}

/** A withdrawal as the owner sees it: whose it is too. */
export const AdminWithdrawal = Withdrawal.extend({ userId: Id, nickname: z.string().nullable() })
export type AdminWithdrawal = z.infer<typeof AdminWithdrawal>

export const AdminWithdrawalsInput = z.object({ status: WithdrawalStatus.optional(), cursor: Cursor.nullish() })
export type AdminWithdrawalsInput = z.infer<typeof AdminWithdrawalsInput>
export const AdminDecideWithdrawalInput = z.object({ withdrawalId: Id })
/** The reason is shown to the user: people's text (hidden characters dropped), 1-200 characters once cleaned. */
export const AdminRejectWithdrawalInput = z.object({
  withdrawalId: Id,
  reason: peopleText({ empty: '请填写拒绝原因', max: 200, tooLong: '拒绝原因最多 200 个字' }),
})
export type AdminRejectWithdrawalInput = z.infer<typeof AdminRejectWithdrawalInput>

export const adminWithdrawalActions = {
  withdrawals: {
    input: AdminWithdrawalsInput,
    output: z.object({ withdrawals: z.array(AdminWithdrawal), nextCursor: Cursor.nullable() }),
  },
  approveWithdrawal: { input: AdminDecideWithdrawalInput, output: z.object({ withdrawal: Withdrawal }) },
  rejectWithdrawal: { input: AdminRejectWithdrawalInput, output: z.object({ withdrawal: Withdrawal }) },
}

export const AdminCreateDealCampaignInput = z.object({
  productId: Id,
  skuId: Id.optional(),
  dealPriceFen: PriceFen.min(1),
  baseClaims: z.number().int().min(0).max(10),
  extraClaimsPerInvite: z.number().int().min(0).max(10),
  maxExtraClaims: z.number().int().min(0).max(100),
  inviteCountsWhen: InviteCountsWhen,
  inviteRewardFen: PriceFen.optional(),
  /** Created paused (to open later) or active (the default). */
  status: DealStatus.optional(),
  /** The same key from the same caller answers the first call's campaign and creates nothing. */
  idempotencyKey: IdempotencyKey.optional(),
  confirm: Confirm,
})
export type AdminCreateDealCampaignInput = z.infer<typeof AdminCreateDealCampaignInput>
