import type { ErrorCode } from '../../cloud/contract'

/** A refusal or failure the UI can show: `message` is Chinese and meant for the shopper. */
export class ApiError extends Error {
  constructor(
    /** An error code of the contract, or NETWORK when the backend could not be reached. */
    readonly code: ErrorCode | 'NETWORK',
    message: string,
    /** For a refused field, its message by the field's path (`phone`, `avatar.mime`): shown under that field. */
    readonly fields: Record<string, string> = {},
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

/** The `{path, message}` items of an error's details, by path (the first message of a path wins). */
export function fieldsOf(details: unknown): Record<string, string> {
  const fields: Record<string, string> = {}
  if (!Array.isArray(details)) return fields
  for (const d of details as Array<{ path?: unknown; message?: unknown }>) {
    if (typeof d?.path === 'string' && typeof d.message === 'string' && !(d.path in fields)) fields[d.path] = d.message
  }
  return fields
}

export const networkError = () => new ApiError('NETWORK', '网络不给力，请检查网络后重试')

/** The message to show for any error a store caught; anything but an ApiError is a bug, not for the shopper. */
export function errorMessage(err: unknown): string {
  return err instanceof ApiError ? err.message : '出错了，请稍后再试'
}
