import type { CatalogGetOutput, CatalogHomeOutput, CatalogListInput, CatalogListOutput } from '../../contract'
import type { Ctx } from '../context'
import { fail } from '../errors'

export const DEFAULT_PAGE_SIZE = 10

/** Cursors are opaque to callers: base64url of the last seen feed position. */
export function encodeCursor(seq: number): string {
  return Buffer.from(`s:${seq}`, 'utf8').toString('base64url')
}

export function decodeCursor(cursor: string): number {
  const m = /^s:(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m) return fail('VALIDATION_FAILED', '分页参数无效', { field: 'cursor' })
  return Number(m[1])
}

export async function list(ctx: Ctx, input: CatalogListInput): Promise<CatalogListOutput> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE
  const beforeSeq = input.cursor === undefined ? null : decodeCursor(input.cursor)
  // One row more than asked tells whether another page exists without a count query.
  const rows = await ctx.repos.catalog.page({ beforeSeq, categoryId: input.categoryId ?? null, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const items = page.map(({ seq: _seq, ...item }) => item)
  const last = page[page.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null }
}

export async function get(ctx: Ctx, input: { productId: string; sharerId?: string; roomId?: string }): Promise<CatalogGetOutput> {
  const product = await ctx.repos.catalog.product(input.productId)
  if (!product) return fail('NOT_FOUND', '商品不存在或已下架')
  // Opened from someone's share link: remember the touch (the last one within 7 days names the sharer).
  const viewer = ctx.caller?.userId
  if (viewer && input.sharerId && input.sharerId !== viewer && (await ctx.repos.shares.userExists(input.sharerId))) {
    await ctx.repos.shares.recordTouch(viewer, input.sharerId, input.roomId ?? null, ctx.now())
  }
  return { product, servicePhone: ctx.config.servicePhone ?? null }
}

export async function home(ctx: Ctx): Promise<CatalogHomeOutput> {
  const [banners, categories, dealCampaignId] = await Promise.all([
    ctx.repos.catalog.banners(),
    ctx.repos.catalog.categories(),
    ctx.repos.catalog.latestDealCampaign(),
  ])
  return { banners, categories, dealCampaignId }
}
