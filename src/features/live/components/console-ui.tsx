import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { ReactNode } from 'react'
import type { Outcome } from '../../shared/outcome'
import { toast } from '../../../lib/toast'

/** Asks before an action that can't be taken back; true only when the anchor tapped `confirmText`. */
export async function confirmFirst(title: string, content: string, confirmText: string): Promise<boolean> {
  const answer = await Taro.showModal({ title, content, confirmText, cancelText: '取消' }).catch(() => ({ confirm: false }))
  return answer.confirm
}

/**
 * Toasts what a console action came to: its own words when done, the refusal otherwise; nothing
 * when it was ignored (another action was on its way).
 */
export function tell<T>(outcome: Outcome<T> | null, done: string | ((value: T) => string)): boolean {
  if (!outcome) return false
  if (!outcome.ok) {
    toast(outcome.message)
    return false
  }
  const text = typeof done === 'string' ? done : done(outcome.value)
  toast(text, 'success')
  return true
}

/** A titled card of the console. */
export function ConsoleCard({ title, extra, children }: { title: string; extra?: ReactNode; children: ReactNode }) {
  return (
    <View className="console__card">
      <View className="console__card-head">
        <Text className="console__title">{title}</Text>
        {extra}
      </View>
      {children}
    </View>
  )
}

/** A field's refusal, under the field. */
export function FieldError({ text }: { text?: string }) {
  return text ? <Text className="console__error">{text}</Text> : null
}
