/** Money as people read it: integer fen in, text out (never through a float). */

/** Integer fen as yuan with two decimals, without floating point: 1999 → "19.99", 5 → "0.05". */
export function yuan(fen: number): string {
  const sign = fen < 0 ? '-' : ''
  const abs = Math.abs(fen)
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`
}
