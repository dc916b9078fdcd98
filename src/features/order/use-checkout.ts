import { useMemo, useRef, useState } from 'react'
import type { AddressFields, CheckoutCoupon, OrderItemInput, OrderPreviewOutput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { ApiError } from '../../api/errors'
import {
  dropDraft,
  goodsHash,
  keyForDraft,
  markRefused,
  readDraft,
  readPointsChoice,
  rememberOrder,
  rememberPointsChoice,
  type DraftRecord,
} from '../../lib/idempotency'
import { attempt, type Outcome } from '../shared/outcome'
import { serverNow, useServerClock } from '../shared/server-clock'

/** What a checkout buys: items (from the cart, a product page or a flash sale), one new-user deal claim, an assist task's price-cut order, or a group order. */
export type CheckoutSource =
  | { kind: 'items'; items: OrderItemInput[]; flashSaleId?: string }
  | { kind: 'deal'; campaignId: string }
  | { kind: 'assist'; taskId: string }
  /** 拼团: opening a group of the campaign, or joining the group. */
  | { kind: 'group'; campaignId?: string; groupId?: string }

/** A group checkout's draft name: what it opens or joins. */
const groupRef = (source: Extract<CheckoutSource, { kind: 'group' }>) =>
  source.groupId ? `join:${source.groupId}` : `open:${source.campaignId ?? ''}`

/** An unpaid order this checkout's draft already made: checkout offers to pay it instead of placing another. */
export interface PendingOrder {
  orderId: string
  goodsFen: number
  discountFen: number
  memberSavingFen: number
  couponFen: number
  pointsUsed: number
  pointsFen: number
  payableFen: number
  payDeadline: string
  /** Where the order ships (its own copy of the address). */
  address: AddressFields | null
  /** The draft that made it: while the page's draft is this one, the order is what 去支付 pays. */
  draft: { addressId: string | null; couponId: string | null; note: string; pointsUsed: number }
}

/** The shopper's choices on the page, compared with the draft that made the waiting order. */
export interface DraftChoices {
  addressId: string | null
  note: string
}

export interface CheckoutState {
  preview: OrderPreviewOutput | null
  /** Every coupon the shopper holds, usable ones first, each with its saving or reason. */
  coupons: CheckoutCoupon[]
  /** The coupon of the draft: the best one until the shopper picks another or none (a restored draft's own, even while its order holds it). */
  couponId: string | null
  /** The coupon the preview is priced with (and a new order would use): `couponId` unless that one is held by the waiting order. */
  pricedCouponId: string | null
  /**
   * Whether the shopper spends points (积分抵扣, off until they switch it on): the preview then spends
   * the most the order can take (`preview.points.maxUsable`), as `preview.pointsUsed` says.
   */
  usePoints: boolean
  pending: PendingOrder | null
  status: 'loading' | 'ready' | 'error'
  error: string | null
  submitting: boolean
}

/** What the shopper adds to the draft on the page: the address (required), a note and where they came from. */
export interface SubmitExtra {
  addressId: string
  note?: string
  sharerId?: string
  roomId?: string
  fromCart?: boolean
}

/**
 * The checkout page's data: the server's price breakdown of the items or the deal with the chosen
 * coupon, and a submit whose idempotency key lives with the checkout draft (the goods, the address
 * and the coupon) in storage. Repeated taps, a retry after a lost answer, or the page reloaded
 * mid-payment send the same key, so one draft makes one order; while that order waits for payment
 * the checkout offers it (`pending`) instead of a new one. Paid or closed, the draft is forgotten.
 */
export function useCheckout(source: CheckoutSource) {
  const goods = useMemo(
    () =>
      source.kind === 'deal'
        ? goodsHash({ items: [], dealId: source.campaignId })
        : source.kind === 'assist'
          ? goodsHash({ items: [], assistTaskId: source.taskId })
          : source.kind === 'group'
            ? goodsHash({ items: [], groupRef: groupRef(source) })
            : goodsHash({ items: source.items, flashSaleId: source.flashSaleId }),
    // The source comes from the page's query: its fields name it.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [source.kind === 'deal' ? source.campaignId : source.kind === 'assist' ? source.taskId : JSON.stringify(source)],
  )
  const pickedRef = useRef(false)
  // The applied coupon, readable from callbacks registered in an earlier render.
  const couponRef = useRef<string | null>(null)
  // Whether points are on, and the points the preview spends (what a submit sends), as the coupon is kept.
  const pointsOnRef = useRef(false)
  const pointsRef = useRef(0)
  const [state, setState] = useState<CheckoutState>({
    preview: null,
    coupons: [],
    couponId: null,
    pricedCouponId: null,
    usePoints: false,
    pending: null,
    status: 'loading',
    error: null,
    submitting: false,
  })
  const submittingRef = useRef(false)

  /**
   * The price breakdown with the coupon (and the points when switched on: the most the order can
   * take, so a second preview asks for them), and (when asked) the coupons held, for items or the deal alike.
   */
  const price = async (couponId: string | null, withCoupons: boolean) => {
    const coupon = couponId ? { userCouponId: couponId } : {}
    if (source.kind === 'deal') {
      const { coupons, bestId, ...preview } = await call('deal', 'preview', { campaignId: source.campaignId, ...coupon })
      return { preview, coupons, bestId }
    }
    if (source.kind === 'assist') {
      const { coupons, bestId, ...preview } = await call('assist', 'preview', { taskId: source.taskId, ...coupon })
      return { preview, coupons, bestId }
    }
    if (source.kind === 'group') {
      const target = source.groupId ? { groupId: source.groupId } : { campaignId: source.campaignId ?? '' }
      const { coupons, bestId, ...preview } = await call('group', 'preview', { ...target, ...coupon })
      return { preview, coupons, bestId }
    }
    const [first, held] = await Promise.all([
      call('order', 'preview', { items: source.items, flashSaleId: source.flashSaleId, ...coupon }),
      withCoupons ? call('coupon', 'forCheckout', { items: source.items }) : null,
    ])
    const points = pointsOnRef.current ? first.points.maxUsable : 0
    // Points another order took meanwhile: priced without them (the switch shows what is left).
    const preview =
      points > 0
        ? await call('order', 'preview', { items: source.items, flashSaleId: source.flashSaleId, ...coupon, pointsUsed: points }).catch(
            () => first,
          )
        : first
    return { preview, coupons: held?.items ?? null, bestId: held?.bestId ?? null }
  }

  const previewWith = async (couponId: string | null) => {
    try {
      return { preview: (await price(couponId, false)).preview, couponId }
    } catch (err) {
      if (!couponId) throw err
      // The coupon stopped applying (used elsewhere, expired): price without it.
      return { preview: (await price(null, false)).preview, couponId: null }
    }
  }

  /**
   * The unpaid order the saved draft made, when it can still be paid; a paid, closed, expired or
   * unknown one drops the draft. A network failure keeps it: the next load looks again.
   */
  const pendingOf = async (saved: DraftRecord | null): Promise<PendingOrder | null> => {
    if (!saved?.orderId) return null
    try {
      const { order, serverTime } = await call('order', 'get', { orderId: saved.orderId })
      useServerClock.getState().sync(serverTime)
      if (order.status === 'pending_payment' && new Date(order.payDeadline).getTime() > serverNow()) {
        return {
          orderId: order.id,
          goodsFen: order.goodsFen,
          discountFen: order.discountFen,
          memberSavingFen: order.memberSavingFen,
          couponFen: order.couponFen,
          pointsUsed: order.pointsUsed,
          pointsFen: order.pointsFen,
          payableFen: order.payableFen,
          payDeadline: order.payDeadline,
          address: order.address,
          draft: { addressId: saved.addressId, couponId: saved.couponId, note: saved.note ?? '', pointsUsed: saved.pointsUsed ?? 0 },
        }
      }
    } catch (err) {
      if (!(err instanceof ApiError) || err.code !== 'NOT_FOUND') throw err
    }
    dropDraft(goods)
    return null
  }

  /**
   * Loads the checkout: the draft's waiting order, if any, and the prices. A saved draft brings back
   * the coupon it was submitted with (the address is the page's: `restoredAddressId`).
   */
  const load = async () => {
    setState((s) => ({ ...s, status: 'loading', error: null }))
    // The 积分抵扣 switch comes back with the draft before pricing: as last switched, else as submitted.
    if (!pickedRef.current) {
      const submitted = readDraft(goods)
      pointsOnRef.current = readPointsChoice(goods) ?? (submitted?.pointsUsed ?? 0) > 0
    }
    try {
      const [pending, first] = await Promise.all([pendingOf(readDraft(goods)), price(null, true)])
      // A draft still open (not dropped for a paid or closed order) comes back with its coupon, so its hash and key do too.
      const saved = readDraft(goods)
      if (saved && !pickedRef.current) {
        pickedRef.current = true
        couponRef.current = saved.couponId
      }
      const coupons = first.coupons ?? []
      const wanted = pickedRef.current ? couponRef.current : first.bestId
      const usable = coupons.some((c) => c.userCouponId === wanted && !c.unusable) ? wanted : null
      const { preview, couponId } = usable ? await previewWith(usable) : { preview: first.preview, couponId: null }
      // The waiting order holds its draft's coupon: the draft keeps it (so it still matches), a new order could not use it.
      const held = pending && pending.draft.couponId === wanted && couponId !== wanted ? wanted : null
      couponRef.current = couponId
      // The waiting order holds its points the same way (the balance shows less while it does): the
      // draft keeps asking for what it was submitted with, so it still matches its order.
      pointsRef.current = pending && pointsOnRef.current && pending.draft.pointsUsed > 0 ? pending.draft.pointsUsed : preview.pointsUsed
      setState((s) => ({
        ...s,
        coupons,
        preview,
        couponId: held ?? couponId,
        pricedCouponId: couponId,
        usePoints: pointsOnRef.current,
        pending,
        status: 'ready',
      }))
    } catch (err) {
      setState((s) => ({ ...s, status: 'error', error: errorMessage(err) }))
    }
  }

  /** Looks at the draft's waiting order again (back from the order page, or its countdown ran out). */
  const refreshPending = async () => {
    try {
      const pending = await pendingOf(readDraft(goods))
      setState((s) => ({ ...s, pending }))
    } catch {
      // Offline: the banner stays as it was; the next show looks again.
    }
  }

  const chooseCoupon = async (couponId: string | null) => {
    pickedRef.current = true
    try {
      const next = await previewWith(couponId)
      couponRef.current = next.couponId
      pointsRef.current = next.preview.pointsUsed
      setState((s) => ({ ...s, ...next, pricedCouponId: next.couponId }))
    } catch (err) {
      setState((s) => ({ ...s, error: errorMessage(err) }))
    }
  }

  /** 积分抵扣 switched on (the most the order can take) or off; priced again by the server. */
  const choosePoints = async (on: boolean) => {
    const was = pointsOnRef.current
    pointsOnRef.current = on
    // Kept with the draft from this moment: a reload before submitting finds the switch as it is.
    rememberPointsChoice(goods, on)
    setState((s) => ({ ...s, usePoints: on }))
    try {
      const next = await previewWith(couponRef.current)
      couponRef.current = next.couponId
      pointsRef.current = next.preview.pointsUsed
      setState((s) => ({ ...s, ...next, pricedCouponId: next.couponId }))
    } catch (err) {
      pointsOnRef.current = was
      rememberPointsChoice(goods, was)
      setState((s) => ({ ...s, usePoints: was, error: errorMessage(err) }))
    }
  }

  /**
   * Places the order (a deal claim in deal mode) with the draft's key; null when a submit is already
   * on its way (a second tap makes nothing). The order made is remembered with the draft.
   */
  const submit = async (extra: SubmitExtra): Promise<Outcome<{ orderId: string; payableFen: number; groupId?: string }> | null> => {
    if (submittingRef.current) return null
    submittingRef.current = true
    setState((s) => ({ ...s, submitting: true }))
    const userCouponId = couponRef.current
    const coupon = userCouponId ? { userCouponId } : {}
    const note = extra.note ?? ''
    // Deal orders take no points; an item order spends what the preview showed.
    const pointsUsed = source.kind === 'deal' || !pointsOnRef.current ? 0 : pointsRef.current
    const idempotencyKey = keyForDraft(
      source.kind === 'deal'
        ? { items: [], dealId: source.campaignId, addressId: extra.addressId, couponId: userCouponId, note }
        : source.kind === 'assist'
          ? { items: [], assistTaskId: source.taskId, addressId: extra.addressId, couponId: userCouponId, note }
          : source.kind === 'group'
            ? { items: [], groupRef: groupRef(source), addressId: extra.addressId, couponId: userCouponId, note }
            : {
                items: source.items,
                flashSaleId: source.flashSaleId,
                addressId: extra.addressId,
                couponId: userCouponId,
                note,
                pointsUsed,
              },
    )
    const created = await attempt(async () => {
      const checkout = { idempotencyKey, addressId: extra.addressId, ...coupon, ...(extra.note ? { note: extra.note } : {}) }
      if (source.kind === 'group') {
        // Opening or joining: a group order (one unit at the group price) and its seat; refused before paying when full.
        const placed = source.groupId
          ? await call('group', 'join', { groupId: source.groupId, ...checkout })
          : await call('group', 'open', { campaignId: source.campaignId ?? '', ...checkout })
        rememberOrder(goods, placed.orderId)
        return { orderId: placed.orderId, payableFen: placed.payableFen, groupId: placed.groupId }
      }
      const placed =
        source.kind === 'deal'
          ? await call('deal', 'claim', {
              campaignId: source.campaignId,
              idempotencyKey,
              addressId: extra.addressId,
              ...coupon,
              ...(extra.note ? { note: extra.note } : {}),
            })
          : source.kind === 'assist'
            ? await call('assist', 'buy', {
                taskId: source.taskId,
                idempotencyKey,
                addressId: extra.addressId,
                ...coupon,
                ...(extra.note ? { note: extra.note } : {}),
              })
            : await call('order', 'create', {
                items: source.items,
                idempotencyKey,
                ...(source.flashSaleId ? { flashSaleId: source.flashSaleId } : {}),
                ...coupon,
                ...(pointsUsed > 0 ? { pointsUsed } : {}),
                ...extra,
              })
      rememberOrder(goods, placed.orderId)
      return { orderId: placed.orderId, payableFen: placed.payableFen }
    })
    // A refusal rolled the call back: the key holds nothing. No answer (offline, a failure of ours): it may hold the order.
    if (!created.ok && created.code !== 'NETWORK' && created.code !== 'INTERNAL') markRefused(goods)
    submittingRef.current = false
    // The draft is now the one submitted: its coupon is the one the order was priced with.
    setState((s) => ({ ...s, submitting: false, ...(created.ok ? { couponId: userCouponId } : {}) }))
    return created
  }

  /** The draft's order was paid: the next checkout of these goods is a new purchase. */
  const forget = () => {
    dropDraft(goods)
    setState((s) => ({ ...s, pending: null }))
  }

  /**
   * The waiting order when the page's draft is the one that made it (same address, coupon and note):
   * then 去支付 pays it and the breakdown is its own. Null once the shopper changed the draft: a submit
   * then places a new order with a new key, priced by the new preview.
   */
  const pendingFor = (choices: DraftChoices): PendingOrder | null => {
    const p = state.pending
    if (!p) return null
    const points = state.usePoints ? pointsRef.current : 0
    const same =
      p.draft.addressId === choices.addressId &&
      p.draft.couponId === state.couponId &&
      p.draft.note === choices.note.trim() &&
      p.draft.pointsUsed === points
    return same ? p : null
  }

  return {
    ...state,
    load,
    refreshPending,
    chooseCoupon,
    choosePoints,
    submit,
    forget,
    pendingFor,
    restoredAddressId: () => readDraft(goods)?.addressId ?? null,
    restoredNote: () => readDraft(goods)?.note ?? '',
  }
}
