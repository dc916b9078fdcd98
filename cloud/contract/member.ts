import { z } from 'zod'
import { Cursor, Fen, Id, Instant } from './common'

/** 会员等级 by spend over the last 365 days: 普通会员 / 银卡 / 金卡. */
export const MemberTier = z.enum(['normal', 'silver', 'gold'])
export type MemberTier = z.infer<typeof MemberTier>

/** The membership rules the shop runs (the console's 会员设置), as the shopper's pages show them. */
export const MemberRules = z.object({
  /** Spend over the last 365 days from which a member is 银卡 / 金卡. */
  silverFen: Fen,
  goldFen: Fen,
  /** Points per ¥1 paid, in thousandths, per tier (1000 = 1 point per ¥1). */
  pointsPermille: z.record(MemberTier, z.number().int().min(0)),
  /** Points pay at most this share (percent) of the regular lines after member price and coupon. */
  pointsMaxPercent: z.number().int().min(0).max(100),
})
export type MemberRules = z.infer<typeof MemberRules>

export const MemberStatus = z.object({
  isMember: z.boolean(),
  /** The verified phone, masked (138****8000); null when not signed up by phone. */
  phone: z.string().nullable(),
  /** Whether the customer has the merchant's 企业微信 as a contact now (朋友会员). */
  wecom: z.boolean(),
  /** The member's tier; null for a non-member. */
  tier: MemberTier.nullable(),
  /** Cash paid over the last 365 days, not refunded. */
  spendFen: Fen,
  /** The next tier and the spend still needed; null at the top or for a non-member. */
  nextTier: z.object({ tier: MemberTier, needFen: Fen }).nullable(),
  /** Points: spendable now, and pending until their orders' refund windows pass (available may be negative after a claw-back). */
  points: z.object({ available: z.number().int(), pending: z.number().int().min(0) }),
  rules: MemberRules,
})
export type MemberStatus = z.infer<typeof MemberStatus>

export const PointsEntryKind = z.enum(['earn', 'settle', 'reverse', 'clawback', 'spend', 'return', 'expire'])
export type PointsEntryKind = z.infer<typeof PointsEntryKind>
export const PointsEntry = z.object({
  id: Id,
  kind: PointsEntryKind,
  /** Signed change of the balance this entry is about (earn/reverse move pending; the others available). */
  points: z.number().int(),
  orderId: Id.nullable(),
  orderNo: z.string().nullable(),
  at: Instant,
})
export type PointsEntry = z.infer<typeof PointsEntry>

export const memberActions = {
  /** The caller's membership, tier, points and the shop's rules (also for non-members: how to join, what it gives). */
  status: { input: z.object({}), output: MemberStatus },
  /** The caller's points ledger, newest first. */
  points: {
    input: z.object({ cursor: Cursor.optional() }),
    output: z.object({ items: z.array(PointsEntry), nextCursor: z.string().nullable() }),
  },
  /** Phone sign-up: getPhoneNumber's one-time code, exchanged with WeChat for the number (PHONE_CODE_INVALID when refused). */
  joinByPhone: {
    input: z.object({ code: z.string().trim().min(1).max(200) }),
    /** The verified phone, masked: the caller is a member from now on (member.status tells the rest). */
    output: z.object({ phone: z.string() }),
  },
  /**
   * 朋友会员: the merchant's 企业微信 联系我 code made for the caller (its state names them). `sandboxAddUrl`
   * (local and test stacks only): posting to it makes the sandbox WeCom send the signed add event.
   */
  wecomContact: {
    input: z.object({}),
    output: z.object({ qrCodeUrl: z.string(), added: z.boolean(), sandboxAddUrl: z.string().nullable() }),
  },
}
