import { useDidHide, useDidShow, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { ActionButton } from '../../../components/action-button'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import { ConsoleCoupons } from '../../../features/live/components/console-coupons'
import { ConsoleGoods } from '../../../features/live/components/console-goods'
import { ConsoleLottery } from '../../../features/live/components/console-lottery'
import { ConsoleShares } from '../../../features/live/components/console-shares'
import { confirmFirst, tell } from '../../../features/live/components/console-ui'
import { CATALOG, listOf, STATS_EVERY_MS, useConsoleStore } from '../../../features/live/console-store'
import { formatFen } from '../../../lib/money'
import { toast } from '../../../lib/toast'
import './index.scss'

const STATUS_TEXT = { upcoming: '未开播', live: '直播中', ended: '已结束' } as const
const TABS = [
  { key: 'goods', text: '商品' },
  { key: 'coupons', text: '优惠券' },
  { key: 'lottery', text: '抽奖' },
  { key: 'shares', text: '分享记录' },
] as const
type Tab = (typeof TABS)[number]['key']

/** 主播控制台: run a show from a phone — start and end it, push goods, drop coupons, draw lotteries, watch the figures. */
export default function LiveConsolePage() {
  const { params } = useRouter()
  const roomId = params.id ?? ''
  const { room, stats, busy, status, error } = useConsoleStore()
  const store = useConsoleStore.getState()
  const [tab, setTab] = useState<Tab>('goods')
  const [query, setQuery] = useState('')
  const [shown, setShown] = useState(false)

  const load = () => void store.load(roomId).then((r) => !r.ok && toast(r.message))
  useDidShow(() => {
    setShown(true)
    load()
    if (listOf(useConsoleStore.getState(), CATALOG).status === 'idle') void store.search(CATALOG)
  })
  useDidHide(() => setShown(false))
  useReachBottom(() => tab === 'goods' && void store.moreSearch(query))

  // The figures refresh while the room is live and the page is on screen; leaving or unloading stops it.
  const live = room?.status === 'live'
  useEffect(() => {
    if (!shown || !live) return
    const timer = setInterval(() => void useConsoleStore.getState().refreshStats(), STATS_EVERY_MS)
    return () => clearInterval(timer)
  }, [shown, live])

  if (!room) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={load} />
    return <StateView kind="loading" />
  }

  const start = () => !busy && void store.startLive().then((r) => tell(r, '已开播'))
  const end = async () => {
    if (busy) return
    if (!(await confirmFirst('结束直播？', '结束后观众将看到回放，无法再评论，回放中仍可购买商品', '结束直播'))) return
    tell(await store.endLive(), '直播已结束')
  }

  return (
    <View className="console">
      <View className="console__card console__header">
        <View className="console__card-head">
          <Text className="console__title console__room-title">{room.title}</Text>
          <Text className={`console__status console__status--${room.status}`}>{STATUS_TEXT[room.status]}</Text>
        </View>
        {stats ? (
          <View className="console__stats">
            {[
              ['观众', String(stats.viewers)],
              ['点赞', String(stats.likes)],
              ['评论', String(stats.comments)],
              ['邀请', String(stats.credits)],
              ['订单', String(stats.orders)],
              ['成交', formatFen(stats.gmvFen)],
            ].map(([label, value]) => (
              <View key={label} className="console__stat">
                <Text className="console__stat-value">{value}</Text>
                <Text className="console__stat-label">{label}</Text>
              </View>
            ))}
          </View>
        ) : null}
        {live ? <Text className="console__muted">数据每 5 秒刷新</Text> : null}
        {room.status === 'upcoming' ? (
          <ActionButton disabled={busy} onClick={start}>
            开始直播
          </ActionButton>
        ) : null}
        {room.status === 'live' ? (
          <ActionButton kind="plain" disabled={busy} onClick={() => void end()}>
            结束直播
          </ActionButton>
        ) : null}
      </View>

      <View className="console__tabs">
        {TABS.map((t) => (
          <Text key={t.key} className={`console__tab ${tab === t.key ? 'console__tab--on' : ''}`} onClick={() => setTab(t.key)}>
            {t.text}
          </Text>
        ))}
      </View>

      {tab === 'goods' ? <ConsoleGoods room={room} busy={busy} query={query} onQuery={setQuery} /> : null}
      {tab === 'coupons' ? <ConsoleCoupons room={room} busy={busy} /> : null}
      {tab === 'lottery' ? <ConsoleLottery busy={busy} /> : null}
      {tab === 'shares' ? <ConsoleShares /> : null}
      <PrivacyPopup />
    </View>
  )
}
