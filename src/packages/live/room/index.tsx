import Taro, { useDidHide, useDidShow, useLoad, useRouter, useShareAppMessage, useShareTimeline, useUnload } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useRef, useState, type ReactNode } from 'react'
import { useStore } from 'zustand'
import { StateView } from '../../../components/state-view'
import { CommentStream } from '../../../features/live/components/comment-stream'
import { CommunitySheet } from '../../../features/live/components/community-sheet'
import { CouponEntry, CouponPopup } from '../../../features/live/components/coupon-popup'
import { ExplainingCard } from '../../../features/live/components/explaining-card'
import { GoodsSheet } from '../../../features/live/components/goods-sheet'
import { Hearts } from '../../../features/live/components/hearts'
import { LeaderboardSheet } from '../../../features/live/components/leaderboard-sheet'
import { LotteryEntry } from '../../../features/live/components/lottery-sheet'
import { RoomBottomBar } from '../../../features/live/components/room-bottom-bar'
import { RoomChip, RoomTopBar, type TopInset } from '../../../features/live/components/room-top-bar'
import { SharePosterSheet } from '../../../features/live/components/share-poster'
import { ShareSheet } from '../../../features/live/components/share-sheet'
import { StreamView } from '../../../features/live/components/stream-view'
import { UpcomingCard } from '../../../features/live/components/upcoming-card'
import { createRoomStore, OFFLINE_AFTER, POLL_MS, type RoomStore } from '../../../features/live/room-store'
import { roomEntry } from '../../../features/live/scene'
import { shareTitle } from '../../../features/live/share-title'
import { useSessionStore } from '../../../features/session/session-store'
import { assetUrl } from '../../../lib/asset-url'
import { navigateTo, redirectTo } from '../../../lib/navigate'
import { routes } from '../../../lib/routes'
import { copyShareLink } from '../../../lib/clipboard'
import { toast } from '../../../lib/toast'
import './index.scss'

/** The staff who run a room from the phone (admin.* live writes): not 客服 or 导购. */
const LIVE_CONSOLE_ROLES: readonly string[] = ['owner', 'operator', 'anchor']

const REMINDER_TEMPLATE = process.env.TARO_APP_LIVE_TEMPLATE_ID || ''

type Sheet = 'goods' | 'share' | 'poster' | 'leaderboard' | 'community' | null

/** Below the status bar and left of WeChat's capsule (the page draws its own top, navigationStyle custom). */
function topInset(): TopInset {
  if (process.env.TARO_ENV !== 'weapp') return { top: 12, height: 36, right: 12 }
  try {
    const capsule = Taro.getMenuButtonBoundingClientRect()
    const { windowWidth } = Taro.getWindowInfo()
    if (capsule && capsule.height > 0) return { top: capsule.top, height: capsule.height, right: windowWidth - capsule.left + 8 }
  } catch {
    // an old base library: the usual capsule of a 375 px phone
  }
  return { top: 24, height: 32, right: 105 }
}

export default function LiveRoomPage() {
  const { params } = useRouter()
  // A poster's mini-program code opens the page with `scene` (room + sharer); a link with id + sharerId.
  const { roomId, sharerId } = roomEntry(params)
  // One store per page instance: room A stays as it was under room B in the page stack.
  const storeRef = useRef<RoomStore>()
  storeRef.current ??= createRoomStore(roomId)
  const store = storeRef.current
  const s = useStore(store)
  const me = useSessionStore((x) => x.user)
  const [sheet, setSheet] = useState<Sheet>(null)
  const [muted, setMuted] = useState(process.env.TARO_ENV === 'h5')
  const [taps, setTaps] = useState(0)
  const [hiddenCard, setHiddenCard] = useState<string | null>(null)
  const insetRef = useRef<TopInset>()
  insetRef.current ??= topInset()
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
  useUnload(() => {
    stopPolling()
    store.getState().dispose()
  })

  // A share from here names me as the sharer: a friend's first entry credits me (docs/rules.md).
  const title = shareTitle(s.room)
  const imageUrl = s.room?.poster ? assetUrl(s.room.poster) : undefined
  useShareAppMessage(() => ({ title, path: routes.room(roomId, me?.id), ...(imageUrl ? { imageUrl } : {}) }))
  useShareTimeline(() => ({ title, query: `id=${roomId}${me ? `&sharerId=${me.id}` : ''}`, ...(imageUrl ? { imageUrl } : {}) }))

  // Back to the page below, or to the 直播 list when the room was opened first (a shared card, a poster's code).
  const close = () => {
    if (Taro.getCurrentPages().length > 1) void Taro.navigateBack().catch(() => void redirectTo(routes.lives))
    else void redirectTo(routes.lives)
  }
  // The page has no navigation bar (navigationStyle custom): a room that can't show keeps a way out.
  const blank = (state: ReactNode) => (
    <View className="live-room live-room--blank" style={{ paddingTop: `${insetRef.current!.top + insetRef.current!.height}px` }}>
      {state}
      <Text className="live-room__leave" onClick={close}>
        返回直播列表
      </Text>
    </View>
  )
  if (!roomId) return blank(<StateView kind="error" text="直播间链接无效" />)
  const room = s.room
  if (!room) {
    if (s.status === 'error')
      return blank(
        <StateView kind="error" text={s.error ?? undefined} actionText="重试" onAction={() => void store.getState().enter(sharerId)} />,
      )
    return blank(<StateView kind="loading" />)
  }

  const live = room.status === 'live'
  const ended = room.status === 'ended'
  // 讲解中 only while live, whatever an older server sends.
  const explaining = live ? room.pinned : null
  const showCard = explaining !== null && hiddenCard !== explaining.id && sheet !== 'goods'
  const inset = insetRef.current
  // Under the top bar and its row of chips (px).
  const belowTop = inset.top + inset.height + 48

  const openProduct = (productId: string) => void navigateTo(routes.product(productId, { roomId, sharerId }))
  const send = async (text: string) => {
    const sent = await store.getState().comment(text)
    if (!sent.ok) toast(sent.message)
    return sent.ok
  }
  const like = () => {
    store.getState().like()
    setTaps((n) => n + 1)
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
  const claim = async (couponId: string) => {
    const claimed = await store.getState().claim(couponId)
    toast(claimed.ok ? '领取成功' : claimed.message, claimed.ok ? 'success' : 'none')
  }
  const openLeaderboard = () => {
    setSheet('leaderboard')
    void store.getState().loadLeaderboard()
  }
  // H5 has no WeChat share: copy the room's link, naming me as the sharer.
  const copyLink = () => {
    setSheet(null)
    copyShareLink(title, routes.room(roomId, me?.id), '链接已复制，发给好友一起看')
  }

  // Three layers that are always there, so that nothing appearing or leaving moves the comment
  // stream among its siblings: Taro resends every node after an insertion (or the whole parent),
  // and the stream's 50 rows would ride along in that setData.
  return (
    <View className={`live-room live-room--${room.status}`}>
      <StreamView room={room} muted={muted} onToggleMute={() => setMuted((m) => !m)} controlsTop={belowTop} />
      <View className={`live-room__comments ${showCard ? 'live-room__comments--raised' : ''}`}>
        <CommentStream ring={s.comments} welcome={s.welcome} />
      </View>
      <View className="live-room__overlay">
        <RoomTopBar room={room} viewerCount={s.viewerCount} inset={inset} onClose={close}>
          {ended ? <Text className="live-room__badge">直播已结束</Text> : null}
          {live ? <Text className="live-room__badge live-room__badge--live">直播中</Text> : null}
          <RoomChip text="排行榜" onClick={openLeaderboard} />
          {room.communityQr ? <RoomChip text="加群" onClick={() => setSheet('community')} /> : null}
          <LotteryEntry lotteries={room.lotteries} meId={me?.id ?? null} onVerify={(id) => store.getState().verifyLottery(id)} />
          {me?.role && LIVE_CONSOLE_ROLES.includes(me.role) ? (
            <RoomChip text="主播控制台" accent onClick={() => void navigateTo(routes.liveConsole(roomId))} />
          ) : null}
        </RoomTopBar>
        {/* The room's 券 entry on the right; a dropped coupon pops up over the video. */}
        <View className="live-room__side" style={{ top: `${belowTop}px` }}>
          <CouponEntry coupons={room.coupons} live={live} onClaim={claim} />
        </View>
        <CouponPopup coupons={room.coupons} live={live} onClaim={claim} />
        {live ? <Hearts taps={taps} /> : null}
        <RoomBottomBar
          canComment={live}
          canLike={live}
          goodsCount={room.goods.length}
          onSend={send}
          onGoods={() => setSheet('goods')}
          onShare={() => setSheet('share')}
          onLike={like}
        />
        {live ? <Text className="live-room__likes">{s.likeCount} 赞</Text> : null}
        {room.status === 'upcoming' ? <UpcomingCard room={room} onSubscribe={() => void subscribe()} /> : null}
        {showCard ? (
          <ExplainingCard product={explaining} onOpen={() => openProduct(explaining.id)} onHide={() => setHiddenCard(explaining.id)} />
        ) : null}
        <GoodsSheet
          open={sheet === 'goods'}
          onClose={() => setSheet(null)}
          goods={room.goods}
          explaining={explaining}
          onOpen={openProduct}
        />
        <ShareSheet open={sheet === 'share'} onClose={() => setSheet(null)} onCopyLink={copyLink} onPoster={() => setSheet('poster')} />
        {sheet === 'poster' ? (
          <SharePosterSheet open onClose={() => setSheet(null)} room={room} load={() => store.getState().sharePoster()} />
        ) : null}
        <LeaderboardSheet
          open={sheet === 'leaderboard'}
          onClose={() => setSheet(null)}
          board={s.leaderboard}
          onShare={() => setSheet('share')}
        />
        {room.communityQr ? <CommunitySheet open={sheet === 'community'} onClose={() => setSheet(null)} qr={room.communityQr} /> : null}
        {s.failedPolls >= OFFLINE_AFTER ? (
          <Text className="live-room__offline" style={{ top: `${belowTop}px` }}>
            网络不给力，正在重连…
          </Text>
        ) : null}
      </View>
    </View>
  )
}
