import { useRef, useState } from 'react'
import type { OrderCreateInput, OrderItemInput, OrderPreviewOutput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'

/** A key made once per checkout page: every submit from this page is the same order. */
export function newIdempotencyKey(): string {
  return `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 12)}${Math.random().toString(36).slice(2, 12)}`
}

export interface CheckoutState {
  preview: OrderPreviewOutput | null
  status: 'loading' | 'ready' | 'error'
  error: string | null
  submitting: boolean
}

/**
 * The checkout page's data: the server's price breakdown of the items, and a submit that sends the
 * page's one idempotency key, so repeated taps or a retry after a lost answer make one order.
 */
export function useCheckout(items: OrderItemInput[]) {
  const keyRef = useRef<string>(newIdempotencyKey())
  const [state, setState] = useState<CheckoutState>({ preview: null, status: 'loading', error: null, submitting: false })
  const submittingRef = useRef(false)

  const load = async () => {
    setState((s) => ({ ...s, status: 'loading', error: null }))
    try {
      const preview = await call('order', 'preview', { items })
      setState((s) => ({ ...s, preview, status: 'ready' }))
    } catch (err) {
      setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }))
    }
  }

  const submit = async (extra: Omit<OrderCreateInput, 'items' | 'idempotencyKey'>) => {
    if (submittingRef.current) return null
    submittingRef.current = true
    setState((s) => ({ ...s, submitting: true }))
    try {
      return await call('order', 'create', { items, idempotencyKey: keyRef.current, ...extra })
    } finally {
      submittingRef.current = false
      setState((s) => ({ ...s, submitting: false }))
    }
  }

  return { ...state, load, submit }
}
