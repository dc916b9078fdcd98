import Taro, { useDidShow, usePullDownRefresh, useReachBottom } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { StateView } from '../../../components/state-view'
import { MemberJoin } from '../../../features/member/member-join'
import { useMemberStore } from '../../../features/member/member-store'
import { ENTRY_TEXT, entryAmountText, isPendingEntry, rulesText, TIER_NAME } from '../../../features/member/member-text'
import { formatFen } from '../../../lib/money'
import { shopTime } from '../../../lib/shop-time'
import './index.scss'

/** 会员中心: the tier card, points (可用 / 待入账), the rules, the points ledger, and the ways to join. */
export default function MemberPage() {
  const { status, load, error, entries, nextCursor, ledger, loadStatus, loadLedger, loadMore } = useMemberStore()
  const refresh = () => Promise.all([loadStatus(), loadLedger()])
  useDidShow(() => void refresh())
  usePullDownRefresh(() => void refresh().finally(() => Taro.stopPullDownRefresh()))
  useReachBottom(() => void loadMore())

  if (!status) {
    if (load === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void refresh()} />
    return <StateView kind="loading" />
  }
  const tier = status.tier
  return (
    <View className="member">
      <View className={`member__card member__card--${tier ?? 'none'}`}>
        <Text className="member__tier">{tier ? TIER_NAME[tier] : '尚未开通会员'}</Text>
        {status.isMember ? (
          <>
            <Text className="member__spend">近365天消费 {formatFen(status.spendFen)}</Text>
            <Text className="member__next">
              {status.nextTier ? `再消费${formatFen(status.nextTier.needFen)}升级${TIER_NAME[status.nextTier.tier]}` : '已是最高等级'}
            </Text>
            {status.phone ? <Text className="member__way">已绑定手机 {status.phone}</Text> : null}
            {status.wecom ? <Text className="member__way">已添加企业微信（朋友会员）</Text> : null}
          </>
        ) : (
          <Text className="member__next">开通会员享会员价，消费得积分</Text>
        )}
      </View>

      {/* The ways in stay offered to a member: a phone member may add 企业微信 too (朋友会员), and a
          朋友会员 who binds a phone stays a member if they ever delete the contact. */}
      <View className="member__join">
        {status.isMember ? <Text className="member__title">更多开通方式</Text> : null}
        <MemberJoin onJoined={() => void refresh()} />
      </View>

      <View className="member__points">
        <View className="member__box">
          <Text className="member__num">{status.points.available}</Text>
          <Text className="member__label">可用积分</Text>
        </View>
        <View className="member__box">
          <Text className="member__num">{status.points.pending}</Text>
          <Text className="member__label">待入账</Text>
        </View>
      </View>

      <View className="member__section">
        <Text className="member__title">会员规则</Text>
        {rulesText(status.rules).map((line) => (
          <Text key={line} className="member__rule">
            · {line}
          </Text>
        ))}
      </View>

      <View className="member__section">
        <Text className="member__title">积分明细</Text>
        {entries.length === 0 ? (
          <Text className="member__empty">
            {ledger === 'loading' ? '加载中…' : ledger === 'error' ? '加载失败，下拉重试' : '暂无积分记录'}
          </Text>
        ) : (
          entries.map((e) => (
            <View key={e.id} className="member__entry">
              <View className="member__entry-left">
                <Text>{ENTRY_TEXT[e.kind]}</Text>
                <Text className="member__muted">
                  {shopTime(e.at, 'YYYY-MM-DD HH:mm')}
                  {e.orderNo ? ` · 订单 ${e.orderNo}` : ''}
                </Text>
              </View>
              <Text className={isPendingEntry(e.kind) ? 'member__pending' : e.points > 0 ? 'member__plus' : 'member__minus'}>
                {entryAmountText(e.kind, e.points)}
              </Text>
            </View>
          ))
        )}
        {nextCursor ? (
          <Text className="member__more" onClick={() => void loadMore()}>
            {ledger === 'loading' ? '加载中…' : '加载更多'}
          </Text>
        ) : null}
      </View>
    </View>
  )
}
