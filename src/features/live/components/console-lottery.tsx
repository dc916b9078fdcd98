import { Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { LotteryView } from '../../../../cloud/contract'
import { ActionButton } from '../../../components/action-button'
import { emptyLotteryForm, parseLotteryForm, type LotteryForm } from '../console-forms'
import { useConsoleStore } from '../console-store'
import { ConsoleCard, FieldError, confirmFirst, tell } from './console-ui'

const POOL_TEXT = { viewers: '观众', sharers: '分享者' } as const

/** A commitment is 64 hex characters: its head and tail are enough to compare by eye. */
const shortHash = (h: string) => (h.length > 16 ? `${h.slice(0, 8)}…${h.slice(-8)}` : h)

function LotteryRow({ l, busy }: { l: LotteryView; busy: boolean }) {
  const draw = async () => {
    if (busy) return
    const ok = await confirmFirst('开奖', `现在为「${l.prize || '抽奖'}」开奖？开奖后公开种子，结果不可更改。`, '开奖')
    if (ok)
      tell(await useConsoleStore.getState().drawLottery(l.lotteryId), (v) =>
        v.winners > 0 ? `已开奖，${v.winners} 人中奖` : '已开奖，无人参与',
      )
  }
  const drawn = l.status === 'drawn'
  return (
    <View className="console-lottery">
      <View className="console-lottery__head">
        <Text className="console-lottery__prize">{l.prize || '抽奖'}</Text>
        <Text className={`console__tag ${drawn ? '' : 'console__tag--on'}`}>{drawn ? '已开奖' : '待开奖'}</Text>
      </View>
      <Text className="console__muted">
        {POOL_TEXT[l.pool]}中抽 {l.winners} 人 · 承诺值 {shortHash(l.commitment)}
      </Text>
      {drawn ? (
        <View className="console-lottery__result">
          <Text className="console__muted">{l.candidateCount ?? 0} 人参与</Text>
          <Text className="console-lottery__winners">
            {l.winnerList && l.winnerList.length > 0 ? `中奖：${l.winnerList.map((w) => w.name).join('、')}` : '无人中奖'}
          </Text>
        </View>
      ) : (
        <Text className="console__btn console-lottery__draw" onClick={() => void draw()}>
          开奖
        </Text>
      )}
    </View>
  )
}

/** 抽奖: commit first (only the seed's hash is published), draw later; winners by masked nickname. */
export function ConsoleLottery({ busy }: { busy: boolean }) {
  const lotteries = useConsoleStore((s) => s.lotteries)
  const [form, setForm] = useState<LotteryForm>(emptyLotteryForm)
  const [errors, setErrors] = useState<Record<string, string>>({})
  const edit = (patch: Partial<LotteryForm>) => {
    setForm((f) => ({ ...f, ...patch }))
    setErrors({})
  }
  const commit = async () => {
    const parsed = parseLotteryForm(form)
    if (!parsed.ok) {
      setErrors(parsed.errors)
      return
    }
    if (tell(await useConsoleStore.getState().commitLottery(parsed.value), '已公布承诺')) setForm(emptyLotteryForm())
  }
  return (
    <View>
      <ConsoleCard title="发起抽奖">
        <Text className="console__muted">先公布承诺值，开奖时公开种子，观众可在直播间验证结果；店铺工作人员不参与抽奖</Text>
        <View className="console-form">
          <Text className="console-form__label">奖品</Text>
          <Input
            className="console-form__input console-form__prize"
            value={form.prize}
            maxlength={60}
            placeholder="如：紫砂壶一把"
            onInput={(e) => edit({ prize: e.detail.value })}
          />
          <FieldError text={errors.prize} />
          <View className="console-form__row">
            <Text>中奖人数</Text>
            <Input
              className="console-form__input console-form__winners"
              type="number"
              value={form.winners}
              onInput={(e) => edit({ winners: e.detail.value })}
            />
            <Text>人（1–100）</Text>
          </View>
          <FieldError text={errors.winners} />
          <Text className="console-form__label">参与范围</Text>
          <View className="console-form__chips">
            {(['viewers', 'sharers'] as const).map((pool) => (
              <Text
                key={pool}
                className={`console-form__chip ${form.pool === pool ? 'console-form__chip--on' : ''}`}
                onClick={() => edit({ pool })}
              >
                {POOL_TEXT[pool]}
              </Text>
            ))}
          </View>
          <ActionButton disabled={busy} onClick={() => void commit()}>
            公布承诺
          </ActionButton>
        </View>
      </ConsoleCard>
      <ConsoleCard title={`本场抽奖 · ${lotteries?.length ?? 0}`}>
        {lotteries === null ? <Text className="console__muted">加载中…</Text> : null}
        {lotteries?.length === 0 ? <Text className="console__muted">还没有抽奖</Text> : null}
        {lotteries?.map((l) => (
          <LotteryRow key={l.lotteryId} l={l} busy={busy} />
        ))}
      </ConsoleCard>
    </View>
  )
}
