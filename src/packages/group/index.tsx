import { useDidHide, useDidShow, useLoad, useRouter, useShareAppMessage, useUnload } from '@tarojs/taro'
import { Button, Image, Text, View } from '@tarojs/components'
import { useRef } from 'react'
import type { GroupView } from '../../../cloud/contract'
import { ActionButton } from '../../components/action-button'
import { Price } from '../../components/price'
import { StateView } from '../../components/state-view'
import { campaignPhase, hms, stoppedGroupText, useGroupStore } from '../../features/group/group-store'
import { useCountdown } from '../../features/order/use-countdown'
import { serverNow } from '../../features/shared/server-clock'
import { assetUrl } from '../../lib/asset-url'
import { copyShareLink } from '../../lib/clipboard'
import { yuan } from '../../lib/money'
import { navigateTo } from '../../lib/navigate'
import { routes } from '../../lib/routes'
import './index.scss'

/** While a group forms its page looks again this often (members joining, paying, the group succeeding). */
const POLL_MS = 5_000

/** The share card names the rule as it is: how many more people the group needs, and the price. */
const shareTitle = (g: GroupView) => `还差${g.seatsLeft}人成团｜¥${yuan(g.groupPriceFen)} 拼 ${g.campaign.productTitle}`

/** Unpaid orders of mine that still hold the seat; paid ones (also while a refund is asked) keep it too. */
const HOLDING = ['pending_payment', 'paid', 'shipped', 'completed', 'refund_requested']

function Countdown({ expiresAt, onZero }: { expiresAt: string; onZero: () => void }) {
  const seconds = useCountdown(expiresAt, onZero)
  return (
    <Text className="group__countdown">{seconds !== null && seconds > 0 ? `剩余 ${hms(seconds)} 结束` : '拼团时间已到，正在结算'}</Text>
  )
}

/** 拼团: who joined (masked), the empty seats, the countdown by the server's clock, and what the caller can do. */
export default function GroupPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useGroupStore((s) => s.groups[id])
  const { loadGroup } = useGroupStore.getState()
  const timer = useRef<ReturnType<typeof setInterval> | null>(null)

  const stopPolling = () => {
    if (timer.current) clearInterval(timer.current)
    timer.current = null
  }
  const startPolling = () => {
    stopPolling()
    timer.current = setInterval(() => {
      const g = useGroupStore.getState().groups[id]?.data
      // Only while something can still change on its own: pending (the leader paying) or forming.
      if (g && g.status !== 'pending' && g.status !== 'forming') return stopPolling()
      void loadGroup(id)
    }, POLL_MS)
  }
  useLoad(() => {
    if (id) void loadGroup(id)
  })
  useDidShow(() => {
    if (!id) return
    if (useGroupStore.getState().groups[id]?.status === 'ready') void loadGroup(id)
    startPolling()
  })
  useDidHide(stopPolling)
  useUnload(stopPolling)
  useShareAppMessage(() => {
    const g = useGroupStore.getState().groups[id]?.data
    return {
      title: g ? shareTitle(g) : '一起拼团',
      path: routes.group(id),
      ...(g?.campaign.cover ? { imageUrl: assetUrl(g.campaign.cover) } : {}),
    }
  })

  if (!id) return <StateView kind="error" text="拼团链接无效" />
  const g = entry?.data
  if (!g) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadGroup(id)} />
    return <StateView kind="loading" />
  }
  const c = g.campaign
  const mine = g.mine && HOLDING.includes(g.mine.orderStatus) ? g.mine : null
  const weapp = process.env.TARO_ENV === 'weapp'
  const empty = Math.max(0, g.size - g.members.length)
  const openCampaign = () => void navigateTo(routes.groupCampaign(c.campaignId))
  const viewOrder = g.mine ? () => void navigateTo(routes.order(g.mine!.orderId)) : null

  const invite = weapp ? (
    <Button className="group__invite" openType="share">
      邀请好友参团
    </Button>
  ) : (
    <ActionButton onClick={() => copyShareLink(shareTitle(g), routes.group(id), '链接已复制，发给好友即可参团')}>邀请好友参团</ActionButton>
  )

  let headline: string
  let action: JSX.Element | null = null
  let note: string | null = null
  // A pending group is formed by its leader's payment, only while the campaign opens groups.
  const campaignPaused = c.status === 'paused' && new Date(c.endsAt).getTime() > serverNow()
  // A forming group of a paused or ended campaign: why nobody can join (and, ended, what happens to it).
  const stopped = g.status === 'forming' ? stoppedGroupText(c) : null
  const campaignEnded = campaignPhase(c) === 'ended'
  if (g.status === 'pending' && !c.open) {
    headline = campaignPaused ? '拼团活动已暂停，恢复后可支付开团' : '拼团活动已结束'
    action = (
      <ActionButton kind="secondary" disabled>
        {campaignPaused ? '拼团活动已暂停' : '拼团活动已结束'}
      </ActionButton>
    )
  } else if (g.status === 'pending') {
    headline = '支付后开团，邀请好友参团'
    action = viewOrder ? <ActionButton onClick={viewOrder}>去支付</ActionButton> : null
  } else if (g.status === 'forming') {
    // Every seat held but not all paid: nobody else can join, the group waits for those who hold them.
    headline = g.seatsLeft === 0 && g.awaitingPayment > 0 ? `等待${g.awaitingPayment}人支付` : `还差 ${g.seatsLeft} 人成团`
    if (stopped && campaignEnded) {
      // The campaign ended: the group ends with it (the jobs refund or complete it); nothing to pay, join or share.
      headline = stopped
      action = mine ? null : (
        <ActionButton kind="secondary" disabled>
          活动已结束
        </ActionButton>
      )
    } else if (g.timeUp) {
      // The server's clock says the time is up: nothing is paid or joined any more (the job settles it).
      headline = '拼团时间已到'
      action = <ActionButton disabled>拼团时间已到</ActionButton>
    } else if (mine && mine.orderStatus === 'pending_payment') {
      headline = '你已占座，支付后即参团成功'
      action = <ActionButton onClick={viewOrder!}>去支付</ActionButton>
      if (stopped) note = stopped
    } else if (stopped) {
      // Paused: the group's clock runs on, but nobody can join until the campaign resumes.
      headline = stopped
      action = mine ? null : (
        <ActionButton kind="secondary" disabled>
          活动暂停中
        </ActionButton>
      )
    } else if (mine) action = g.seatsLeft > 0 ? invite : null
    else if (g.canJoin)
      action = <ActionButton onClick={() => void navigateTo(routes.groupCheckout({ groupId: id }))}>参与拼团</ActionButton>
    else if (g.inAnotherGroup) {
      note = '你已在该活动的另一个团中，一个活动只能参加一个团'
      action = (
        <ActionButton kind="secondary" disabled>
          你已在该活动的另一个团中
        </ActionButton>
      )
    } else if (g.seatsLeft === 0) {
      headline = g.awaitingPayment > 0 ? `该团已满员，等待${g.awaitingPayment}人支付` : '该团已满员'
      action = (
        <ActionButton kind="secondary" onClick={openCampaign}>
          自己开一个团
        </ActionButton>
      )
    } else
      // Nothing to join here (the caller left this group, or it cannot take them): a group of their own.
      action = (
        <ActionButton kind="secondary" onClick={openCampaign}>
          自己开一个团
        </ActionButton>
      )
  } else if (g.status === 'succeeded') {
    headline = '拼团成功'
    // A member's group is done; an outsider gets a group of their own rather than a dead end.
    action = g.mine ? (
      <ActionButton disabled>已成团</ActionButton>
    ) : (
      <ActionButton kind="secondary" onClick={openCampaign}>
        自己开一个团
      </ActionButton>
    )
  } else if (g.status === 'failed') {
    headline = g.mine?.paid ? '拼团失败，款项已原路退回' : '拼团失败'
    action = (
      <ActionButton kind="secondary" onClick={openCampaign}>
        {g.mine ? '再开一个团' : '自己开一个团'}
      </ActionButton>
    )
  } else {
    headline = '拼团已取消'
    action = (
      <ActionButton kind="secondary" onClick={openCampaign}>
        重新开团
      </ActionButton>
    )
  }

  return (
    <View className="group">
      <View className="group__card group__product" onClick={() => void navigateTo(routes.product(c.productId))}>
        <Image className="group__cover" src={assetUrl(c.cover)} mode="aspectFill" />
        <View className="group__product-body">
          <Text className="group__title">{c.productTitle}</Text>
          {c.specText ? <Text className="group__muted">{c.specText}</Text> : null}
          <View className="group__price-row">
            <Text className="group__tag">{g.size}人团</Text>
            <Price fen={g.groupPriceFen} listFen={c.priceFen} />
          </View>
        </View>
      </View>
      <View className="group__card">
        <Text className="group__headline">{headline}</Text>
        {g.status === 'forming' && g.expiresAt && !g.timeUp && !campaignEnded ? (
          <Countdown expiresAt={g.expiresAt} onZero={() => void loadGroup(id)} />
        ) : null}
        <View className="group__members">
          {g.members.map((m, i) => (
            <View key={`${i}-${m.nickname}`} className="group__member">
              {m.avatar ? (
                <Image className="group__avatar" src={assetUrl(m.avatar)} mode="aspectFill" />
              ) : (
                <View className="group__avatar group__avatar--text">{m.nickname.slice(0, 1)}</View>
              )}
              {m.leader ? <Text className="group__leader">团长</Text> : null}
              <Text className="group__name">{m.nickname}</Text>
              {m.refunded ? <Text className="group__unpaid">已退款</Text> : m.paid ? null : <Text className="group__unpaid">待支付</Text>}
            </View>
          ))}
          {Array.from({ length: g.status === 'forming' || g.status === 'pending' ? empty : 0 }, (_, i) => (
            <View key={`seat-${i}`} className="group__member">
              <View className="group__avatar group__avatar--empty">?</View>
              <Text className="group__name group__muted">待加入</Text>
            </View>
          ))}
        </View>
        {note ? <Text className="group__muted">{note}</Text> : null}
        {action}
        {viewOrder && g.status !== 'pending' && !(mine && mine.orderStatus === 'pending_payment' && !g.timeUp) ? (
          <Text className="group__link" onClick={viewOrder}>
            查看订单 ›
          </Text>
        ) : null}
      </View>
      <View className="group__card">
        <Text className="group__section">拼团规则</Text>
        <Text className="group__muted">
          {g.size} 人成团，团长支付后 {c.groupHours} 小时内凑齐 {g.size} 人付款即成团发货；
          {c.onExpiry === 'refund' ? '到时未成团，已付款项自动原路退回。' : '到时未满员，按已付款人数成团发货。'}
        </Text>
      </View>
    </View>
  )
}
