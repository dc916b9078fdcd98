import { z } from 'zod'

/** Money is integer fen: 990 is ¥9.90. Never floats. */
export const Fen = z.number().int().min(0).max(100_000_000_00)
export type Fen = z.infer<typeof Fen>

/** Opaque ids: short strings we generate; callers never parse them. */
export const Id = z.string().min(1).max(64)

export const Cursor = z.string().min(1).max(200)

/** ISO 8601 instant with an offset, as every time on the wire is. */
export const Instant = z.iso.datetime({ offset: true })
