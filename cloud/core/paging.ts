/** Paging a list newest first: the cursor a page ends with, and reading one back. */
import { fail } from './errors'

/**
 * Cursors are opaque to callers: base64url of the last seen feed position. Not signed: one that
 * can't be read is refused, a well-formed one is only a position to page from (nothing it names is
 * hidden from the caller otherwise).
 */
export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): number {
  const m = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m) return fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])
  return Number(m[1])
}
