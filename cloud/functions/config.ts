import type { CoreConfig } from '../core/context'

/** Settings from the environment, the same names in the local host and in CloudBase. */
export function configFromEnv(env: Record<string, string | undefined>, opts: { cloud: boolean }): CoreConfig {
  const admins = (env.ADMIN_OPENIDS ?? 'admin')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
  // Dev login is for local and self-hosted stacks; inside WeChat the OPENID is the identity.
  const devLoginEnabled = env.DEV_LOGIN === '1' || (!opts.cloud && env.NODE_ENV !== 'production')
  const positive = (value: string | undefined, fallback: number) => {
    const n = Number(value)
    return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback
  }
  return {
    adminOpenids: new Set(admins),
    devLoginEnabled,
    sessionTtlDays: 30,
    orderPayMinutes: positive(env.ORDER_PAY_MINUTES, 15),
    shareAttributionDays: 7,
    refundWindowDays: positive(env.REFUND_WINDOW_DAYS, 7),
  }
}
