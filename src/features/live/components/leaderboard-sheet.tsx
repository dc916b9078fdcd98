import { Text, View } from '@tarojs/components'
import type { Leaderboard } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { BottomSheet } from '../../../components/bottom-sheet'
import './leaderboard-sheet.scss'

/** The top three's places as coloured badges (gold, silver, bronze): drawn, not emoji a font may lack. */
const MEDAL = ['gold', 'silver', 'bronze']

function meText(board: Leaderboard): string {
  return board.me.rank === null ? '未上榜' : `第 ${board.me.rank} 名 · 已邀请 ${board.me.invites} 人`
}

/** The share leaderboard (分享排行榜) in a sheet: the top sharers, the viewer's own place, the rule, and 分享给好友. */
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
  const entries = board?.entries ?? []
  return (
    <BottomSheet open={open} onClose={onClose} title="分享排行榜" scroll>
      <Text className="lb-sheet__rule">好友通过你的分享首次进入直播间，计 1 次邀请</Text>
      {entries.length === 0 ? <Text className="lb-sheet__empty">还没有人上榜，分享给好友一起看吧</Text> : null}
      {/* Rows keyed by rank: when the order changes, a place's name and count change in setData
          instead of the rows moving (a move resends the whole list). */}
      {entries.map((e) => (
        <View key={e.rank} className="lb-sheet__row">
          <Text className={`lb-sheet__no ${MEDAL[e.rank - 1] ? `lb-sheet__no--${MEDAL[e.rank - 1]}` : ''}`}>{e.rank}</Text>
          <Text className="lb-sheet__name">{e.nickname}</Text>
          <Text className="lb-sheet__invites">{e.invites} 人</Text>
        </View>
      ))}
      {board ? <Text className="lb-sheet__me">我的排名：{meText(board)}</Text> : null}
      <ActionButton className="lb-sheet__share" onClick={onShare}>
        分享给好友
      </ActionButton>
    </BottomSheet>
  )
}
