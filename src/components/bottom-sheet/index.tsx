import { ScrollView, Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import './index.scss'

interface Props {
  open: boolean
  onClose: () => void
  /** The sheet's heading; the close button (关闭) sits beside it. */
  title: string
  children: ReactNode
  /** Extra class on the panel, e.g. for a taller or darker sheet. */
  className?: string
  /** A sheet of long content scrolls inside the panel (at most 70 % of the screen). */
  scroll?: boolean
}

/**
 * One bottom sheet for the whole app: a mask that closes it on tap and a panel rising from the
 * bottom. Nothing is rendered while closed, so a page with several sheets keeps its node count low.
 */
export function BottomSheet({ open, onClose, title, children, className, scroll }: Props) {
  if (!open) return null
  return (
    <View className="bottom-sheet" catchMove>
      <View className="bottom-sheet__mask" onClick={onClose} />
      <View className={`bottom-sheet__panel ${className ?? ''}`}>
        <View className="bottom-sheet__head">
          <Text className="bottom-sheet__title">{title}</Text>
          <Text className="bottom-sheet__close" onClick={onClose}>
            关闭
          </Text>
        </View>
        {scroll ? (
          <ScrollView className="bottom-sheet__body bottom-sheet__body--scroll" scrollY>
            {children}
          </ScrollView>
        ) : (
          <View className="bottom-sheet__body">{children}</View>
        )}
      </View>
    </View>
  )
}
