// Placeholder until branch live-sheets is merged (its file replaces this one).
import { Text, View } from '@tarojs/components'
import type { Leaderboard } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'

export function LeaderboardSheet({
  open,
  onClose,
  board,
  onShare,
}: {
  open: boolean
  onClose: () => void
  board: Leaderboard | null
  onShare: () => void
}) {
  return (
    <BottomSheet open={open} onClose={onClose} title="分享排行榜">
      {board?.entries.map((e) => (
        <View key={e.rank}>
          <Text>
            {e.rank} {e.nickname} {e.invites} 人
          </Text>
        </View>
      ))}
      <Text onClick={onShare}>分享给好友一起看吧</Text>
    </BottomSheet>
  )
}
