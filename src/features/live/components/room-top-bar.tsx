import { Image, Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { RoomView } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import './room-top-bar.scss'

/** Where the top bar sits: below the status bar, left of WeChat's capsule (px). */
export interface TopInset {
  top: number
  height: number
  right: number
}

interface Props {
  room: RoomView
  viewerCount: number
  inset: TopInset
  onClose: () => void
  /** The chips under the anchor: 排行榜, 加群, the lottery icon… */
  children?: ReactNode
}

const viewersText = (n: number) => (n >= 10000 ? `${(n / 10000).toFixed(1).replace(/\.0$/, '')}万` : String(n))

/** The anchor (avatar, name), the viewer count, the close button; the room's chips below. */
export function RoomTopBar({ room, viewerCount, inset, onClose, children }: Props) {
  const avatar = room.anchor.avatar
  return (
    <View className="room-top" style={{ paddingTop: `${inset.top}px`, paddingRight: `${inset.right}px` }}>
      <View className="room-top__row" style={{ height: `${inset.height}px` }}>
        <View className="room-top__anchor">
          {avatar ? (
            <Image className="room-top__avatar" src={assetUrl(avatar)} mode="aspectFill" />
          ) : (
            <Text className="room-top__avatar room-top__avatar--letter">{room.anchor.name.slice(0, 1)}</Text>
          )}
          <View className="room-top__who">
            <Text className="room-top__name">{room.anchor.name}</Text>
            <Text className="room-top__viewers">{viewersText(viewerCount)} 人看过</Text>
          </View>
        </View>
        <Text className="room-top__close" onClick={onClose}>
          ✕
        </Text>
      </View>
      <View className="room-top__chips">{children}</View>
    </View>
  )
}

/** A translucent chip of the top bar (排行榜, 加群, 主播控制台). */
export function RoomChip({ text, onClick, accent }: { text: string; onClick: () => void; accent?: boolean }) {
  return (
    <Text className={`room-chip ${accent ? 'room-chip--accent' : ''}`} onClick={onClick}>
      {text}
    </Text>
  )
}
