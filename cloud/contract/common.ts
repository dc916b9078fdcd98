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

export const Cursor = z.string().min(1).max(200)

/** The most units of one SKU a cart line or an order line holds (the cart, 再次购买 and checkout alike). */
export const MAX_LINE_QTY = 99
/** A line's quantity, as the cart and an order take it. */
export const LineQty = z.number().int().min(1, '每件商品至少购买 1 件').max(MAX_LINE_QTY, `每件商品最多购买 ${MAX_LINE_QTY} 件`)

/** One of the caller's saved addresses, picked at checkout. */
export const AddressRef = z.string({ error: '请选择收货地址' }).min(1, '请选择收货地址').max(64, '请选择收货地址')

/** ISO 8601 instant with an offset, as every time on the wire is. */
export const Instant = z.iso.datetime({ offset: true })
