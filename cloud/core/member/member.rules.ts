/**
 * Membership's rules, pure: the tier a spend earns, the points an order earns, what the yearly
 * expiry takes. The database's statements apply the same rules (member_tier_of, the earn statement
 * in membership.repo.ts); tests/integration/points.test.ts holds them equal.
 */
import type { MemberRules, MemberTier } from '../../contract'

/** The rules' defaults (docs/rules.md "Membership"): 银卡 from ¥500, 金卡 from ¥2,000, ×1 / ×1.5 / ×2, points pay at most 50 %. */
export const DEFAULT_MEMBER_RULES: MemberRules = {
  silverFen: 50_000,
  goldFen: 200_000,
  pointsPermille: { normal: 1000, silver: 1500, gold: 2000 },
  pointsMaxPercent: 50,
}

/** The tiers in order, lowest first. */
export const TIERS: readonly MemberTier[] = ['normal', 'silver', 'gold']

/** The tier of a spend over the last 365 days. */
export function tierOf(spendFen: number, rules: Pick<MemberRules, 'silverFen' | 'goldFen'>): MemberTier {
  if (spendFen >= rules.goldFen) return 'gold'
  if (spendFen >= rules.silverFen) return 'silver'
  return 'normal'
}

/** The next tier and the spend it still needs; null at the top. */
export function nextTierOf(
  spendFen: number,
  rules: Pick<MemberRules, 'silverFen' | 'goldFen'>,
): { tier: MemberTier; needFen: number } | null {
  const tier = tierOf(spendFen, rules)
  if (tier === 'gold') return null
  const at = tier === 'normal' ? rules.silverFen : rules.goldFen
  return { tier: tier === 'normal' ? 'silver' : 'gold', needFen: at - spendFen }
}

/** Points a paid order earns a member: floor(payable ÷ ¥1) × the tier's rate, rounded down. */
export function pointsEarned(payableFen: number, permille: number): number {
  return Math.floor((Math.floor(payableFen / 100) * permille) / 1000)
}

/** 100 points pay ¥1: one point is one fen. */
export const POINT_FEN = 1
/** Points are spent in whole yuan. */
export const POINTS_STEP = 100

/**
 * What the yearly expiry takes: the points made available before the year that just closed (net of
 * clawbacks of those same orders: a refund takes back its own order's points, not the oldest), less
 * every debit so far (spending uses the oldest points first), never below 0. `debits` is positive:
 * points spent net of returns, and expired before (a daily run expires what came back since).
 */
export function expiryAmount(availableBefore: number, debits: number): number {
  return Math.max(0, availableBefore - debits)
}

/** The shop's calendar year (Asia/Shanghai, UTC+8) of an instant. */
export function shopYear(d: Date): number {
  return new Date(d.getTime() + 8 * 3_600_000).getUTCFullYear()
}

/** The instant a shop year starts (00:00 on 1 January, Asia/Shanghai). */
export function shopYearStart(year: number): Date {
  return new Date(Date.UTC(year, 0, 1) - 8 * 3_600_000)
}

/** Settings the console saves must hold: 金卡 above 银卡, and higher tiers earning at least as fast. */
export function rulesProblem(r: MemberRules): { path: string; message: string } | null {
  if (r.goldFen <= r.silverFen) return { path: 'goldFen', message: '金卡门槛须高于银卡门槛' }
  const p = r.pointsPermille
  if (p.silver < p.normal) return { path: 'pointsPermille.silver', message: '银卡积分倍率不能低于普通会员' }
  if (p.gold < p.silver) return { path: 'pointsPermille.gold', message: '金卡积分倍率不能低于银卡' }
  return null
}
