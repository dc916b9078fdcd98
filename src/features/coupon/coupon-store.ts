import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { CenterCoupon, MyCoupon } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'

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
  /** Claims one; the answer refreshes the card's state (已领取, 已抢光 …). */
  claim: (couponId: string, productId?: string) => Promise<boolean>
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
    if (get().claiming) return false
    set({ claiming: couponId })
    let ok = false
    try {
      await call('coupon', 'claim', { couponId })
      void Taro.showToast({ title: '领取成功', icon: 'success' })
      ok = true
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
    }
    set({ claiming: null })
    await Promise.all([get().loadCenter(), productId ? get().loadForProduct(productId) : undefined])
    return ok
  },
}))

export const mineTab = (c: MyCoupon): MineTab => (c.status === 'available' || c.status === 'locked' ? 'available' : c.status)
