/**
 * Money in the console: integer fen in, text out, and typed yuan text back to fen — by the digits,
 * never through a float (0.1 + 0.2 is not 0.3; '19.90' is 1990 fen exactly).
 */

const group = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')

/** 123456 → '1,234.56' (yuan with two decimals, thousands grouped). */
export function yuan(fen: number): string {
  const negative = fen < 0
  const abs = Math.abs(Math.trunc(fen))
  const whole = Math.floor(abs / 100)
  const cents = abs % 100
  return `${negative ? '-' : ''}${group(String(whole))}.${String(cents).padStart(2, '0')}`
}

/** 123456 → '¥1,234.56'. */
export function formatFen(fen: number): string {
  return `¥${yuan(fen)}`
}

/** 1990 → '19.90' (for an input box: no grouping). */
export function fenToInput(fen: number): string {
  return `${Math.floor(fen / 100)}.${String(fen % 100).padStart(2, '0')}`
}

/** The yuan a merchant types: digits with at most two decimals ('19', '19.9', '19.90', '.5'). */
const YUAN = /^(\d{0,7})(?:\.(\d{0,2}))?$/

/** '19.9' → 1990; '' or anything that is not an amount with at most two decimals → null. */
export function parseYuan(text: string): number | null {
  const t = text.trim().replace(/^¥/, '').replace(/,/g, '')
  const m = YUAN.exec(t)
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null
  const whole = m[1] === '' ? 0 : Number.parseInt(m[1]!, 10)
  const cents = Number.parseInt((m[2] ?? '').padEnd(2, '0'), 10)
  return whole * 100 + cents
}

/** Why typed yuan can't be taken, or null: the editor shows it at the field. */
export function yuanProblem(text: string, opts: { min?: number; max?: number } = {}): string | null {
  if (text.trim() === '') return '请输入价格'
  const fen = parseYuan(text)
  if (fen === null) return '价格格式不正确（最多两位小数）'
  if (fen < (opts.min ?? 1)) return '价格须大于 0'
  if (fen > (opts.max ?? 100_000_000)) return '价格不能超过 ¥1,000,000'
  return null
}

/** 0.123 → '12.3%'. */
export function percent(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)}%`
}
