import Taro, { useDidShow, useLoad, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { assetUrl } from '../../lib/asset-url'
import { ActionButton } from '../../components/action-button'
import { Price } from '../../components/price'
import { StateView } from '../../components/state-view'
import { INVITE_REASON_TEXT, useDealStore } from '../../features/deal/deal-store'
import { payCountdownText, useCountdown } from '../../features/order/use-countdown'
import { formatFen } from '../../lib/money'
import { useSessionStore } from '../../features/session/session-store'
import { routes } from '../../lib/routes'
import { toast } from '../../lib/toast'
import './index.scss'
import { navigateTo } from '../../lib/navigate'

/** The caller's unpaid deal order, with its countdown on the server's clock: it holds a claim until paid or closed. */
function PendingNotice({ order, onExpire }: { order: { orderId: string; payableFen: number; payDeadline: string }; onExpire: () => void }) {
  const seconds = useCountdown(order.payDeadline, onExpire)
  return (
    <View className="deal__pending" onClick={() => void navigateTo(routes.order(order.orderId))}>
      <Text className="deal__pending-title">你有一笔待付款订单 {formatFen(order.payableFen)}</Text>
      <Text className="deal__pending-hint">{payCountdownText(seconds, '超时将自动取消并退回领取次数 ›')}</Text>
    </View>
  )
}

export default function DealPage() {
  const { params } = useRouter()
  // Opened from the poster's mini-program code: the scene holds the campaign's and the inviter's ids.
  const scene = decodeURIComponent(params.scene ?? '')
  const fromScene = /^[0-9a-f]{32}$/.test(scene) ? { id: `dc_${scene.slice(0, 16)}`, inviterId: `u_${scene.slice(16)}` } : null
  const id = fromScene?.id ?? params.id ?? ''
  const inviterId = fromScene?.inviterId ?? (params.inviterId || undefined)
  const entry = useDealStore((s) => s.deals[id])
  const { openDeal } = useDealStore.getState()
  const me = useSessionStore((s) => s.user)

  // The invite is accepted at first entry, before the campaign is shown (first touch).
  useLoad(() => {
    if (id) void openDeal(id, inviterId).then((uncounted) => uncounted && toast(`本次邀请未计入：${INVITE_REASON_TEXT[uncounted]}`))
    void useSessionStore.getState().load()
  })
  useDidShow(() => {
    if (id && useDealStore.getState().deals[id]?.status === 'ready') void openDeal(id)
  })
  const rule = entry?.data?.campaign.inviteCountsWhen === 'paid' ? '邀请1位新用户完成首单，可多领1次' : '邀请1位新用户参加活动，可多领1次'
  useShareAppMessage(() => ({ title: `新人专享 9.9 元尝鲜｜${rule}`, path: routes.deal(id, me?.id) }))

  if (!id) return <StateView kind="error" text="活动链接无效" />
  const data = entry?.data
  if (!data) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void openDeal(id)} />
    return <StateView kind="loading" />
  }
  const left = Math.max(0, data.claimsAllowed - data.claimsUsed)
  const c = data.campaign
  const waiting = data.pendingOrder
  // Paused by the shop: nothing to claim until it resumes (an unpaid order may still be paid; a claim
  // racing the pause is refused at checkout with the server's 活动已暂停 message).
  const paused = c.status === 'paused'
  // A claim is an order that ships: it goes through checkout (address, price breakdown, pay).
  const doClaim = () => void navigateTo(routes.dealCheckout(id))

  return (
    <View className="deal">
      <Image className="deal__cover" src={assetUrl(c.cover)} mode="aspectFill" />
      <View className="deal__card">
        <Text className="deal__title">{c.title}</Text>
        <Price fen={c.dealPriceFen} listFen={c.listPriceFen} size="lg" />
        <Text className="deal__muted">剩余 {c.stock} 件</Text>
        {paused ? (
          <Text className="deal__paused">活动已暂停，请稍后再来</Text>
        ) : data.eligible ? (
          <Text className="deal__left">你还可以领 {left} 次</Text>
        ) : (
          <Text className="deal__warn">新人专享：仅限首次参加时未下过单的新顾客</Text>
        )}
        {waiting ? <PendingNotice order={waiting} onExpire={() => void openDeal(id)} /> : null}
        {waiting && (left === 0 || paused) ? (
          // The unpaid order holds the claim: paying it is what is left to do (a cancel gives the claim back).
          <ActionButton onClick={() => void navigateTo(routes.order(waiting.orderId))}>去支付</ActionButton>
        ) : paused ? null : (
          <ActionButton disabled={!data.eligible || left === 0 || c.stock === 0} onClick={doClaim}>
            {c.stock === 0 ? '已抢光' : left === 0 && data.eligible ? '次数已用完' : '立即领取'}
          </ActionButton>
        )}
      </View>
      <View className="deal__card">
        <Text className="deal__section">邀请好友，多领一次</Text>
        <Text className="deal__muted">
          {rule}，最多多领 {c.maxExtraClaims} 次。已计入 {data.invitesCounted} 人。
        </Text>
        {process.env.TARO_ENV === 'weapp' ? (
          <ActionButton kind="secondary" onClick={() => void Taro.showShareMenu({ withShareTicket: false })}>
            点右上角分享给好友
          </ActionButton>
        ) : null}
        <View className="deal__poster">
          <Image className="deal__qr" src={assetUrl(data.posterCode)} mode="aspectFit" showMenuByLongpress />
          <Text className="deal__muted">好友扫码打开，即为你的邀请</Text>
        </View>
      </View>
      <View className="deal__card">
        <Text className="deal__section">我邀请的好友</Text>
        {data.invites.length === 0 ? <Text className="deal__muted">还没有好友接受邀请</Text> : null}
        {data.invites.map((i) => (
          <View key={i.acceptedAt + i.nickname} className="deal__invite">
            <Text>{i.nickname}</Text>
            <Text className={i.counted ? 'deal__ok' : 'deal__muted'}>
              {i.counted ? '已计入' : `未计入：${i.reason ? INVITE_REASON_TEXT[i.reason] : ''}`}
            </Text>
          </View>
        ))}
      </View>
    </View>
  )
}
