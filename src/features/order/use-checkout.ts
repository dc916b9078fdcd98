import { useRef, useState } from 'react'
import type { CheckoutCoupon, OrderCreateInput, OrderCreateOutput, OrderItemInput, OrderPreviewOutput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { newIdempotencyKey } from '../../lib/idempotency'
import { attempt, type Outcome } from '../shared/outcome'

export interface CheckoutState {
  preview: OrderPreviewOutput | null
  /** Every coupon the shopper holds, usable ones first, each with its saving or reason. */
  coupons: CheckoutCoupon[]
  /** The coupon applied: the best one until the shopper picks another or none. */
  couponId: string | null
  status: 'loading' | 'ready' | 'error'
  error: string | null
  submitting: boolean
}

/**
 * The checkout page's data: the server's price breakdown of the items with the chosen coupon, and a
 * submit that sends the page's one idempotency key, so repeated taps or a retry after a lost answer
 * make one order.
 */
export function useCheckout(items: OrderItemInput[], flashSaleId?: string) {
  const keyRef = useRef<string>(newIdempotencyKey())
  const pickedRef = useRef(false)
  // The applied coupon, readable from callbacks registered in an earlier render.
  const couponRef = useRef<string | null>(null)
  const [state, setState] = useState<CheckoutState>({
    preview: null,
    coupons: [],
    couponId: null,
    status: 'loading',
    error: null,
    submitting: false,
  })
  const submittingRef = useRef(false)

  const previewWith = async (couponId: string | null) => {
    try {
      return { preview: await call('order', 'preview', { items, flashSaleId, ...(couponId ? { userCouponId: couponId } : {}) }), couponId }
    } catch (err) {
      if (!couponId) throw err
      // The coupon stopped applying (used elsewhere, expired): price without it.
      return { preview: await call('order', 'preview', { items, flashSaleId }), couponId: null }
    }
  }

  const load = async () => {
    setState((s) => ({ ...s, status: 'loading', error: null }))
    try {
      const { items: coupons, bestId } = await call('coupon', 'forCheckout', { items })
      const wanted = pickedRef.current ? couponRef.current : bestId
      const usable = coupons.some((c) => c.userCouponId === wanted && !c.unusable) ? wanted : null
      const { preview, couponId } = await previewWith(usable)
      couponRef.current = couponId
      setState((s) => ({ ...s, coupons, preview, couponId, status: 'ready' }))
    } catch (err) {
      setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }))
    }
  }

  const chooseCoupon = async (couponId: string | null) => {
    pickedRef.current = true
    try {
      const next = await previewWith(couponId)
      couponRef.current = next.couponId
      setState((s) => ({ ...s, ...next }))
    } catch (err) {
      setState((s) => ({ ...s, error: errorMessage(err) }))
    }
  }

  /** Places the order; null when a submit is already on its way (a second tap makes nothing). */
  const submit = async (
    extra: Omit<OrderCreateInput, 'items' | 'idempotencyKey' | 'userCouponId'>,
  ): Promise<Outcome<OrderCreateOutput> | null> => {
    if (submittingRef.current) return null
    submittingRef.current = true
    setState((s) => ({ ...s, submitting: true }))
    const created = await attempt(() =>
      call('order', 'create', {
        items,
        idempotencyKey: keyRef.current,
        ...(flashSaleId ? { flashSaleId } : {}),
        ...(couponRef.current ? { userCouponId: couponRef.current } : {}),
        ...extra,
      }),
    )
    submittingRef.current = false
    setState((s) => ({ ...s, submitting: false }))
    return created
  }

  return { ...state, load, chooseCoupon, submit }
}
