import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { CartView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { attempt, done, type Outcome } from '../shared/outcome'

interface CartState {
  cart: CartView | null
  status: LoadStatus
  error: string | null
  /** A line whose change is on its way (its controls are disabled meanwhile). */
  busySku: string | null
  load: () => Promise<void>
  add: (skuId: string, qty: number) => Promise<Outcome>
  setQty: (skuId: string, qty: number) => Promise<Outcome>
  select: (skuIds: string[], selected: boolean) => Promise<Outcome>
  remove: (skuIds: string[]) => Promise<Outcome>
}

/** The 购物车 tab shows how many units the cart holds. */
function syncBadge(cart: CartView) {
  const text = cart.totalQty > 99 ? '99+' : String(cart.totalQty)
  try {
    const done = cart.totalQty > 0 ? Taro.setTabBarBadge({ index: 2, text }) : Taro.removeTabBarBadge({ index: 2 })
    void Promise.resolve(done).catch(() => undefined)
  } catch {
    // Before the tab bar exists there is no badge to set; the next cart change sets it.
  }
}

export const useCartStore = create<CartState>()((set, get) => {
  const apply = (cart: CartView) => {
    set({ cart, status: 'ready', error: null, busySku: null })
    syncBadge(cart)
  }
  const mutate = async (skuId: string | null, run: () => Promise<CartView>) => {
    set({ busySku: skuId })
    const changed = await attempt(run)
    if (changed.ok) apply(changed.value)
    else set({ busySku: null })
    return changed.ok ? done(undefined) : changed
  }
  return {
    cart: null,
    status: 'idle',
    error: null,
    busySku: null,
    async load() {
      if (get().status !== 'ready') set({ status: 'loading', error: null })
      try {
        apply(await call('cart', 'list', {}))
      } catch (err) {
        set({ status: 'error', error: errorMessage(err) })
      }
    },
    add: (skuId, qty) => mutate(null, () => call('cart', 'add', { skuId, qty })),
    setQty: (skuId, qty) => mutate(skuId, () => call('cart', 'setQty', { skuId, qty })),
    select: (skuIds, selected) => mutate(null, () => call('cart', 'select', { skuIds, selected })),
    remove: (skuIds) => mutate(null, () => call('cart', 'remove', { skuIds })),
  }
})
