import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { EarningsEntryKind, Withdrawal, WithdrawalStatus } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { StateView } from '../../../components/state-view'
import { MIN_WITHDRAW_FEN, useEarningsStore, withdrawProblem } from '../../../features/deal/earnings-store'
import { formatFen, parseYuan, yuan } from '../../../lib/money'
import { toast } from '../../../lib/toast'
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
  withdraw_return: '已退回（提现未完成）',
}

const WD_STATUS: Record<WithdrawalStatus, string> = {
  pending: '审核中',
  transferring: '待确认收款',
  paid: '已到账',
  rejected: '已驳回',
  failed: '转账失败',
}
const inProgress = (w: Withdrawal) => w.status === 'pending' || w.status === 'transferring'
const dayOf = (iso: string) => iso.slice(0, 10)

export default function EarningsPage() {
  const { earnings, withdrawals, status, busy, load, withdraw, confirmReceipt } = useEarningsStore()
  const [sheetOpen, setSheetOpen] = useState(false)
  const [amountText, setAmountText] = useState('')
  const [problem, setProblem] = useState<string | null>(null)
  useDidShow(() => void load())
  usePullDownRefresh(() => void load().finally(() => Taro.stopPullDownRefresh()))

  if (!earnings) {
    if (status === 'error') return <StateView kind="error" text="加载失败" actionText="重试" onAction={() => void load()} />
    return <StateView kind="loading" />
  }
  // The ledger shows what the sharer needs: accruals, settlements and reversals (not the internal transfer rows).
  const entries = earnings.entries.filter((e) => e.entry !== 'settle_out')
  const available = earnings.settledFen
  const current = withdrawals?.find(inProgress) ?? null
  const canWithdraw = available >= MIN_WITHDRAW_FEN && !current
  // Why the button is off, said under it (a grey button alone does not say it).
  const blockedWhy = current ? '有一笔提现处理中' : available < MIN_WITHDRAW_FEN ? '满 ¥1 可提现' : null
  const withdrawalById = new Map((withdrawals ?? []).map((w) => [w.id, w]))
  /** A ledger line's second row: the order number shoppers see, or the withdrawal in words (never an internal id). */
  const sourceOf = (e: (typeof entries)[number]) => {
    if (e.kind !== 'withdrawal') return e.orderNo ? `订单 ${e.orderNo}` : ''
    const w = e.withdrawalId ? withdrawalById.get(e.withdrawalId) : undefined
    return w ? `提现 ${formatFen(w.amountFen)} · ${WD_STATUS[w.status]}` : `提现 ${formatFen(Math.abs(e.amountFen))}`
  }

  const openSheet = () => {
    // A disabled button still delivers its tap in WeChat: the rule is checked here too.
    if (!canWithdraw || busy) return
    setAmountText(yuan(available))
    setProblem(null)
    setSheetOpen(true)
  }
  const submit = async () => {
    const fen = parseYuan(amountText)
    const why = withdrawProblem(fen, amountText, available)
    if (why) return setProblem(why)
    const r = await withdraw(fen!)
    if (r.ok) {
      setSheetOpen(false)
      toast('提现申请已提交', 'success')
    } else setProblem(r.message)
  }
  const receive = async (w: Withdrawal) => {
    if (busy) return
    const r = await confirmReceipt(w)
    toast(r.ok ? '已确认收款' : r.message, r.ok ? 'success' : 'none')
  }

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
      <View className="earnings__withdraw">
        <View className="earnings__left">
          <Text>可提现 {formatFen(available)}</Text>
          <Text className="earnings__muted">提现到微信零钱，审核后到账</Text>
        </View>
        <View className="earnings__action">
          <Button
            className={`earnings__btn${canWithdraw ? '' : ' earnings__btn--off'}`}
            size="mini"
            disabled={!canWithdraw || busy}
            onClick={openSheet}
          >
            提现
          </Button>
          {blockedWhy ? <Text className="earnings__why">{blockedWhy}</Text> : null}
        </View>
      </View>
      {current ? (
        <View className="earnings__current">
          <Text>
            提现 {formatFen(current.amountFen)} · {WD_STATUS[current.status]}
          </Text>
          {current.status === 'transferring' ? (
            current.confirm ? (
              <Button className="earnings__btn" size="mini" disabled={busy} onClick={() => void receive(current)}>
                确认收款
              </Button>
            ) : (
              <Text className="earnings__muted">微信转账处理中</Text>
            )
          ) : (
            <Text className="earnings__muted">等待商家审核</Text>
          )}
        </View>
      ) : null}
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
            <Text className="earnings__muted">{sourceOf(e)}</Text>
          </View>
          <Text className={e.amountFen < 0 ? 'earnings__minus' : 'earnings__plus'}>
            {e.amountFen < 0 ? '' : '+'}
            {formatFen(e.amountFen)}
          </Text>
        </View>
      ))}
      {withdrawals && withdrawals.length > 0 ? (
        <View className="earnings__records">
          <Text className="earnings__title">提现记录</Text>
          {withdrawals.map((w) => (
            <View key={w.id} className="earnings__row">
              <View className="earnings__left">
                <Text>
                  提现 {formatFen(w.amountFen)} · {WD_STATUS[w.status]}
                </Text>
                <Text className="earnings__muted">
                  {dayOf(w.createdAt)}
                  {w.reason && (w.status === 'rejected' || w.status === 'failed') ? ` · 原因：${w.reason}` : ''}
                </Text>
              </View>
            </View>
          ))}
        </View>
      ) : null}
      <BottomSheet open={sheetOpen} onClose={() => setSheetOpen(false)} title="提现到微信零钱">
        <View className="earnings__sheet">
          <Text className="earnings__muted">可提现 {formatFen(available)}，单笔至少 ¥1.00</Text>
          <View className="earnings__field">
            <Text>¥</Text>
            <Input
              className="earnings__input"
              type="digit"
              value={amountText}
              placeholder="请输入提现金额"
              maxlength={12}
              onInput={(e) => {
                setAmountText(e.detail.value)
                setProblem(null)
              }}
            />
            <Text className="earnings__all" onClick={() => setAmountText(yuan(available))}>
              全部
            </Text>
          </View>
          {problem ? <Text className="earnings__error">{problem}</Text> : null}
          <Button className="earnings__submit" disabled={busy} loading={busy} onClick={() => void submit()}>
            确认提现
          </Button>
        </View>
      </BottomSheet>
    </View>
  )
}
