import { create } from 'zustand'
import type { CenterCoupon, MyCoupon } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
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
   * Claims one, then reloads the cards so their state follows (已领取, 已抢光 …); null when another
   * claim is on its way (the tap is ignored).
   */
  claim: (couponId: string, productId?: string) => Promise<Outcome | null>
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
    set({ claiming: null })
    await Promise.all([get().loadCenter(), productId ? get().loadForProduct(productId) : undefined])
    return claimed
  },
}))

export const mineTab = (c: MyCoupon): MineTab => (c.status === 'available' || c.status === 'locked' ? 'available' : c.status)
