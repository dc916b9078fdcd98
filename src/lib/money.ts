// Money arrives as integer fen and stays integer; it becomes yuan text only for display.

/** 9.90 from 990: the figure without the ¥ (prices draw the sign smaller). */
export function yuan(fen: number): string {
  if (!Number.isSafeInteger(fen)) throw new RangeError(`fen must be an integer, got ${fen}`)
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  const cents = String(abs % 100).padStart(2, '0')
  return `${sign}${Math.floor(abs / 100)}.${cents}`
}

/** ¥9.90 from 990. */
export function formatFen(fen: number): string {
  const text = yuan(fen)
  return text.startsWith('-') ? `-¥${text.slice(1)}` : `¥${text}`
}

/** The yuan a shopper types: digits with at most two decimals ('19', '19.9', '19.90', '.5'). */
const YUAN_TEXT = /^(\d{0,9})(?:\.(\d{0,2}))?$/

/** '19.9' → 1990 fen, by the digits (never through a float); '' or anything else → null. */
export function parseYuan(text: string): number | null {
  const m = YUAN_TEXT.exec(text.trim().replace(/^¥/, ''))
  if (!m || (m[1] === '' && (m[2] ?? '') === '')) return null
  return (m[1] === '' ? 0 : Number.parseInt(m[1]!, 10)) * 100 + Number.parseInt((m[2] ?? '').padEnd(2, '0'), 10)
}
