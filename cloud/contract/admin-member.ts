/** The console's 会员 desk: the shop's member rules, the results, the member list. */
import { z } from 'zod'
import { Fen, Id, Instant } from './common'
import { MemberRules, MemberTier } from './member'

/** The most points per ¥1 a tier may earn, in thousandths (10 points per ¥1). */
export const MAX_POINTS_PERMILLE = 10_000

const permille = (tier: string) =>
  z
    .number()
    .int(`${tier}积分倍率须为整数（‰）`)
    .min(0, `${tier}积分倍率不能小于 0`)
    .max(MAX_POINTS_PERMILLE, `${tier}积分倍率最多每 1 元 10 积分（10000‰）`)

/** 会员设置 as the console saves it: thresholds (金卡 above 银卡), earn rates per tier (‰ of a point per ¥1), the points cap. */
export const MemberSettingsInput = MemberRules.extend({
  silverFen: Fen.min(1, '银卡门槛至少 0.01 元').max(100_000_000, '银卡门槛最多 100 万元'),
  goldFen: Fen.min(1, '金卡门槛至少 0.01 元').max(100_000_000, '金卡门槛最多 100 万元'),
  // At most 10 points per ¥1 (10,000 ‰): a sane rate that keeps balances far from any limit.
  pointsPermille: z.object({
    normal: permille('普通会员'),
    silver: permille('银卡'),
    gold: permille('金卡'),
  }),
  pointsMaxPercent: z.number().int('积分抵扣比例须为整数').min(0, '积分抵扣比例不能小于 0%').max(100, '积分抵扣比例不能超过 100%'),
}).superRefine((r, ctx) => {
  if (r.goldFen <= r.silverFen) ctx.addIssue({ code: 'custom', path: ['goldFen'], message: '金卡门槛须高于银卡门槛' })
  // Higher tiers earn points at least as fast.
  if (r.pointsPermille.silver < r.pointsPermille.normal)
    ctx.addIssue({ code: 'custom', path: ['pointsPermille', 'silver'], message: '银卡积分倍率不能低于普通会员' })
  if (r.pointsPermille.gold < r.pointsPermille.silver)
    ctx.addIssue({ code: 'custom', path: ['pointsPermille', 'gold'], message: '金卡积分倍率不能低于银卡' })
})
export type MemberSettingsInput = z.infer<typeof MemberSettingsInput>

export const MembershipStats = z.object({
  /** Members now (a way holds). */
  members: z.number().int(),
  byTier: z.record(MemberTier, z.number().int()),
  /** By way in: phone only, 企业微信 only, both. */
  byWay: z.object({ phone: z.number().int(), wecom: z.number().int(), both: z.number().int() }),
  /** Points in all: earned (pending at first), taken back by refunds, pending now, available now, spent, given back, expired. */
  points: z.object({
    earned: z.number().int(),
    reversed: z.number().int(),
    pending: z.number().int(),
    available: z.number().int(),
    spent: z.number().int(),
    returned: z.number().int(),
    expired: z.number().int(),
  }),
  /** Orders paid and not refunded that had a member price, and what member prices saved on them. */
  memberPriceOrders: z.number().int(),
  memberSavingFen: Fen,
})
export type MembershipStats = z.infer<typeof MembershipStats>

export const MembershipRow = z.object({
  userId: Id,
  nickname: z.string(),
  /** Masked (138****8000); null when not by phone. */
  phone: z.string().nullable(),
  wecom: z.boolean(),
  /** A way holds now (a member); false: the WeCom contact was deleted and no phone. */
  active: z.boolean(),
  tier: MemberTier,
  spendFen: Fen,
  points: z.object({ available: z.number().int(), pending: z.number().int() }),
  joinedAt: Instant,
})
export type MembershipRow = z.infer<typeof MembershipRow>

export const adminMemberActions = {
  memberSettings: { input: z.object({}), output: z.object({ rules: MemberRules }) },
  /** Saves the rules; the tiers follow new thresholds at once. */
  saveMemberSettings: { input: MemberSettingsInput, output: z.object({ rules: MemberRules }) },
  memberStats: { input: z.object({}), output: MembershipStats },
  /** Members by spend (highest first), 20 a page. */
  memberList: {
    input: z.object({ tier: MemberTier.optional(), page: z.number().int().min(1).max(10_000).optional() }),
    output: z.object({ items: z.array(MembershipRow), total: z.number().int(), page: z.number().int(), pageSize: z.number().int() }),
  },
}
