import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { OrderTab, OrderView, PaymentParams } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { confirmSandboxPayment } from '../../api/sandbox-pay'
import { useCartStore } from '../cart/cart-store'
import type { LoadStatus } from '../shared/load-status'
import { done, attempt, type Outcome } from '../shared/outcome'
import { emptyPagedList, pagedLists, type PagedList } from '../shared/paged-list'
import { useServerClock } from '../shared/server-clock'

type OrderList = PagedList<OrderView>

const emptyList: OrderList = emptyPagedList()

export type SandboxParams = Extract<PaymentParams, { provider: 'sandbox' }>

/** What 再次购买 came to: how many lines went into the cart, and those no longer to be had. */
export type BuyAgainResult = { added: number; unavailable: Array<{ title: string; specText: string; reason: 'OFF_SALE' | 'SOLD_OUT' }> }

/** What paying an order came to: paid, a sandbox sheet to show, or the shopper left WeChat Pay. */
export type PayStart = { kind: 'paid' } | { kind: 'sandbox'; params: SandboxParams } | { kind: 'cancelled' }

interface OrderState {
  lists: Partial<Record<OrderTab, OrderList>>
  orders: Record<string, { status: LoadStatus; order: OrderView | null; error: string | null }>
  counts: Record<OrderTab, number> | null
  loadList: (tab: OrderTab) => Promise<void>
  loadMore: (tab: OrderTab) => Promise<void>
  loadOrder: (orderId: string) => Promise<void>
  loadCounts: () => Promise<void>
  /** order.pay, then WeChat Pay's own sheet; the sandbox's sheet is the page's to show. */
  startPayment: (orderId: string) => Promise<Outcome<PayStart>>
  /** The 模拟支付 sheet's 确认支付: the sandbox cashier sends its notify, then the order is reloaded. */
  confirmSandbox: (orderId: string, params: SandboxParams) => Promise<Outcome>
  cancel: (orderId: string) => Promise<Outcome>
  requestRefund: (orderId: string, reason: string) => Promise<Outcome>
  confirmReceipt: (orderId: string) => Promise<Outcome>
  /** 再次购买: the order's lines back into the cart (the cart store follows). */
  buyAgain: (orderId: string) => Promise<Outcome<BuyAgainResult>>
}

export const listOf = (s: Pick<OrderState, 'lists'>, tab: OrderTab): OrderList => s.lists[tab] ?? emptyList

export const useOrderStore = create<OrderState>()((set, get) => {
  const patchList = (tab: OrderTab, patch: Partial<OrderList>) =>
    set((s) => ({ lists: { ...s.lists, [tab]: { ...listOf(s, tab), ...patch } } }))
  const lists = pagedLists<OrderView>({
    read: (tab) => listOf(get(), tab as OrderTab),
    patch: (tab, patch) => patchList(tab as OrderTab, patch),
    fetch: async (tab, cursor) => {
      const page = await call('order', 'list', { tab: tab as OrderTab, ...(cursor ? { cursor } : {}) })
      useServerClock.getState().sync(page.serverTime)
      return page
    },
  })
  /** A fresh copy of an order replaces it on its page and on its card in every list it is in. */
  const putOrder = (order: OrderView) =>
    set((s) => {
      const lists: OrderState['lists'] = {}
      for (const [tab, list] of Object.entries(s.lists) as Array<[OrderTab, OrderList]>) {
        lists[tab] = list.items.some((o) => o.id === order.id)
          ? { ...list, items: list.items.map((o) => (o.id === order.id ? order : o)) }
          : list
      }
      return { lists, orders: { ...s.orders, [order.id]: { status: 'ready', order, error: null } } }
    })
  /** Runs an action that answers the changed order: the order and the 我的 counts follow it. */
  const change = (run: () => Promise<{ order: OrderView }>) =>
    attempt(async () => {
      putOrder((await run()).order)
      void get().loadCounts()
    })
  return {
    lists: {},
    orders: {},
    counts: null,
    loadList: lists.refresh,
    loadMore: lists.loadMore,
    async loadOrder(orderId) {
      set((s) => ({ orders: { ...s.orders, [orderId]: { status: 'loading', order: s.orders[orderId]?.order ?? null, error: null } } }))
      try {
        const { order, serverTime } = await call('order', 'get', { orderId })
        useServerClock.getState().sync(serverTime)
        putOrder(order)
      } catch (err) {
        set((s) => ({ orders: { ...s.orders, [orderId]: { status: 'error', order: null, error: errorMessage(err) } } }))
      }
    },
    async loadCounts() {
      try {
        set({ counts: (await call('order', 'counts', {})).counts })
      } catch {
        // The counts are a nicety on 我的; the page works without them.
      }
    },
    async startPayment(orderId) {
      const started = await attempt(() => call('order', 'pay', { orderId }))
      if (!started.ok) return started
      const { payment } = started.value
      if (payment.provider === 'sandbox') return done({ kind: 'sandbox', params: payment })
      try {
        const { provider: _p, ...params } = payment
        await Taro.requestPayment({ ...params, signType: params.signType as 'MD5' | 'HMAC-SHA256' | 'RSA' })
      } catch {
        return done({ kind: 'cancelled' })
      }
      // WeChat tells the backend by its notify; the order page shows the state the backend has.
      await get().loadOrder(orderId)
      return done({ kind: 'paid' })
    },
    confirmSandbox: (orderId, params) =>
      attempt(async () => {
        await confirmSandboxPayment(params)
        await get().loadOrder(orderId)
        void get().loadCounts()
      }),
    cancel: (orderId) => change(() => call('order', 'cancel', { orderId })),
    requestRefund: (orderId, reason) => change(() => call('order', 'requestRefund', { orderId, reason })),
    confirmReceipt: (orderId) => change(() => call('order', 'confirmReceipt', { orderId })),
    buyAgain: (orderId) =>
      attempt(async () => {
        const { added, unavailable } = await call('order', 'buyAgain', { orderId })
        // The cart store reloads (and sets the tab badge) before the cart is opened.
        await useCartStore.getState().load()
        return { added, unavailable }
      }),
  }
})

export const STATUS_TEXT: Record<OrderView['status'], string> = {
  pending_payment: '待付款',
  paid: '待发货',
  shipped: '已发货',
  completed: '已完成',
  cancelled: '已取消',
  refund_requested: '退款中',
  refunded: '已退款',
}

export const TABS: Array<{ tab: OrderTab; title: string }> = [
  { tab: 'all', title: '全部' },
  { tab: 'pending_payment', title: '待付款' },
  { tab: 'paid', title: '待发货' },
  { tab: 'shipped', title: '已发货' },
  { tab: 'completed', title: '已完成' },
  { tab: 'refund', title: '退款' },
]

/** Why the shopper asks for a refund (申请退款), offered as an action sheet. */
export const REFUND_REASONS = ['不想要了', '商品与描述不符', '质量问题', '其他原因']

/** A phone number as orders show it to anyone looking at the screen: 138****5678. */
export const maskPhone = (phone: string) => (/^\d{11}$/.test(phone) ? `${phone.slice(0, 3)}****${phone.slice(7)}` : phone)

/** The shopper may still ask for a refund: the server's deadline (refundableUntil) has not passed by the server's clock. */
export const canRequestRefund = (order: OrderView, now: number) =>
  order.refundableUntil !== null && now < new Date(order.refundableUntil).getTime()

/** Orders whose goods can be ordered again: the finished ones. */
export const canBuyAgain = (order: OrderView) => order.status === 'completed' || order.status === 'cancelled' || order.status === 'refunded'
