import { Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import type { CenterCoupon } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { CouponCard } from '../../../components/coupon-card'
import { couponShortText, couponStateText, couponValidityText } from '../../../lib/coupon-text'
import './coupon-popup.scss'

type Claim = (couponId: string) => Promise<void>

/** How long a settled pop-up (已领取, 已抢光, 已结束) stays before it fades away. */
export const POPUP_FADE_MS = 2000

/**
 * One claim at a time: a second tap while the first is on its way does nothing (the ref answers
 * before React re-renders the busy state). `onClaim` resolves with the claim's answer: a granted
 * claim already shows 已领取 then; the room's sync follows on its own (已抢光 after a refusal, say).
 */
function useClaimOnce(onClaim: Claim) {
  const [busy, setBusy] = useState<string | null>(null)
  const inFlight = useRef(false)
  const run = async (c: CenterCoupon) => {
    if (inFlight.current || c.state !== 'claimable') return
    inFlight.current = true
    setBusy(c.couponId)
    try {
      await onClaim(c.couponId)
    } catch {
      // the page tells the viewer why; the button shows the room's state again
    } finally {
      inFlight.current = false
      setBusy(null)
    }
  }
  return { busy, run }
}

function buttonText(c: CenterCoupon, busy: string | null): string {
  return busy === c.couponId ? '领取中…' : couponStateText(c.state, 'room')
}

/**
 * The coupon the anchor just dropped, as a card over the video: the newest claimable one the viewer
 * hasn't closed, once per coupon. It keeps showing its own coupon through the claim (领取中…) to its
 * outcome (已领取 / 已抢光 / 已结束), then fades; × closes it for good.
 */
export function CouponPopup({ coupons, live, onClaim }: { coupons: CenterCoupon[]; live: boolean; onClaim: Claim }) {
  const [dismissed, setDismissed] = useState<string[]>([])
  const [current, setCurrent] = useState<string | null>(null)
  const { busy, run } = useClaimOnce(onClaim)

  const onScreen = current && !dismissed.includes(current) ? coupons.find((c) => c.couponId === current) : undefined
  const newest = coupons.find((c) => c.state === 'claimable' && !dismissed.includes(c.couponId))
  // A coupon being claimed or settled stays; a still-claimable one gives way to a newer drop.
  const shown = onScreen && (onScreen.state !== 'claimable' || busy === onScreen.couponId) ? onScreen : newest
  const shownId = shown?.couponId ?? null
  const settled = !!shown && shown.state !== 'claimable' && busy !== shown.couponId

  useEffect(() => {
    if (!shownId || shownId === current) return
    // The coupon that was up has had its pop-up: it doesn't come back after the newer one.
    if (current) setDismissed((d) => (d.includes(current) ? d : [...d, current]))
    setCurrent(shownId)
  }, [shownId, current])

  useEffect(() => {
    if (!settled || !shownId) return
    const t = setTimeout(() => setDismissed((d) => (d.includes(shownId) ? d : [...d, shownId])), POPUP_FADE_MS)
    return () => clearTimeout(t)
  }, [settled, shownId])

  if (!live || !shown) return null
  const close = () => setDismissed((d) => (d.includes(shown.couponId) ? d : [...d, shown.couponId]))
  return (
    <View className={`coupon-popup ${settled ? 'coupon-popup--fading' : ''}`}>
      <Text className="coupon-popup__close" onClick={close}>
        ×
      </Text>
      <View className="coupon-popup__head">
        {shown.roomId ? <Text className="coupon-popup__tag">直播专享</Text> : null}
        <Text className="coupon-popup__title">{shown.title}</Text>
      </View>
      <Text className="coupon-popup__value">{couponShortText(shown)}</Text>
      <Text className="coupon-popup__valid">{couponValidityText(shown)}</Text>
      <Text
        className={`coupon-popup__btn ${shown.state === 'claimable' && busy !== shown.couponId ? '' : 'coupon-popup__btn--off'}`}
        onClick={() => void run(shown)}
      >
        {buttonText(shown, busy)}
      </Text>
    </View>
  )
}

/**
 * The room's 券 entry: every coupon dropped in the room with its state, in a sheet, so a closed
 * pop-up can be found again. Nothing when the room has no coupon.
 */
export function CouponEntry({ coupons, live, onClaim }: { coupons: CenterCoupon[]; live: boolean; onClaim: Claim }) {
  const [open, setOpen] = useState(false)
  const { busy, run } = useClaimOnce(onClaim)
  if (coupons.length === 0) return null
  const claimable = coupons.filter((c) => c.state === 'claimable').length
  return (
    <>
      <View className="coupon-entry" onClick={() => setOpen(true)}>
        <Text className="coupon-entry__icon">券</Text>
        {live && claimable > 0 ? <Text className="coupon-entry__badge">{claimable}</Text> : null}
      </View>
      <BottomSheet open={open} onClose={() => setOpen(false)} title="直播间优惠券" scroll>
        {coupons.map((c) => (
          <CouponCard
            key={c.couponId}
            coupon={c}
            dimmed={c.state !== 'claimable'}
            sub={
              <Text>
                {c.roomId ? '直播专享 · ' : ''}
                {couponValidityText(c)}
              </Text>
            }
            action={
              <Text
                className={`coupon-entry__btn ${c.state === 'claimable' && busy !== c.couponId ? '' : 'coupon-entry__btn--off'}`}
                onClick={() => void run(c)}
              >
                {buttonText(c, busy)}
              </Text>
            }
          />
        ))}
      </BottomSheet>
    </>
  )
}
