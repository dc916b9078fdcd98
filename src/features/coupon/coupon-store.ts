import { create } from 'zustand'
import type { CenterCoupon, CouponTermsView, MyCoupon } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { routes } from '../../lib/routes'
import type { LoadStatus } from '../shared/load-status'
import { attempt, type Outcome } from '../shared/outcome'

type MineTab = 'available' | 'used' | 'expired'

interface CouponState {
  center: CenterCoupon[]
  centerStatus: LoadStatus
  centerError: string | null
  /** Coupons that apply to a product, for its page. */
  forProduct: Record<string, CenterCoupon[]>
  mine: MyCoupon[]
  mineStatus: LoadStatus
  mineError: string | null
  claiming: string | null
  loadCenter: () => Promise<void>
  loadForProduct: (productId: string) => Promise<void>
  loadMine: () => Promise<void>
  /**
   * Claims one: on success its card counts the claim at once (已抢, 已领取) and stays where it is,
   * then the cards are reloaded from the server, whose order never depends on claims; null when
   * another claim is on its way (the tap is ignored).
   */
  claim: (couponId: string, productId?: string) => Promise<Outcome | null>
  /** 到券提醒: records one accepted subscribe message; answers how many are left to send. */
  allowArrivalMessages: () => Promise<Outcome<number>>
}

export const useCouponStore = create<CouponState>()((set, get) => ({
  center: [],
  centerStatus: 'idle',
  centerError: null,
  forProduct: {},
  mine: [],
  mineStatus: 'idle',
  mineError: null,
  claiming: null,
  async loadCenter() {
    if (get().centerStatus !== 'ready') set({ centerStatus: 'loading', centerError: null })
    try {
      set({ center: (await call('coupon', 'center', {})).items, centerStatus: 'ready' })
    } catch (err) {
      set({ centerStatus: 'error', centerError: errorMessage(err) })
    }
  },
  async loadForProduct(productId) {
    try {
      const { items } = await call('coupon', 'center', { productId })
      set((s) => ({ forProduct: { ...s.forProduct, [productId]: items } }))
    } catch {
      // The coupon strip is optional on a product page.
    }
  },
  async loadMine() {
    set({ mineStatus: 'loading', mineError: null })
    try {
      set({ mine: (await call('coupon', 'mine', {})).items, mineStatus: 'ready' })
    } catch (err) {
      set({ mineStatus: 'error', mineError: errorMessage(err) })
    }
  },
  async claim(couponId, productId) {
    if (get().claiming) return null
    set({ claiming: couponId })
    const claimed = await attempt(async () => void (await call('coupon', 'claim', { couponId })))
    if (claimed.ok) {
      const counted = (c: CenterCoupon) => (c.couponId === couponId ? withClaim(c) : c)
      set((s) => ({
        center: s.center.map(counted),
        forProduct:
          productId && s.forProduct[productId] ? { ...s.forProduct, [productId]: s.forProduct[productId].map(counted) } : s.forProduct,
      }))
    }
    set({ claiming: null })
    await Promise.all([get().loadCenter(), productId ? get().loadForProduct(productId) : undefined])
    return claimed
  },
  allowArrivalMessages: () => attempt(async () => (await call('user', 'allowMessages', { kind: 'coupon_arrival' })).allowed),
}))

/** A card after the caller's own successful claim, before the server's answer to the reload. */
function withClaim(c: CenterCoupon): CenterCoupon {
  const claimed = Math.min(c.stock, c.claimed + 1)
  const mine = c.mine + 1
  return { ...c, claimed, mine, state: mine >= c.perUserLimit ? 'claimed' : claimed >= c.stock ? 'sold_out' : c.state }
}

/**
 * Where 去使用 leads: the product the coupon is for (the first, when it names several), the
 * category it is for (the 分类 tab, switched to it), or the mall.
 */
export type CouponUse = { kind: 'page'; url: string } | { kind: 'category'; categoryId: string } | { kind: 'mall' }

export function couponUse(c: Pick<CouponTermsView, 'scope' | 'scopeIds'>): CouponUse {
  const first = c.scopeIds[0]
  if (c.scope === 'products' && first) return { kind: 'page', url: routes.product(first) }
  if (c.scope === 'categories' && first) return { kind: 'category', categoryId: first }
  return { kind: 'mall' }
}

export const mineTab = (c: MyCoupon): MineTab => (c.status === 'available' || c.status === 'locked' ? 'available' : c.status)
