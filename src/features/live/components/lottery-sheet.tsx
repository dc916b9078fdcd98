import { Text, View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import type { LotteryView } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'
import { copyText } from '../../../lib/clipboard'
import { toast } from '../../../lib/toast'
import { readSeenResults, rememberSeenResults, resultToOpen } from '../lottery-seen'
import './lottery-sheet.scss'

type Verify = (lotteryId: string) => Promise<boolean>
type Verdict = 'checking' | 'ok' | 'bad'

const POOL_TEXT: Record<LotteryView['pool'], string> = { viewers: '观众参与', sharers: '成功邀请好友的分享者参与' }

/** A hash shortened for reading (ab12cd34…ef56), copied in full. */
function shortHash(h: string): string {
  return h.length > 20 ? `${h.slice(0, 8)}…${h.slice(-8)}` : h
}

function winnersText(l: LotteryView): string {
  return (l.winnerList ?? []).map((w) => w.name).join('、') || '无'
}

/**
 * 验证, then what the on-device check found. Each state is its own element (a key apiece): Taro's
 * weapp runtime fails when an update takes the last tap handler off a Text.
 */
function VerifyLine({ l, verdict, onVerify }: { l: LotteryView; verdict: Verdict | undefined; onVerify: (id: string) => void }) {
  if (verdict === 'ok')
    return (
      <Text key="ok" className="lottery-sheet__ok">
        验证通过：种子与承诺一致，中奖结果可复算
      </Text>
    )
  if (verdict === 'bad')
    return (
      <Text key="bad" className="lottery-sheet__bad">
        验证失败：结果与公开规则不符
      </Text>
    )
  return (
    <Text
      key="verify"
      className={`lottery-sheet__verify ${verdict === 'checking' ? 'lottery-sheet__verify--off' : ''}`}
      onClick={() => onVerify(l.lotteryId)}
    >
      {verdict === 'checking' ? '验证中…' : '验证'}
    </Text>
  )
}

function LotteryItem({ l, verdict, onVerify }: { l: LotteryView; verdict: Verdict | undefined; onVerify: (id: string) => void }) {
  return (
    <View className="lottery-sheet__item">
      <Text className="lottery-sheet__prize">{l.prize || '直播间福利'}</Text>
      <Text className="lottery-sheet__line">
        {l.winners} 个名额 · {POOL_TEXT[l.pool]} · {l.status === 'drawn' ? '已开奖' : '待开奖'}
      </Text>
      <View className="lottery-sheet__hash" onClick={() => copyText(l.commitment)}>
        <Text>承诺值 {shortHash(l.commitment)}</Text>
        <Text className="lottery-sheet__copy">复制</Text>
      </View>
      {l.status === 'drawn' ? (
        <>
          <Text className="lottery-sheet__line">
            {l.candidateCount ?? 0} 人参与 · 中奖：{winnersText(l)}
          </Text>
          <View className="lottery-sheet__hash" onClick={() => copyText(l.seed ?? '')}>
            <Text className="lottery-sheet__seed">种子 {l.seed}</Text>
            <Text className="lottery-sheet__copy">复制</Text>
          </View>
          <VerifyLine l={l} verdict={verdict} onVerify={onVerify} />
        </>
      ) : (
        <Text className="lottery-sheet__hint">开奖后公布种子，任何人都可复算中奖结果</Text>
      )}
    </View>
  )
}

/**
 * The room's lottery: an icon with the newest lottery's prize and status, opening a sheet with every
 * lottery (prize, winners, pool, commitment; once drawn the participants, masked winners, the seed
 * and the on-device 验证). A drawn lottery opens its result by itself, once per viewer (remembered on
 * the device, so not again after a reload): one this viewer won, even when committed and drawn
 * between two polls or before the room opened, or one this viewer saw waiting for its draw.
 */
export function LotteryEntry({ lotteries, meId, onVerify }: { lotteries: LotteryView[]; meId: string | null; onVerify: Verify }) {
  /** 'list', a lottery's result (its id), or closed. */
  const [sheet, setSheet] = useState<string | null>(null)
  const [verdicts, setVerdicts] = useState<Record<string, Verdict>>({})
  /** Lotteries this page showed waiting for their draw. */
  const sawCommitted = useRef<Set<string>>(new Set())

  useEffect(() => {
    for (const l of lotteries) if (l.status === 'committed') sawCommitted.current.add(l.lotteryId)
    // Whose result it is needs the viewer: wait for the session.
    if (!meId) return
    const open = resultToOpen(lotteries, meId, readSeenResults(meId), (id) => sawCommitted.current.has(id))
    if (!open) return
    rememberSeenResults(meId, [open])
    setSheet(open)
  }, [lotteries, meId])

  if (lotteries.length === 0) return null
  const latest = lotteries[0]!
  const result = sheet && sheet !== 'list' ? lotteries.find((l) => l.lotteryId === sheet) : undefined

  const verify = async (id: string) => {
    if (verdicts[id]) return
    setVerdicts((v) => ({ ...v, [id]: 'checking' }))
    let ok: boolean | null = null
    try {
      ok = await onVerify(id)
    } catch {
      toast('验证失败，请稍后重试')
    }
    setVerdicts((v) => {
      const next = { ...v }
      if (ok === null) delete next[id]
      else next[id] = ok ? 'ok' : 'bad'
      return next
    })
  }

  const won = !!result && !!meId && (result.winnerList ?? []).some((w) => w.userId === meId)
  return (
    <>
      <View className="lottery-entry" onClick={() => setSheet('list')}>
        <View className="lottery-entry__icon" />
        <Text className="lottery-entry__prize">{latest.prize || '福袋'}</Text>
        <Text className="lottery-entry__state">{latest.status === 'drawn' ? '已开奖' : '待开奖'}</Text>
      </View>
      <BottomSheet open={sheet === 'list'} onClose={() => setSheet(null)} title="直播间抽奖" scroll>
        {lotteries.map((l) => (
          <LotteryItem key={l.lotteryId} l={l} verdict={verdicts[l.lotteryId]} onVerify={(id) => void verify(id)} />
        ))}
      </BottomSheet>
      <BottomSheet open={!!result} onClose={() => setSheet(null)} title="开奖结果">
        {result ? (
          <View className="lottery-sheet__result">
            <Text className={`lottery-sheet__verdict ${won ? 'lottery-sheet__verdict--won' : ''}`}>
              {won ? '恭喜你中奖了！' : '很遗憾未中奖'}
            </Text>
            <Text className="lottery-sheet__line">奖品：{result.prize || '直播间福利'}</Text>
            <Text className="lottery-sheet__line">
              {result.candidateCount ?? 0} 人参与 · 中奖名单：{winnersText(result)}
            </Text>
            <VerifyLine l={result} verdict={verdicts[result.lotteryId]} onVerify={(id) => void verify(id)} />
            <Text className="lottery-sheet__more" onClick={() => setSheet('list')}>
              查看抽奖详情 ›
            </Text>
          </View>
        ) : null}
      </BottomSheet>
    </>
  )
}
