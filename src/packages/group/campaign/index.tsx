import Taro, { useDidShow, useLoad, usePullDownRefresh, useRouter, useShareAppMessage } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import type { OpenGroup } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { Price } from '../../../components/price'
import { StateView } from '../../../components/state-view'
import { campaignPhase, hms, useGroupStore } from '../../../features/group/group-store'
import { useCountdown } from '../../../features/order/use-countdown'
import { assetUrl } from '../../../lib/asset-url'
import { yuan } from '../../../lib/money'
import { navigateTo } from '../../../lib/navigate'
import { routes } from '../../../lib/routes'
import { shopTime } from '../../../lib/shop-time'
import '../index.scss'

function OpenGroupRow({ group, onExpire }: { group: OpenGroup; onExpire: () => void }) {
  const seconds = useCountdown(group.expiresAt, onExpire)
  const leader = group.members.find((m) => m.leader) ?? group.members[0]
  return (
    <View className="group__open" onClick={() => void navigateTo(routes.group(group.groupId))}>
      <View className="group__open-body">
        <Text>{group.mine ? '我的团' : leader ? `${leader.nickname} 的团` : '拼团'}</Text>
        <Text className="group__muted">
          还差 {group.seatsLeft} 人 · {seconds !== null && seconds > 0 ? `剩余 ${hms(seconds)}` : '即将结束'}
        </Text>
      </View>
      <Text className="group__open-join">{group.mine ? '查看' : '去参团'}</Text>
    </View>
  )
}

/** A campaign: the product at the group price, the groups one can join (fullest first), and 发起拼团. */
export default function GroupCampaignPage() {
  const { params } = useRouter()
  const id = params.id ?? ''
  const entry = useGroupStore((s) => s.campaigns[id])
  const { loadCampaign } = useGroupStore.getState()
  useLoad(() => {
    if (id) void loadCampaign(id)
  })
  useDidShow(() => {
    if (id && useGroupStore.getState().campaigns[id]?.status === 'ready') void loadCampaign(id)
  })
  usePullDownRefresh(() => {
    void loadCampaign(id).finally(() => Taro.stopPullDownRefresh())
  })
  useShareAppMessage(() => {
    const c = useGroupStore.getState().campaigns[id]?.data?.campaign
    return { title: c ? `${c.groupSize}人团 ¥${yuan(c.groupPriceFen)}｜${c.productTitle}` : '一起拼团', path: routes.groupCampaign(id) }
  })

  if (!id) return <StateView kind="error" text="活动链接无效" />
  const data = entry?.data
  if (!data) {
    if (entry?.status === 'error')
      return <StateView kind="error" text={entry.error ?? undefined} actionText="重试" onAction={() => void loadCampaign(id)} />
    return <StateView kind="loading" />
  }
  const c = data.campaign
  const myGroupId = data.myGroupId
  const phase = campaignPhase(c)
  // The server said open at its clock; a window that closed since then (the page left open) counts too.
  const open = c.open && phase === 'open'
  const closedText =
    phase === 'paused' ? '活动已暂停' : phase === 'upcoming' ? `活动未开始（${shopTime(c.startsAt, 'M月D日 HH:mm')} 开始）` : '活动已结束'
  return (
    <View className="group">
      <View className="group__card group__product" onClick={() => void navigateTo(routes.product(c.productId))}>
        <Image className="group__cover" src={assetUrl(c.cover)} mode="aspectFill" />
        <View className="group__product-body">
          <Text className="group__title">{c.productTitle}</Text>
          <Text className="group__muted">
            {c.groupSize}人成团 · 限时 {c.groupHours} 小时
          </Text>
          <View className="group__price-row">
            <Text className="group__tag">拼团价</Text>
            <Price fen={c.groupPriceFen} listFen={c.priceFen} />
          </View>
        </View>
      </View>
      <View className="group__card">
        {myGroupId ? (
          // One unfinished seat per person and campaign: theirs is where they go, not a second group.
          <ActionButton onClick={() => void navigateTo(routes.group(myGroupId))}>查看我的团</ActionButton>
        ) : open ? (
          <ActionButton onClick={() => void navigateTo(routes.groupCheckout({ campaignId: c.campaignId }))}>
            发起拼团 ¥{yuan(c.groupPriceFen)}
          </ActionButton>
        ) : (
          <ActionButton disabled>{closedText}</ActionButton>
        )}
      </View>
      {open ? (
        <View className="group__card">
          <Text className="group__section">可参与的团</Text>
          {data.groups.length === 0 ? (
            <Text className="group__muted">{myGroupId ? '暂时没有其他待成团的团' : '暂时没有待成团的团，发起一个邀请好友吧'}</Text>
          ) : null}
          {data.groups.map((g) => (
            <OpenGroupRow key={g.groupId} group={g} onExpire={() => void loadCampaign(id)} />
          ))}
        </View>
      ) : null}
    </View>
  )
}
