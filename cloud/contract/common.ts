import { z } from 'zod'

/** Money is integer fen: 990 is ¥9.90. Never floats. Amounts the server computes (totals, GMV) are safe integers. */
export const Fen = z.number().int().min(0)
export type Fen = z.infer<typeof Fen>

/**
 * An amount a caller sets (a price, a coupon's value or threshold, a reward): at most ¥1,000,000,
 * the most one order may carry, so every total stays inside the database's 32-bit integers.
 */
export const PriceFen = Fen.max(100_000_000)

/** Opaque ids: short strings we generate; callers never parse them. */
export const Id = z.string().min(1).max(64)

/**
 * An idempotency key (order.create's, deal.claim's, the console's writes): made once by the client and
 * kept across retries; 8-64 visible characters, no spaces or control characters (a key of blanks
 * would be one key for every careless client).
 */
export const IdempotencyKey = z.string().regex(/^[^\s\p{C}]{8,64}$/u, '幂等键须为 8-64 个可见字符（不含空格）')

export const Cursor = z.string().min(1).max(200)

/** The most units of one SKU a cart line or an order line holds (the cart, 再次购买 and checkout alike). */
export const MAX_LINE_QTY = 99
/** A line's quantity, as the cart and an order take it. */
export const LineQty = z.number().int().min(1, '每件商品至少购买 1 件').max(MAX_LINE_QTY, `每件商品最多购买 ${MAX_LINE_QTY} 件`)

/** One of the caller's saved addresses, picked at checkout. */
export const AddressRef = z.string({ error: '请选择收货地址' }).min(1, '请选择收货地址').max(64, '请选择收货地址')

/** ISO 8601 instant with an offset, as every time on the wire is. */
export const Instant = z.iso.datetime({ offset: true })

/**
 * Characters a reader can't see or that control how text shows: C0 and C1 controls (line breaks
 * and tabs included), zero-width and direction marks (U+200B–U+200F), bidi embeddings and overrides
 * (U+202A–U+202E), bidi isolates (U+2066–U+2069) and the byte-order mark.
 */
// eslint-disable-next-line no-control-regex
export const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g

/**
 * People's text as others read it: hidden characters dropped — line breaks and tabs become a space
 * (or nothing, with `spaces: false`), runs of spaces one space — and the result trimmed, so "\u200b"
 * is empty and "王\n小明" is "王 小明". Applied when such text is saved (peopleText) and again when it
 * is shown, for text stored before.
 */
export function cleanPeopleText(s: string, spaces = true): string {
  return s
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, spaces ? ' ' : '')
    .replace(HIDDEN_CHARACTERS, '')
    .replace(/\s+/g, ' ')
    .trim()
}

/**
 * Text people write for others to read (a nickname, a recipient's name, an address line): cleaned
 * (cleanPeopleText) before the length check… except names, where `spaces: false` drops the line break
 * outright ("王小明").
 */
export function peopleText(o: { empty: string; max: number; tooLong: string; spaces?: boolean }) {
  return z
    .string()
    .transform((s) => cleanPeopleText(s, o.spaces !== false))
    .pipe(z.string().min(1, o.empty).max(o.max, o.tooLong))
}

/**
 * One-line catalog text (a product's title and subtitle, a category's name, a stock move's reason):
 * cleaned as people's text (cleanPeopleText: controls, zero-width and direction marks dropped, line
 * breaks a space), then measured; `empty` refuses text that is empty once cleaned, `empty: null`
 * lets it be empty (a subtitle).
 */
export function catalogText(o: { empty: string | null; max: number; tooLong: string }) {
  const cleaned = z.string().transform((s) => cleanPeopleText(s))
  const measured = z.string().max(o.max, o.tooLong)
  return cleaned.pipe(o.empty === null ? measured : measured.min(1, o.empty))
}

/**
 * Something legal but probably a mistake, e.g. a percent coupon without a cap. A write that finds
 * one answers `CONFIRM_REQUIRED` with `details.warnings: Warning[]` and changes nothing; the console
 * shows them and sends the same input again with their codes in `confirm`. Mistakes that are never
 * right (a flash price not below the product's, overlapping windows) are refused outright with
 * `VALIDATION_FAILED` and a field message instead.
 */
export const Warning = z.object({ code: z.string(), message: z.string() })
export type Warning = z.infer<typeof Warning>
export const Confirm = z.array(z.string().min(1).max(40)).max(10).optional()
