import { decodeCursor, encodeCursor } from '../paging'
import type {
  CatalogGetOutput,
  CatalogHomeOutput,
  CatalogListInput,
  CatalogListOutput,
  CatalogSearchInput,
  CatalogSearchOutput,
} from '../../contract'
import type { Ctx } from '../context'
import { fail } from '../errors'
import type { SearchPosition } from './catalog.ports'
import { productCard } from './card.rules'

export const DEFAULT_PAGE_SIZE = 10

export async function list(ctx: Ctx, input: CatalogListInput): Promise<CatalogListOutput> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE
  const beforeSeq = input.cursor == null ? null : decodeCursor(input.cursor)
  // One row more than asked tells whether another page exists without a count query.
  const rows = await ctx.repos.catalog.page({ beforeSeq, categoryId: input.categoryId ?? null, limit: limit + 1 })
  const page = rows.slice(0, limit)
  const items = page.map(productCard)
  const last = page[page.length - 1]
  return { items, nextCursor: rows.length > limit && last ? encodeCursor(last.seq) : null }
}

/** Search cursors: the last hit's place, base64url of `t:<title hit 0|1>:<seq>`. */
export function encodeSearchCursor(p: SearchPosition): string {
  return Buffer.from(`t:${p.inTitle ? 1 : 0}:${p.seq}`, 'utf8').toString('base64url')
}

export function decodeSearchCursor(cursor: string): SearchPosition {
  const m = /^t:([01]):(\d{1,15})$/.exec(Buffer.from(cursor, 'base64url').toString('utf8'))
  if (!m) return fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])
  return { inTitle: m[1] === '1', seq: Number(m[2]) }
}

/**
 * On-sale products whose title or description holds every word of `q` (width and case folded by the
 * database), title hits first, then newest. One- and two-character Chinese queries are indexed too.
 */
export async function search(ctx: Ctx, input: CatalogSearchInput): Promise<CatalogSearchOutput> {
  const limit = input.limit ?? DEFAULT_PAGE_SIZE
  const after = input.cursor == null ? null : decodeSearchCursor(input.cursor)
  const hits = await ctx.repos.catalog.search({ q: input.q, after, limit: limit + 1 })
  const page = hits.slice(0, limit)
  const last = page[page.length - 1]
  // The cards of this page only, in the hits' order (a product taken off sale meanwhile drops out).
  const items = (await ctx.repos.catalog.summaries(page.map((h) => h.id))).map(productCard)
  return { items, nextCursor: hits.length > limit && last ? encodeSearchCursor(last) : null }
}

export async function get(ctx: Ctx, input: { productId: string; sharerId?: string; roomId?: string }): Promise<CatalogGetOutput> {
  const product = await ctx.repos.catalog.product(input.productId)
  if (!product) return fail('NOT_FOUND', '商品不存在或已下架')
  await touch(ctx, input.sharerId, input.roomId)
  return { product, servicePhone: ctx.config.servicePhone ?? null }
}

/**
 * Opened from someone's share link or code: remember the touch (the last one within 7 days names the
 * sharer of the viewer's orders). Never the viewer themself, never a user who does not exist.
 */
async function touch(ctx: Ctx, sharerId: string | undefined, roomId: string | undefined): Promise<void> {
  const viewer = ctx.caller?.userId
  if (viewer && sharerId && sharerId !== viewer && (await ctx.repos.shares.userExists(sharerId))) {
    await ctx.repos.shares.recordTouch(viewer, sharerId, roomId ?? null, ctx.now())
  }
}

/** The home's banners and categories; opened from a guide's code (导购码), the guide's share touch too. */
export async function home(ctx: Ctx, input: { sharerId?: string } = {}): Promise<CatalogHomeOutput> {
  await touch(ctx, input.sharerId, undefined)
  const [banners, categories, dealCampaignId] = await Promise.all([
    ctx.repos.catalog.banners(),
    ctx.repos.catalog.categories(),
    ctx.repos.catalog.latestDealCampaign(),
  ])
  return { banners, categories, dealCampaignId }
}
