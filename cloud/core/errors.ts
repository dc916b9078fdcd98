import type { Warning } from '../contract/common'
import type { ErrorCode } from '../contract/errors'

/**
 * An expected outcome that says no: a business rule, a missing thing, a caller without rights.
 * Thrown from the core so the edge's transaction rolls back and nothing is changed, then mapped
 * once to its code and status. Anything else that is thrown is a real failure (INTERNAL).
 */
export class BusinessError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: unknown,
  ) {
    super(message ?? code)
    this.name = 'BusinessError'
  }
}

export const fail = (code: ErrorCode, message?: string, details?: unknown): never => {
  throw new BusinessError(code, message, details)
}

/**
 * The CONFIRM_REQUIRED round trip of a staff write: the warnings not in `confirm` answer
 * CONFIRM_REQUIRED (their messages as the message, the list in `details.warnings`) before anything is
 * written; with every code confirmed the write goes ahead.
 */
export function requireConfirmed(warnings: Warning[], confirm: readonly string[] | undefined): void {
  const ok = new Set(confirm ?? [])
  const open = warnings.filter((w) => !ok.has(w.code))
  if (open.length > 0) fail('CONFIRM_REQUIRED', open.map((w) => w.message).join('；'), { warnings: open })
}
