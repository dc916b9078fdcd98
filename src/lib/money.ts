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
