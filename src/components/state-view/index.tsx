import { Text, View } from '@tarojs/components'
import { ActionButton } from '../action-button'
import './index.scss'

interface Props {
  kind: 'loading' | 'empty' | 'error'
  text?: string
  actionText?: string
  onAction?: () => void
}

const DEFAULT_TEXT = { loading: '加载中…', empty: '这里还什么都没有', error: '加载失败' }

/** The loading, empty and error states every page shows, with an optional action (重试, 去逛逛). */
export function StateView({ kind, text, actionText, onAction }: Props) {
  return (
    <View className={`state-view state-view--${kind}`}>
      {kind === 'loading' ? <View className="state-view__spinner" /> : null}
      <Text className="state-view__text">{text ?? DEFAULT_TEXT[kind]}</Text>
      {actionText && onAction ? (
        <ActionButton className="state-view__action" kind="plain" onClick={onAction}>
          {actionText}
        </ActionButton>
      ) : null}
    </View>
  )
}
