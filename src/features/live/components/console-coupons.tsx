import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { RoomView } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { ActionButton } from '../../../components/action-button'
import { couponRuleText, couponValueText } from '../../../lib/coupon-text'
import { emptyCouponForm, parseCouponForm, type CouponForm } from '../console-forms'
import { useConsoleStore, type RoomCoupon } from '../console-store'
import { ConsoleCard, FieldError, confirmFirst, tell } from './console-ui'

const STATE_TEXT: Record<RoomCoupon['state'], string> = {
  claimable: '可领取',
  claimed: '可领取',
  sold_out: '已抢光',
  not_started: '未开始',
  ended: '已结束',
  paused: '暂停发放',
}

function CouponRow({ c, room, busy }: { c: RoomCoupon; room: RoomView; busy: boolean }) {
  const store = useConsoleStore.getState()
  const roomOnly = c.roomId === room.id
  const drop = () => !busy && void store.dropCoupon(c.couponId).then((r) => tell(r, '已发券'))
  const award = async () => {
    if (busy) return
    const ok = await confirmFirst('奖励前三', `把「${c.title}」发给本场分享排行榜前三名？每场只发一次。`, '发放')
    if (ok) tell(await store.awardTopSharers(c.couponId), (v) => (v.awarded > 0 ? `已奖励前 ${v.awarded} 名` : '还没有分享者上榜'))
  }
  const issue = async () => {
    if (busy) return
    const ok = await confirmFirst('发给全部观众', `把「${c.title}」发给进入过本场直播的每位观众？每人一张。`, '发放')
    if (ok) tell(await store.issueToViewers(c.couponId), (v) => `已发放 ${v.issued} 张${v.already ? `，${v.already} 人已有` : ''}`)
  }
  return (
    <View className="console-coupon">
      <View className="console-coupon__main">
        <View className="console-coupon__head">
          {roomOnly ? <Text className="console__tag console__tag--on">直播专享</Text> : null}
          <Text className="console-coupon__title">{c.title}</Text>
        </View>
        <Text className="console__muted">
          {couponValueText(c)} · {couponRuleText(c)} · 已领 {c.claimed}/{c.stock} · 每人限领 {c.perUserLimit} · {STATE_TEXT[c.state]}
        </Text>
      </View>
      <View className="console-coupon__actions">
        {c.dropped ? (
          <Text key="dropped" className="console__tag">
            已发放
          </Text>
        ) : room.status === 'live' ? (
          <Text key="drop" className="console__btn" onClick={drop}>
            发券
          </Text>
        ) : null}
        <Text className="console__link" onClick={() => void award()}>
          奖励前三
        </Text>
        {room.status === 'ended' ? (
          <Text className="console__link" onClick={() => void issue()}>
            发给全部观众
          </Text>
        ) : null}
      </View>
    </View>
  )
}

/** The new room-only coupon: amounts in yuan, sent as integer fen; each field's refusal under it. */
function NewCouponSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form, setForm] = useState<CouponForm>(emptyCouponForm)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const busy = useConsoleStore((s) => s.busy)
  const edit = (patch: Partial<CouponForm>) => {
    setForm((f) => ({ ...f, ...patch }))
    setErrors((e) => {
      const next = { ...e }
      for (const k of Object.keys(patch)) delete next[k]
      return next
    })
  }
  const submit = async () => {
    const parsed = parseCouponForm(form)
    if (!parsed.ok) {
      setErrors(parsed.errors)
      return
    }
    const r = await useConsoleStore.getState().createRoomCoupon(parsed.value)
    // The server names fields by the call's input (fen); the form by what the anchor typed (yuan).
    if (r && !r.ok && r.fields) {
      const { valueFen, thresholdFen, ...rest } = r.fields
      setErrors({ ...rest, ...(valueFen ? { valueYuan: valueFen } : {}), ...(thresholdFen ? { thresholdYuan: thresholdFen } : {}) })
    }
    if (tell(r, '已创建直播专享券')) {
      setForm(emptyCouponForm())
      onClose()
    }
  }
  return (
    <BottomSheet open={open} onClose={onClose} title="新建直播专享券" scroll>
      <View className="console-form">
        <Text className="console-form__label">券名称</Text>
        <Input
          className="console-form__input console-form__title"
          value={form.title}
          maxlength={30}
          placeholder="如：直播专享 满99减15"
          onInput={(e) => edit({ title: e.detail.value })}
        />
        <FieldError text={errors.title} />
        <Text className="console-form__label">使用门槛</Text>
        <View className="console-form__chips">
          <Text
            className={`console-form__chip ${form.threshold === 'none' ? 'console-form__chip--on' : ''}`}
            onClick={() => edit({ threshold: 'none', thresholdYuan: '' })}
          >
            无门槛
          </Text>
          <Text
            className={`console-form__chip ${form.threshold === 'min' ? 'console-form__chip--on' : ''}`}
            onClick={() => edit({ threshold: 'min' })}
          >
            满额可用
          </Text>
        </View>
        {form.threshold === 'min' ? (
          <View className="console-form__row">
            <Text>满</Text>
            <Input
              className="console-form__input console-form__threshold"
              type="digit"
              value={form.thresholdYuan}
              placeholder="0.00"
              onInput={(e) => edit({ thresholdYuan: e.detail.value })}
            />
            <Text>元可用</Text>
          </View>
        ) : null}
        <FieldError text={errors.thresholdYuan} />
        <View className="console-form__row">
          <Text>减</Text>
          <Input
            className="console-form__input console-form__value"
            type="digit"
            value={form.valueYuan}
            placeholder="0.00"
            onInput={(e) => edit({ valueYuan: e.detail.value })}
          />
          <Text>元</Text>
        </View>
        <FieldError text={errors.valueYuan} />
        <View className="console-form__row">
          <Text>发放</Text>
          <Input
            className="console-form__input console-form__stock"
            type="number"
            value={form.stock}
            placeholder="数量"
            onInput={(e) => edit({ stock: e.detail.value })}
          />
          <Text>张 · 每人限领 1 张</Text>
        </View>
        <FieldError text={errors.stock} />
        <Text className="console__muted">直播专享券只能在本直播间直播中领取，不进领券中心</Text>
        <ActionButton disabled={busy} onClick={() => void submit()}>
          创建
        </ActionButton>
      </View>
    </BottomSheet>
  )
}

/** 发券: the shop's coupons and this room's 直播专享 ones, the new-coupon form, the prizes after the show. */
export function ConsoleCoupons({ room, busy }: { room: RoomView; busy: boolean }) {
  const coupons = useConsoleStore((s) => s.coupons)
  const [sheet, setSheet] = useState(false)
  return (
    <ConsoleCard
      title="优惠券"
      extra={
        <Text className="console__btn" onClick={() => setSheet(true)}>
          新建直播专享券
        </Text>
      }
    >
      <Text className="console__muted">
        {room.status === 'live'
          ? '发券后观众在直播间一键领取；店铺券仍留在领券中心'
          : room.status === 'upcoming'
            ? '开播后才能发券'
            : '直播已结束，可把券发给全部观众'}
      </Text>
      {coupons === null ? <Text className="console__muted">加载中…</Text> : null}
      {coupons?.length === 0 ? <Text className="console__muted">还没有可发的券，先新建一张直播专享券</Text> : null}
      {coupons?.map((c) => (
        <CouponRow key={c.couponId} c={c} room={room} busy={busy} />
      ))}
      <NewCouponSheet open={sheet} onClose={() => setSheet(false)} />
    </ConsoleCard>
  )
}
