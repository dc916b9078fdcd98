import type { CoreConfig } from '../core/context'

/** Settings from the environment, the same names in the local host and in CloudBase. */
export function configFromEnv(env: Record<string, string | undefined>, opts: { cloud: boolean }): CoreConfig {
  const admins = (env.ADMIN_OPENIDS ?? 'admin')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  // Dev login is for local and self-hosted stacks; inside WeChat the OPENID is the identity.
  const devLoginEnabled = env.DEV_LOGIN === '1' || (!opts.cloud && env.NODE_ENV !== 'production')
  return {
    adminOpenids: new Set(admins),
    devLoginEnabled,
    sessionTtlDays: 30,
    orderPayMinutes: numberSetting(env, 'ORDER_PAY_MINUTES', 15, { zeroAllowed: false }),
    shareAttributionDays: 7,
    // 0 is a real setting (no shopper refunds, earnings settle at once), not "unset".
    refundWindowDays: numberSetting(env, 'REFUND_WINDOW_DAYS', 7, { zeroAllowed: true }),
    autoCompleteDays: numberSetting(env, 'AUTO_COMPLETE_DAYS', 10, { zeroAllowed: false }),
    servicePhone: env.SHOP_SERVICE_PHONE?.trim() || undefined,
    // Coupons created with at least this stock keep it in COUPON_SLOTS rows (1: never); coupon.rules claimSlots.
    couponSlots: {
      minStock: numberSetting(env, 'COUPON_SLOT_MIN_STOCK', 2000, { zeroAllowed: true }),
      count: Math.floor(numberSetting(env, 'COUPON_SLOTS', 8, { zeroAllowed: false })),
    },
  }
}

/**
 * A number of the environment: the fallback when unset or empty; otherwise a finite number above 0
 * (or 0 and above when `zeroAllowed`). Anything else throws, naming the variable, so a typo stops
 * the start instead of silently meaning the default.
 */
function numberSetting(env: Record<string, string | undefined>, name: string, fallback: number, opts: { zeroAllowed: boolean }): number {
  const raw = env[name]?.trim()
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isFinite(n) || n < 0 || (n === 0 && !opts.zeroAllowed)) {
    throw new Error(`${name} must be a number ${opts.zeroAllowed ? 'of 0 or more' : 'above 0'} (it is ${JSON.stringify(env[name])})`)
  }
  return n
}
