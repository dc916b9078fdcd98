import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import './index.scss'

interface Props {
  children: ReactNode
  kind?: 'primary' | 'secondary' | 'plain' | 'wechat'
  disabled?: boolean
  loading?: boolean
  className?: string
  onClick?: () => void
}

/**
 * The app's button, drawn the same on WeChat and H5 (the native buttons of the two differ), with
 * its disabled and busy states.
 */
export function ActionButton({ children, kind = 'primary', disabled, loading, className = '', onClick }: Props) {
  const off = disabled || loading
  return (
    <View
      className={`action-button action-button--${kind} ${off ? 'action-button--off' : ''} ${className}`}
      aria-disabled={off ? 'true' : 'false'}
      onClick={() => !off && onClick?.()}
    >
      {loading ? <View className="action-button__spinner" /> : null}
      <Text>{children}</Text>
    </View>
  )
}
