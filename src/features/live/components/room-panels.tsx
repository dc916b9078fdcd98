import { Image, Text, View } from '@tarojs/components'
import type { Leaderboard, LotteryView, ProductSummary } from '../../../../cloud/contract'
import type { CommentRing } from '../comment-ring'
import { assetUrl } from '../../../lib/asset-url'
import { ActionButton } from '../../../components/action-button'
import { Price } from '../../../components/price'
import './room-panels.scss'

/** The 商品袋: the product being explained pinned on top, then the rest of the shelf. */
export function GoodsShelf({
  pinned,
  goods,
  onOpen,
}: {
  pinned: ProductSummary | null
  goods: ProductSummary[]
  onOpen: (id: string) => void
}) {
  if (goods.length === 0) return null
  return (
    <View className="room-panel">
      <Text className="room-panel__title">商品袋 · {goods.length}</Text>
      {goods.map((g) => (
        <View key={g.id} className={`room-goods ${pinned?.id === g.id ? 'room-goods--pinned' : ''}`} onClick={() => onOpen(g.id)}>
          <Image className="room-goods__img" src={assetUrl(g.cover)} mode="aspectFill" />
          <View className="room-goods__info">
            {pinned?.id === g.id ? <Text className="room-goods__tag">讲解中</Text> : null}
            <Text className="room-goods__title">{g.title}</Text>
            <Price fen={g.priceFen} listFen={g.listPriceFen} />
          </View>
          <Text className="room-goods__buy">{g.stock > 0 ? '去抢购' : '已售罄'}</Text>
        </View>
      ))}
    </View>
  )
}

/** The comment window: the latest comments, one slot each, shown oldest to newest (see comment-ring). */
export function CommentList({ ring }: { ring: CommentRing }) {
  return (
    <View className="room-panel room-comments">
      {ring.slots.length === 0 ? <Text className="room-comments__empty">还没有人评论，来说点什么吧</Text> : null}
      {ring.slots.map(({ n, comment }, slot) => (
        <View key={slot} className="room-comments__item" style={{ order: n }}>
          <Text className="room-comments__who">{comment.nickname}：</Text>
          <Text>{comment.text}</Text>
        </View>
      ))}
    </View>
  )
}

export function LeaderboardPanel({ board }: { board: Leaderboard | null }) {
  return (
    <View className="room-panel">
      <Text className="room-panel__title">分享排行榜</Text>
      <Text className="room-panel__hint">好友通过你的分享首次进入直播间，计 1 次邀请</Text>
      {!board || board.entries.length === 0 ? <Text className="room-panel__hint">还没有人上榜，分享给好友一起看吧</Text> : null}
      {/* Rows keyed by rank: when the order changes, a place's name and count change in setData
          instead of the rows moving (a move resends the whole list). */}
      {board?.entries.map((e) => (
        <View key={e.rank} className="room-rank">
          <Text className={`room-rank__no room-rank__no--${e.rank <= 3 ? e.rank : 'x'}`}>{e.rank}</Text>
          <Text className="room-rank__name">{e.nickname}</Text>
          <Text className="room-rank__invites">{e.invites} 人</Text>
        </View>
      ))}
      {board ? (
        <Text className="room-rank__me">
          {board.me.rank === null ? '我还未上榜' : `我的排名：第 ${board.me.rank} 名`}，已邀请 {board.me.invites} 人
        </Text>
      ) : null}
    </View>
  )
}

export function LotteryPanel({
  lotteries,
  verdicts,
  onVerify,
}: {
  lotteries: LotteryView[]
  verdicts: Record<string, boolean>
  onVerify: (l: LotteryView) => void
}) {
  if (lotteries.length === 0) return null
  return (
    <View className="room-panel">
      <Text className="room-panel__title">抽奖</Text>
      {lotteries.map((l) => (
        <View key={l.lotteryId} className="room-lottery">
          <Text className="room-lottery__line">
            {l.prize || '直播间福利'} · {l.winners} 名 · {l.pool === 'viewers' ? '观众参与' : '成功邀请好友的分享者参与'}
          </Text>
          <Text className="room-lottery__hash">承诺值：{l.commitment}</Text>
          {l.status === 'drawn' ? (
            <>
              <Text className="room-lottery__hash">种子：{l.seed}</Text>
              <Text className="room-lottery__line">
                共 {l.candidates?.length ?? 0} 人参与，中奖：{(l.winnerIds ?? []).join('、') || '无'}
              </Text>
              {verdicts[l.lotteryId] === undefined ? (
                <ActionButton className="room-lottery__verify" kind="plain" onClick={() => onVerify(l)}>
                  验证
                </ActionButton>
              ) : (
                <Text className={verdicts[l.lotteryId] ? 'room-lottery__ok' : 'room-lottery__bad'}>
                  {verdicts[l.lotteryId] ? '验证通过：种子与承诺一致，中奖结果可复算' : '验证失败：结果与公开规则不符'}
                </Text>
              )}
            </>
          ) : (
            <Text className="room-lottery__line">待开奖：开奖后公布种子，任何人都可复算结果</Text>
          )}
        </View>
      ))}
    </View>
  )
}
