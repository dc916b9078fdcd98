import { Text, View } from '@tarojs/components'
import type { RoomView } from '../../../../cloud/contract'
import { useCountdown } from '../../order/use-countdown'
import { startText } from '../share-title'
import './upcoming-card.scss'

function countdownText(seconds: number): string {
  const d = Math.floor(seconds / 86400)
  const h = Math.floor((seconds % 86400) / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${d > 0 ? `${d}天 ` : ''}${pad(h)}:${pad(m)}:${pad(s)}`
}

/**
 * An upcoming room over its poster: the start, the countdown to it by the server's clock, and
 * 预约开播提醒 (已预约 once subscribed).
 */
export function UpcomingCard({ room, onSubscribe }: { room: RoomView; onSubscribe: () => void }) {
  const seconds = useCountdown(room.startsAt)
  return (
    <View className="upcoming">
      <Text className="upcoming__title">{room.title}</Text>
      <Text className="upcoming__when">{startText(room.startsAt)} 开播</Text>
      {seconds !== null && seconds > 0 ? (
        <Text className="upcoming__countdown">距开播 {countdownText(seconds)}</Text>
      ) : (
        <Text className="upcoming__countdown">主播正在准备中，马上开始</Text>
      )}
      <Text className={`upcoming__btn ${room.subscribed ? 'upcoming__btn--done' : ''}`} onClick={() => !room.subscribed && onSubscribe()}>
        {room.subscribed ? '已预约' : '预约开播提醒'}
      </Text>
    </View>
  )
}
