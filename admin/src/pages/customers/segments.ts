/** The eight RFM segments as the console names and colours them (docs/rules.md, Customers). */
import type { Segment } from '../../../../cloud/contract'

export const SEGMENTS: ReadonlyArray<{ key: Segment; label: string; color: string; hint: string }> = [
  { key: 'important_value', label: '重要价值客户', color: '#d4380d', hint: '最近买过、买得多、花得多' },
  { key: 'important_develop', label: '重要发展客户', color: '#fa8c16', hint: '最近买过、花得多，但次数少' },
  { key: 'important_keep', label: '重要保持客户', color: '#faad14', hint: '买得多、花得多，但很久没来' },
  { key: 'important_retain', label: '重要挽留客户', color: '#a0d911', hint: '花得多，但次数少且很久没来' },
  { key: 'general_value', label: '一般价值客户', color: '#13c2c2', hint: '最近买过、买得多，但花得少' },
  { key: 'general_develop', label: '一般发展客户', color: '#1677ff', hint: '最近买过，次数少、花得少' },
  { key: 'general_keep', label: '一般保持客户', color: '#722ed1', hint: '买得多，但花得少且很久没来' },
  { key: 'general_retain', label: '一般挽留客户', color: '#8c8c8c', hint: '次数少、花得少、很久没来' },
]

export const SEGMENT_LABEL = Object.fromEntries(SEGMENTS.map((s) => [s.key, s.label])) as Record<Segment, string>
export const SEGMENT_COLOR = Object.fromEntries(SEGMENTS.map((s) => [s.key, s.color])) as Record<Segment, string>
export const isSegment = (v: string | null): v is Segment => SEGMENTS.some((s) => s.key === v)

/**
 * 最近消费: 今天 / N 天前 / 无消费 (no counted order: never paid, or every payment refunded; 从未消费
 * would be untrue of a customer whose only payment was refunded).
 */
export function recencyText(days: number | null): string {
  if (days === null) return '无消费'
  return days === 0 ? '今天' : `${days} 天前`
}
