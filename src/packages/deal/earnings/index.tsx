import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import type { EarningsEntryKind } from '../../../../cloud/contract'
import { StateView } from '../../../components/state-view'
import { useEarningsStore } from '../../../features/deal/earnings-store'
import { formatFen } from '../../../lib/money'
import { routes } from '../../../lib/routes'
import './index.scss'
import { navigateTo } from '../../../lib/navigate'

const KIND = { invite_reward: '邀请奖励', commission: '分享佣金', withdrawal: '提现' }
const ENTRY: Record<EarningsEntryKind, string> = {
  accrue: '待结算',
  settle_out: '转入已结算',
  settle_in: '已结算',
  reverse: '已撤销（订单退款）',
  clawback: '已扣回（结算后退款）',
  withdraw_hold: '申请提现',
  withdraw_return: '已退回（提现被驳回）',
}

export default function EarningsPage() {
  const { earnings, status, load } = useEarningsStore()
  useDidShow(() => void load())
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  if (!earnings) {
    if (status === 'error') return <StateView kind="error" text="加载失败" actionText="重试" onAction={() => void load()} />
    return <StateView kind="loading" />
  }
  // The ledger shows what the sharer needs: accruals, settlements and reversals (not the internal transfer rows).
  const entries = earnings.entries.filter((e) => e.entry !== 'settle_out')
  return (
    <View className="earnings">
      <View className="earnings__head">
        <View className="earnings__box">
          <Text className="earnings__fen">{formatFen(earnings.pendingFen)}</Text>
          <Text className="earnings__label">待结算</Text>
        </View>
        <View className="earnings__box">
          <Text className="earnings__fen">{formatFen(earnings.settledFen)}</Text>
          <Text className="earnings__label">已结算</Text>
        </View>
      </View>
      <Text className="earnings__hint">好友下单付款后计入待结算，过了退款期（7 天）自动结算；订单退款则撤销。</Text>
      {entries.length === 0 ? <StateView kind="empty" text="还没有收益，分享好物给好友吧" /> : null}
      {entries.map((e) => (
        <View
          key={`${e.orderId ?? e.withdrawalId}-${e.kind}-${e.entry}`}
          className="earnings__row"
          onClick={() => (e.orderId ? void navigateTo(routes.order(e.orderId)) : undefined)}
        >
          <View className="earnings__left">
            <Text>
              {KIND[e.kind]} · {ENTRY[e.entry]}
            </Text>
            <Text className="earnings__muted">{e.orderId ? `订单 ${e.orderId}` : `提现 ${e.withdrawalId}`}</Text>
          </View>
          <Text className={e.amountFen < 0 ? 'earnings__minus' : 'earnings__plus'}>
            {e.amountFen < 0 ? '' : '+'}
            {formatFen(e.amountFen)}
          </Text>
        </View>
      ))}
    </View>
  )
}
