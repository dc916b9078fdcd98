import Taro, { useDidHide, useDidShow, useLoad, useRouter, useShareAppMessage, useShareTimeline, useUnload } from '@tarojs/taro'
import { Image, Input, Text, View } from '@tarojs/components'
import { useRef, useState } from 'react'
import { useStore } from 'zustand'
import type { LotteryView } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { useCouponStore } from '../../../features/coupon/coupon-store'
import { CommentList, GoodsShelf, LeaderboardPanel, LotteryPanel } from '../../../features/live/components/room-panels'
import { StreamView } from '../../../features/live/components/stream-view'
import { createRoomStore, POLL_MS, type RoomStore } from '../../../features/live/room-store'
import { verifyOnDevice } from '../../../features/live/verify'
import { useSessionStore } from '../../../features/session/session-store'
import { couponStateText, couponValueText } from '../../../lib/coupon-text'
import { routes } from '../../../lib/routes'
import { toast } from '../../../lib/toast'
import './index.scss'
import { navigateTo } from '../../../lib/navigate'

const REMINDER_TEMPLATE = process.env.TARO_APP_LIVE_TEMPLATE_ID || ''

export default function LiveRoomPage() {
  const { params } = useRouter()
  const roomId = params.id ?? ''
  const sharerId = params.sharerId || undefined
  // One store per page instance: room A stays as it was under room B in the page stack.
  const storeRef = useRef<RoomStore>()
  storeRef.current ??= createRoomStore(roomId)
  const store = storeRef.current
  const s = useStore(store)
  const me = useSessionStore((x) => x.user)
  const claim = useCouponStore((x) => x.claim)
  const [text, setText] = useState('')
  const [verdicts, setVerdicts] = useState<Record<string, boolean>>({})
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)

  const stopPolling = () => {
    if (timer.current) clearInterval(timer.current)
    timer.current = null
  }
  useLoad(() => {
    if (roomId) void store.getState().enter(sharerId)
    void useSessionStore.getState().load()
  })
  // Poll while the page is visible, stop when hidden.
  useDidShow(() => {
    stopPolling()
    timer.current = setInterval(() => void store.getState().poll(), POLL_MS)
  })
  useDidHide(stopPolling)
  useUnload(stopPolling)

  const shareTitle = s.room ? `${s.room.title}｜邀你一起看直播` : '邀你一起看直播'
  useShareAppMessage(() => ({ title: shareTitle, path: routes.room(roomId, me?.id) }))
  useShareTimeline(() => ({ title: shareTitle, query: `id=${roomId}${me ? `&sharerId=${me.id}` : ''}` }))

  if (!roomId) return <StateView kind="error" text="直播间链接无效" />
  const room = s.room
  if (!room) {
    if (s.status === 'error')
      return <StateView kind="error" text={s.error ?? undefined} actionText="重试" onAction={() => void store.getState().enter(sharerId)} />
    return <StateView kind="loading" />
  }

  const openProduct = (productId: string) => void navigateTo(routes.product(productId, { roomId, sharerId }))
  const send = async () => {
    const t = text.trim()
    if (!t) return
    const sent = await store.getState().comment(t)
    if (sent.ok) setText('')
    else toast(sent.message)
  }
  const subscribe = async () => {
    if (process.env.TARO_ENV === 'weapp' && REMINDER_TEMPLATE) {
      // A subscribe message needs the viewer's own tap to allow it, once per message.
      const res = await Taro.requestSubscribeMessage({ tmplIds: [REMINDER_TEMPLATE], entityIds: [] }).catch(() => null)
      if (!res || (res as Record<string, string>)[REMINDER_TEMPLATE] !== 'accept') return
    }
    const subscribed = await store.getState().subscribe()
    toast(subscribed.ok ? '预约成功，开播时提醒你' : subscribed.message)
  }
  const claimCoupon = async (couponId: string) => {
    const claimed = await claim(couponId)
    if (claimed) toast(claimed.ok ? '领取成功' : claimed.message, claimed.ok ? 'success' : 'none')
    await store.getState().resync()
  }
  const verify = (l: LotteryView) =>
    setVerdicts((v) => ({
      ...v,
      [l.lotteryId]: verifyOnDevice({
        seed: l.seed ?? '',
        commitment: l.commitment,
        candidates: l.candidates ?? [],
        winnerIds: l.winnerIds ?? [],
      }),
    }))

  return (
    <View className="live-room">
      <StreamView room={room} />
      <View className="live-room__head">
        <Text className="live-room__title">{room.title}</Text>
        <Text className="live-room__meta">
          {room.status === 'live' ? '直播中' : room.status === 'upcoming' ? '未开播' : '已结束'} · {s.viewerCount} 人看过 · {s.likeCount} 赞
        </Text>
      </View>
      {room.status === 'upcoming' ? (
        <View className="live-room__actions">
          <ActionButton disabled={room.subscribed} onClick={() => void subscribe()}>
            {room.subscribed ? '已预约' : '预约开播提醒'}
          </ActionButton>
        </View>
      ) : null}
      {room.coupons.length > 0 ? (
        <View className="live-room__coupons">
          {room.coupons.map((c) => (
            <View key={c.couponId} className="live-room__coupon" onClick={() => c.state === 'claimable' && void claimCoupon(c.couponId)}>
              <Text className="live-room__coupon-value">{couponValueText(c)}</Text>
              <Text className="live-room__coupon-title">{c.title}</Text>
              <Text className="live-room__coupon-state">{couponStateText(c.state, 'room')}</Text>
            </View>
          ))}
        </View>
      ) : null}
      <GoodsShelf pinned={room.pinned} goods={room.goods} onOpen={openProduct} />
      {room.status === 'live' ? (
        <>
          <CommentList ring={s.comments} />
          <View className="live-room__input">
            <Input
              className="live-room__text"
              value={text}
              maxlength={100}
              placeholder="说点什么…"
              confirmType="send"
              onInput={(e) => setText(e.detail.value)}
              onConfirm={() => void send()}
            />
            <ActionButton className="live-room__send" onClick={() => void send()}>
              发送
            </ActionButton>
            <Text className="live-room__like" onClick={() => store.getState().like()}>
              ❤
            </Text>
          </View>
        </>
      ) : null}
      <LeaderboardPanel board={s.leaderboard} />
      <LotteryPanel lotteries={s.lotteries} verdicts={verdicts} onVerify={verify} />
      {room.communityQr ? (
        <View className="live-room__community">
          <Text className="live-room__community-title">加入粉丝群</Text>
          <Text className="live-room__community-hint">长按识别二维码，第一时间获取开播和福利消息</Text>
          <Image className="live-room__qr" src={assetUrl(room.communityQr)} showMenuByLongpress mode="aspectFit" />
        </View>
      ) : null}
      {me?.isAdmin ? (
        <Text className="live-room__console" onClick={() => void navigateTo(routes.liveConsole(roomId))}>
          进入主播控制台 ›
        </Text>
      ) : null}
    </View>
  )
}
