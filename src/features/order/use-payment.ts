import { useRef, useState } from 'react'
import { toast } from '../../lib/toast'
import type { Outcome } from '../shared/outcome'
import { useOrderStore, type PayStart, type SandboxParams } from './order-store'

/**
 * Paying an order, the same from checkout and from the order page: order.pay, then WeChat Pay's own
 * sheet or the sandbox's 模拟支付 sheet (held here while open), the provider's notify, the refreshed
 * order. `onSettled` runs when the attempt is over, saying whether the order is paid: false when the
 * shopper left WeChat Pay's sheet or closed the 模拟支付 one (暂不支付), or the payment failed.
 */
export function usePayment(onSettled?: (orderId: string, paid: boolean) => void) {
  const [sheet, setSheet] = useState<{ orderId: string; params: SandboxParams } | null>(null)
  const [busy, setBusy] = useState(false)
  // Taps land before the re-render that disables the button: one payment step at a time.
  const busyRef = useRef(false)

  const step = async <T>(run: () => Promise<T>): Promise<T | null> => {
    if (busyRef.current) return null
    busyRef.current = true
    setBusy(true)
    try {
      return await run()
    } finally {
      busyRef.current = false
      setBusy(false)
    }
  }

  /** Starts paying; a refusal (the order closed meanwhile) is answered for the page to show. */
  const pay = (orderId: string): Promise<Outcome<PayStart> | null> =>
    step(async () => {
      const start = await useOrderStore.getState().startPayment(orderId)
      if (start.ok && start.value.kind === 'sandbox') setSheet({ orderId, params: start.value.params })
      else if (start.ok) onSettled?.(orderId, start.value.kind === 'paid')
      return start
    })

  const confirm = () =>
    step(async () => {
      if (!sheet) return
      const paid = await useOrderStore.getState().confirmSandbox(sheet.orderId, sheet.params)
      if (paid.ok) toast('支付成功', 'success')
      else toast(paid.message)
      setSheet(null)
      onSettled?.(sheet.orderId, paid.ok)
    })

  const close = () => {
    if (!sheet || busyRef.current) return
    setSheet(null)
    onSettled?.(sheet.orderId, false)
  }

  return { sheet, busy, pay, confirm, close }
}
