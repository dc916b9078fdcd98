import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import dayjs from 'dayjs'
import type { RoomCard } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import { StateView } from '../../../components/state-view'
import { useLiveListStore } from '../../../features/live/live-store'
import { routes } from '../../../lib/routes'
import './index.scss'
import { navigateTo } from '../../../lib/navigate'

interface SectionProps {
  title: string
  rooms: RoomCard[]
  /** The short status on the poster's corner. */
  badge: (r: RoomCard) => string
  /** A line under the title (a coming show's start), off the poster so it never covers the poster's art. */
  time?: (r: RoomCard) => string
}

function Section({ title, rooms, badge, time }: SectionProps) {
  if (rooms.length === 0) return null
  return (
    <View className="lives__section">
      <Text className="lives__section-title">{title}</Text>
      {rooms.map((r) => (
        <View key={r.id} className="lives__card" onClick={() => void navigateTo(routes.room(r.id))}>
          <View className="lives__cover">
            {r.poster ? <Image className="lives__img" src={assetUrl(r.poster)} mode="aspectFill" /> : null}
            <Text className={`lives__badge lives__badge--${r.status}`}>{badge(r)}</Text>
          </View>
          <View className="lives__info">
            <Text className="lives__title">{r.title}</Text>
            {time ? <Text className="lives__time">{time(r)}</Text> : null}
          </View>
        </View>
      ))}
    </View>
  )
}

export default function LiveListPage() {
  const { live, upcoming, ended, status, error, load } = useLiveListStore()
  useDidShow(() => void load())
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  if (live.length + upcoming.length + ended.length === 0) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void load()} />
    if (status === 'ready') return <StateView kind="empty" text="暂时没有直播，敬请期待" />
    return <StateView kind="loading" />
  }
  return (
    <View className="lives">
      <Section title="正在直播" rooms={live} badge={(r) => `直播中 · ${r.viewerCount} 人看过`} />
      <Section
        title="直播预告"
        rooms={upcoming}
        badge={(r) => (r.subscribed ? '预告 · 已预约' : '预告')}
        time={(r) => `${dayjs(r.startsAt).format('M月D日 HH:mm')} 开播`}
      />
      <Section title="精彩回放" rooms={ended} badge={() => '回放'} />
    </View>
  )
}
