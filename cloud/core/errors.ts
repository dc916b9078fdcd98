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
