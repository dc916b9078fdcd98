import type { ErrorCode } from './errors'

/** The one answer shape of every call, also the return value of each cloud function. */
export type Envelope<T> = { ok: true; data: T } | { ok: false; error: { code: ErrorCode; message: string; details?: unknown } }

export type ErrorEnvelope = Extract<Envelope<never>, { ok: false }>
