/**
 * The console's one call seam: every backend call goes through here. Calls are
 * `POST /admin/api/fn/{fn}` with the session cookie (same origin) and the session's CSRF token in
 * `x-csrf-token`; answers are the contract's envelope. Types come from cloud/contract (types only:
 * nothing of cloud/ is bundled).
 */
import type {
  ActionInput,
  ActionName,
  ActionOutput,
  ConsolePollOutput,
  ConsoleSession,
  Envelope,
  FunctionName,
  UploadedImage,
} from '../../cloud/contract'

/** A refusal or failure as the console shows it: the contract's code and its Chinese message. */
export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly details?: unknown,
  ) {
    super(message)
    this.name = 'ApiError'
  }

  /** The fields the server named (`details: [{path, message}]` of a VALIDATION_FAILED), if any. */
  fieldIssues(): Array<{ path: string; message: string }> {
    if (!Array.isArray(this.details)) return []
    return this.details.filter(
      (d): d is { path: string; message: string } => !!d && typeof d.path === 'string' && typeof d.message === 'string',
    )
  }
}

const NETWORK_MESSAGE = '网络连接失败，请检查网络后重试'

let csrfToken: string | null = null
let onSignedOut: (() => void) | null = null

/** The session's CSRF token, sent with every call (set when a session starts, cleared when it ends). */
export function setCsrfToken(token: string | null): void {
  csrfToken = token
}

/** What to do when the server says the session is gone (401): the session module goes back to sign-in. */
export function onUnauthenticated(handler: () => void): void {
  onSignedOut = handler
}

async function send(url: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(url, { credentials: 'same-origin', cache: 'no-store', ...init })
  } catch {
    throw new ApiError('NETWORK', NETWORK_MESSAGE, 0)
  }
}

async function envelopeOf<T>(res: Response): Promise<T> {
  let body: Envelope<T> | null = null
  try {
    body = (await res.json()) as Envelope<T>
  } catch {
    body = null
  }
  if (body && typeof body === 'object' && 'ok' in body) {
    if (body.ok) return body.data
    if (res.status === 401 || body.error.code === 'UNAUTHENTICATED') onSignedOut?.()
    throw new ApiError(body.error.code, body.error.message, res.status, body.error.details)
  }
  if (res.status === 401) {
    onSignedOut?.()
    throw new ApiError('UNAUTHENTICATED', '登录已过期，请重新登录', 401)
  }
  if (res.status === 413) throw new ApiError('VALIDATION_FAILED', '文件太大', 413)
  throw new ApiError(
    res.status >= 500 ? 'INTERNAL' : 'NETWORK',
    res.status >= 500 ? '服务开小差了，请稍后再试' : NETWORK_MESSAGE,
    res.status,
  )
}

const headers = (): Record<string, string> => ({
  'content-type': 'application/json',
  ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}),
})

/** Runs `fn.action` with `input` as the signed-in staff member; refusals throw ApiError. */
export async function call<F extends FunctionName, A extends ActionName<F>>(
  fn: F,
  action: A,
  input: ActionInput<F, A>,
): Promise<ActionOutput<F, A>> {
  const res = await send(`/admin/api/fn/${fn}`, {
    method: 'POST',
    headers: headers(),
    body: JSON.stringify({ ...(input as object), action }),
  })
  return envelopeOf<ActionOutput<F, A>>(res)
}

/** The session behind the cookie, or null when there is none (401). */
export async function fetchSession(): Promise<ConsoleSession | null> {
  const res = await send('/admin/api/session', { method: 'GET' })
  if (res.status === 401) return null
  return envelopeOf<ConsoleSession>(res)
}

/** Asks whether the ticket was confirmed on the phone; once it was, the answer carries the session (and sets its cookie). */
export async function pollLogin(ticket: string, secret: string): Promise<ConsolePollOutput> {
  const res = await send('/admin/api/login/poll', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ticket, secret }),
  })
  return envelopeOf<ConsolePollOutput>(res)
}

/** Ends the session (the cookie is cleared by the answer). */
export async function logout(): Promise<void> {
  const res = await send('/admin/api/logout', { method: 'POST', headers: headers(), body: '{}' })
  if (res.status === 401) return
  await envelopeOf<unknown>(res)
}

/** The image types the upload takes. */
export const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp'] as const
/** The largest image the upload takes (8 MiB). */
export const UPLOAD_MAX_BYTES = 8 * 1024 * 1024

/** Uploads one image (its bytes as the body); answers the stored sizes' URLs. */
export async function upload(file: Blob): Promise<UploadedImage> {
  if (!(UPLOAD_TYPES as readonly string[]).includes(file.type)) throw new ApiError('VALIDATION_FAILED', '只支持 JPG、PNG、WebP 图片', 400)
  if (file.size > UPLOAD_MAX_BYTES) throw new ApiError('VALIDATION_FAILED', '图片不能超过 8 MB', 400)
  const res = await send('/admin/api/upload', {
    method: 'POST',
    headers: { 'content-type': file.type, ...(csrfToken ? { 'x-csrf-token': csrfToken } : {}) },
    body: file,
  })
  return envelopeOf<UploadedImage>(res)
}

/** The message to show for anything a call threw. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.message
  return '操作失败，请稍后再试'
}
