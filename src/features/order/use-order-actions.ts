import Taro from '@tarojs/taro'
import { useRef, useState } from 'react'
import { routes } from '../../lib/routes'
import { toast } from '../../lib/toast'
import type { Outcome } from '../shared/outcome'
import { REFUND_REASONS, useOrderStore } from './order-store'
import { usePayment } from './use-payment'
import { switchTab } from '../../lib/navigate'

export type OrderAction = 'pay' | 'cancel' | 'refund' | 'receive' | 'buyAgain'

/** Copies a text (an order or waybill number); WeChat and Taro's H5 say 内容已复制 themselves. */
const SOLD_OUT_TEXT = { OFF_SALE: '已下架', SOLD_OUT: '已售罄' }

/**
 * What the shopper does with an order from its card or its page: pay, cancel, ask for a refund,
 * confirm receipt, buy again. One action at a time (taps while one is on its way do nothing), each
 * with its busy state; the order's card and page show the changed order when it is done.
 */
export function useOrderActions() {
  const payment = usePayment()
  const [running, setRunning] = useState<{ orderId: string; action: OrderAction } | null>(null)
  // Taps land before the re-render that disables the buttons.
  const runningRef = useRef(false)
  const store = useOrderStore.getState

  const run = async (orderId: string, action: OrderAction, fn: () => Promise<Outcome<unknown> | null>) => {
    if (runningRef.current || payment.busy) return
    runningRef.current = true
    setRunning({ orderId, action })
    try {
      const r = await fn()
      if (r && !r.ok) {
        toast(r.message)
        // The order changed meanwhile (paid elsewhere, timed out): show it as it is now.
        void store().loadOrder(orderId)
      }
    } finally {
      runningRef.current = false
      setRunning(null)
    }
  }

  const ask = async (title: string, content: string, confirmText: string) =>
    (await Taro.showModal({ title, content, confirmText, cancelText: '再想想' }).catch(() => ({ confirm: false }))).confirm

  return {
    payment,
    /** The action on its way for this order, if any. */
    runningOn: (orderId: string) => (running?.orderId === orderId ? running.action : null),
    busy: running !== null || payment.busy,
    pay: (orderId: string) => run(orderId, 'pay', () => payment.pay(orderId)),
    cancel: (orderId: string) =>
      run(orderId, 'cancel', async () =>
        (await ask('取消订单', '确定取消这个订单吗？取消后商品和优惠券会退回。', '取消订单')) ? store().cancel(orderId) : null,
      ),
    receive: (orderId: string) =>
      run(orderId, 'receive', async () =>
        (await ask('确认收货', '请确认已收到全部商品，确认后订单完成。', '确认收货')) ? store().confirmReceipt(orderId) : null,
      ),
    refund: (orderId: string) =>
      run(orderId, 'refund', async () => {
        const picked = await Taro.showActionSheet({ itemList: REFUND_REASONS }).catch(() => null)
        return picked ? store().requestRefund(orderId, REFUND_REASONS[picked.tapIndex]!) : null
      }),
    buyAgain: (orderId: string) =>
      run(orderId, 'buyAgain', async () => {
        const r = await store().buyAgain(orderId)
        if (!r.ok) return r
        const { added, unavailable } = r.value
        const names = unavailable.map((u) => `${u.title}${u.specText ? `（${u.specText}）` : ''}${SOLD_OUT_TEXT[u.reason]}`).join('\n')
        if (added === 0) {
          await Taro.showModal({ title: '暂时无法购买', content: `订单里的商品都已下架或售罄：\n${names}`, showCancel: false })
          return null
        }
        if (unavailable.length > 0) {
          await Taro.showModal({
            title: '部分商品未加入购物车',
            content: `以下商品已下架或售罄：\n${names}`,
            showCancel: false,
            confirmText: '去购物车',
          })
        }
        await switchTab(routes.cart)
        return null
      }),
  }
}
