/**
 * The console's two forms as the anchor types them: a room-only coupon (amounts in yuan, sent in
 * integer fen) and a lottery. Each parse answers the call's input or a Chinese message per field.
 */
import type { ActionInput, LotteryPool } from '../../../cloud/contract'
import { cleanText } from '../../lib/people-text'

/** Every amount a merchant sets is capped at ¥1,000,000 (docs/rules.md, Pricing). */
export const MAX_FEN = 100_000_000
export const MAX_STOCK = 10_000_000
export const MAX_WINNERS = 100

export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> }

/**
 * Yuan as typed (`15`, `9.9`, `0.50`, full-width digits too) to integer fen without floating point:
 * null when it is not a plain amount with at most two decimals. An amount of more digits than any
 * cap answers Infinity, so the form says it is too large rather than not a number.
 */
export function yuanToFen(text: string): number | null {
  const t = text.normalize('NFKC').trim()
  const m = /^(\d+)(?:\.(\d{0,2}))?$/.exec(t)
  if (!m) return null
  const whole = m[1]!.replace(/^0+(?=\d)/, '')
  if (whole.length > 12) return Number.POSITIVE_INFINITY
  return Number(whole) * 100 + Number((m[2] ?? '').padEnd(2, '0'))
}

export interface CouponForm {
  title: string
  /** 无门槛 (none) or 满X元 (min). */
  threshold: 'none' | 'min'
  thresholdYuan: string
  valueYuan: string
  stock: string
}

export const emptyCouponForm = (): CouponForm => ({ title: '', threshold: 'none', thresholdYuan: '', valueYuan: '', stock: '' })

export type RoomCouponInput = Omit<ActionInput<'admin', 'createCoupon'>, 'roomId'>

export function parseCouponForm(form: CouponForm): Parsed<RoomCouponInput> {
  const errors: Record<string, string> = {}
  const title = cleanText(form.title)
  if (!title) errors.title = '请填写券名称'
  else if ([...title].length > 30) errors.title = '券名称最多 30 个字'

  const valueFen = yuanToFen(form.valueYuan)
  if (!form.valueYuan.trim()) errors.valueYuan = '请填写减免金额'
  else if (valueFen === null) errors.valueYuan = '减免金额须为数字，最多两位小数'
  else if (valueFen < 1) errors.valueYuan = '减免金额须大于 0'
  else if (valueFen > MAX_FEN) errors.valueYuan = '减免金额不能超过 1000000 元'

  let thresholdFen = 0
  if (form.threshold === 'min') {
    const t = yuanToFen(form.thresholdYuan)
    if (!form.thresholdYuan.trim()) errors.thresholdYuan = '请填写使用门槛'
    else if (t === null) errors.thresholdYuan = '使用门槛须为数字，最多两位小数'
    else if (t < 1) errors.thresholdYuan = '使用门槛须大于 0，或选择无门槛'
    else if (t > MAX_FEN) errors.thresholdYuan = '使用门槛不能超过 1000000 元'
    // The server refuses 满10减50 (减免金额不能超过使用门槛); the form also refuses 满10减10, a free item.
    else if (valueFen !== null && !errors.valueYuan && valueFen >= t) errors.valueYuan = '减免金额须小于使用门槛'
    else thresholdFen = t
  }

  const stockText = form.stock.normalize('NFKC').trim()
  const stock = /^\d{1,8}$/.test(stockText) ? Number(stockText) : NaN
  if (!stockText) errors.stock = '请填写发放数量'
  else if (!Number.isInteger(stock) || stock < 1 || stock > MAX_STOCK) errors.stock = `发放数量须为 1–${MAX_STOCK} 的整数`

  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { title, kind: 'fixed', valueFen: valueFen!, thresholdFen, stock, perUserLimit: 1 } }
}

export interface LotteryForm {
  prize: string
  winners: string
  pool: LotteryPool
}

export const emptyLotteryForm = (): LotteryForm => ({ prize: '', winners: '1', pool: 'viewers' })

export type LotteryInput = Omit<ActionInput<'admin', 'commitLottery'>, 'roomId'>

export function parseLotteryForm(form: LotteryForm): Parsed<LotteryInput> {
  const errors: Record<string, string> = {}
  const prize = cleanText(form.prize)
  if (!prize) errors.prize = '请填写奖品'
  else if ([...prize].length > 60) errors.prize = '奖品最多 60 个字'
  const text = form.winners.normalize('NFKC').trim()
  const winners = /^\d{1,3}$/.test(text) ? Number(text) : NaN
  if (!Number.isInteger(winners) || winners < 1 || winners > MAX_WINNERS) errors.winners = `中奖人数须为 1–${MAX_WINNERS} 的整数`
  if (Object.keys(errors).length > 0) return { ok: false, errors }
  return { ok: true, value: { prize, winners, pool: form.pool } }
}
