import Taro from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { ActionButton } from '../../../components/action-button'
import { toast } from '../../../lib/toast'
import { useConsoleStore } from '../console-store'
import { ConsoleCard } from './console-ui'

/** The latest rows on screen; the export has them all. */
const SHOWN = 20

const timeText = (iso: string) => {
  const d = new Date(iso)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getMonth() + 1}月${d.getDate()}日 ${p(d.getHours())}:${p(d.getMinutes())}`
}

/** 分享记录: who brought whom (by nickname), newest first, and the CSV export through the clipboard. */
export function ConsoleShares() {
  const records = useConsoleStore((s) => s.records)
  const exportCsv = () => {
    if (!records) return
    // The merchant pastes the CSV into a spreadsheet (or saves it on the desktop H5 build).
    void Taro.setClipboardData({ data: records.csv }).then(
      () => toast(`已复制 ${records.items.length} 条记录`),
      () => toast('复制失败，请重试'),
    )
  }
  const latest = records ? records.items.slice(-SHOWN).reverse() : []
  return (
    <ConsoleCard title={`分享记录 · ${records?.items.length ?? 0} 条`}>
      {records === null ? <Text className="console__muted">加载中…</Text> : null}
      {records?.items.length === 0 ? <Text className="console__muted">还没有分享记录：观众通过分享进入直播间后出现在这里</Text> : null}
      {latest.map((r) => (
        <View key={r.viewerId} className="console__row">
          <Text className="console__row-main">
            {r.sharerNickname} 邀请了 {r.viewerNickname}
          </Text>
          <Text className="console__muted">{timeText(r.createdAt)}</Text>
        </View>
      ))}
      {records && records.items.length > SHOWN ? <Text className="console__muted">仅显示最近 {SHOWN} 条，导出可得全部</Text> : null}
      <ActionButton kind="plain" disabled={!records || records.items.length === 0} onClick={exportCsv}>
        导出 CSV
      </ActionButton>
    </ConsoleCard>
  )
}
