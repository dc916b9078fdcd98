import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import './room-bottom-bar.scss'

interface Props {
  /** The 说点什么 input, only while live. */
  canComment: boolean
  /** Likes, only while live. */
  canLike: boolean
  goodsCount: number
  onSend: (text: string) => Promise<boolean>
  onGoods: () => void
  onShare: () => void
  onLike: () => void
}

/**
 * The fixed bottom bar: 说点什么 (the keyboard pushes the page up by the input plus cursor-spacing,
 * so the input stays above it), the 购物袋 with the goods count, share, and like.
 */
export function RoomBottomBar({ canComment, canLike, goodsCount, onSend, onGoods, onShare, onLike }: Props) {
  const [text, setText] = useState('')
  const send = async () => {
    const t = text.trim()
    if (!t) return
    if (await onSend(t)) setText('')
  }
  return (
    <View className="room-bottom">
      <View className="room-bottom__bag" onClick={onGoods}>
        <View className="room-bottom__bag-icon" />
        <Text className="room-bottom__bag-count">{goodsCount}</Text>
      </View>
      {canComment ? (
        <Input
          className="room-bottom__input"
          value={text}
          maxlength={100}
          placeholder="说点什么…"
          placeholderClass="room-bottom__placeholder"
          confirmType="send"
          adjustPosition
          cursorSpacing={16}
          onInput={(e) => setText(e.detail.value)}
          onConfirm={() => void send()}
        />
      ) : (
        <View className="room-bottom__spacer" />
      )}
      {canComment && text.trim() ? (
        <Text className="room-bottom__send" onClick={() => void send()}>
          发送
        </Text>
      ) : null}
      <Text className="room-bottom__btn room-bottom__btn--share" onClick={onShare}>
        分享
      </Text>
      {canLike ? (
        <View className="room-bottom__btn room-bottom__btn--like" onClick={onLike}>
          <View className="room-bottom__heart" />
        </View>
      ) : null}
    </View>
  )
}
