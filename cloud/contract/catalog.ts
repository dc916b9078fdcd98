import { z } from 'zod'
import { Cursor, Fen, Id } from './common'
import { playsActions } from './plays'

export const ProductSummary = z.object({
  id: Id,
  title: z.string(),
  priceFen: Fen,
  /** The crossed-out price; null when the product has none. */
  listPriceFen: Fen.nullable(),
  /**
   * 会员价: the lowest member price among the SKUs on offer, shown to everyone beside the price. Cards
   * (catalog.list, catalog.search, a live room's shelf and pinned card) carry it only when a SKU has
   * one (no key otherwise); the product page's product is null when none has one.
   */
  memberPriceFen: Fen.nullable().optional(),
  stock: z.number().int().min(0),
  categoryId: Id.nullable(),
  /** Path or URL of the cover image; paths are relative to the API host. */
  cover: z.string(),
})
export type ProductSummary = z.infer<typeof ProductSummary>

/** Newlines, tabs and other control characters have no place in a one-line name or value. */
const isControl = (c: number) => c <= 0x1f || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029
const hasControl = (s: string): boolean => [...s].some((ch) => isControl(ch.codePointAt(0)!))
const oneLine = (max: number) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => !hasControl(s), '不能包含换行或控制字符')
/** Names and values compare after width folding: ＡＢＣ and ABC are the same name. */
export const foldWidth = (s: string): string => s.normalize('NFKC')

/**
 * Where a product image may come from: the shop's own media (`/media/…`, no `.` or `..` segment,
 * encoded or not), an `https://` URL, or a CloudBase file id (`cloud://env/path`). Nothing else:
 * no `javascript:`, `data:`, `http://` or relative paths.
 */
export function isImageRef(s: string): boolean {
  if (/[\s\\]/.test(s) || hasControl(s)) return false
  if (s.startsWith('/media/')) {
    let path: string
    try {
      path = decodeURIComponent(s.split(/[?#]/)[0]!)
    } catch {
      return false
    }
    return !path.includes('\\') && !path.split('/').some((seg) => seg === '.' || seg === '..')
  }
  if (/^https:\/\/[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:\d{1,5})?([/?#]\S*)?$/.test(s)) return true
  return /^cloud:\/\/[A-Za-z0-9._-]+\/\S+$/.test(s)
}
const IMAGE_REF_MESSAGE = '图片须为本店图片（/media/…）、https:// 链接或云存储文件（cloud://…）'
export const ImageRef = z.string().trim().min(1).max(500).refine(isImageRef, IMAGE_REF_MESSAGE)
/** An image that may be left out: empty (none, or the default), else by the same rule as `ImageRef`. */
export const ImageRefOrEmpty = z
  .string()
  .trim()
  .max(500)
  .refine((s) => s === '' || isImageRef(s), IMAGE_REF_MESSAGE)
/** A product's gallery: 1–9 images, the first its cover. */
export const ProductImages = z.array(ImageRef).min(1, '至少需要一张商品图片').max(9)

/** A spec group such as 颜色 with its values; each SKU picks one value per group. */
export const SpecGroup = z
  .object({
    name: oneLine(10),
    values: z.array(oneLine(20)).min(1).max(20),
  })
  .superRefine((g, ctx) => {
    const seen = new Set<string>()
    g.values.forEach((v, i) => {
      if (seen.has(foldWidth(v))) ctx.addIssue({ code: 'custom', path: ['values', i], message: '规格值重复（全角半角视为相同）' })
      seen.add(foldWidth(v))
    })
  })
export type SpecGroup = z.infer<typeof SpecGroup>

export const Sku = z.object({
  id: Id,
  specs: z.record(z.string(), z.string()),
  specText: z.string(),
  priceFen: Fen,
  listPriceFen: Fen.nullable(),
  /** 会员价: what members pay for this SKU (null or absent: none). */
  memberPriceFen: Fen.nullable().optional(),
  stock: z.number().int().min(0),
})
export type Sku = z.infer<typeof Sku>

/** One row of the product's parameter table (产地 · 浙江杭州, 净含量 · 250g …). */
export const ProductSpec = z.object({
  name: oneLine(20),
  value: oneLine(200),
})
export type ProductSpec = z.infer<typeof ProductSpec>

/** A product's detail images (shown below the description) and its parameter table, as the merchant sets them. */
export const DetailImages = z.array(ImageRef).max(20)
export const ProductSpecs = z
  .array(ProductSpec)
  .max(30)
  .superRefine((rows, ctx) => {
    const seen = new Set<string>()
    rows.forEach((r, i) => {
      if (seen.has(foldWidth(r.name))) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: '参数名称重复（全角半角视为相同）' })
      seen.add(foldWidth(r.name))
    })
  })

export const ProductDetail = ProductSummary.extend({
  subtitle: z.string(),
  images: z.array(z.string()),
  description: z.string(),
  specGroups: z.array(SpecGroup),
  skus: z.array(Sku),
  detailImages: z.array(z.string()),
  specs: z.array(z.object({ name: z.string(), value: z.string() })),
  /** 已售: units in orders paid and not refunded. */
  soldCount: z.number().int().min(0),
})
export type ProductDetail = z.infer<typeof ProductDetail>

export const Category = z.object({ id: Id, name: z.string(), icon: z.string() })
export type Category = z.infer<typeof Category>

export const Banner = z.object({ id: Id, title: z.string(), image: z.string(), productId: Id.nullable() })
export type Banner = z.infer<typeof Banner>

export const CatalogListInput = z.object({
  /** null or absent: the first page. */
  cursor: Cursor.nullish(),
  categoryId: Id.optional(),
  limit: z.number().int().min(1).max(50).optional(),
})
export type CatalogListInput = z.infer<typeof CatalogListInput>
export const CatalogListOutput = z.object({
  items: z.array(ProductSummary),
  nextCursor: z.string().nullable(),
})
export type CatalogListOutput = z.infer<typeof CatalogListOutput>

export const CatalogGetInput = z.object({
  productId: Id,
  /** Opened from a share link: who shared it, and from which live room. */
  sharerId: Id.optional(),
  roomId: Id.optional(),
})
export const CatalogGetOutput = z.object({
  product: ProductDetail,
  /** The shop's 客服 phone (SHOP_SERVICE_PHONE), for the product page where WeChat's contact button is missing (H5). */
  servicePhone: z.string().nullable(),
})
export type CatalogGetOutput = z.infer<typeof CatalogGetOutput>

export const CatalogHomeInput = z.object({
  /** Opened from a guide's (导购) code or a shared home link: who shared it, recorded as a share touch. */
  sharerId: Id.optional(),
})
export const CatalogHomeOutput = z.object({
  banners: z.array(Banner),
  categories: z.array(Category),
  /** The running new-user deal, for the home entry. */
  dealCampaignId: Id.nullable(),
})
export type CatalogHomeOutput = z.infer<typeof CatalogHomeOutput>

/**
 * Search over on-sale products' titles and descriptions: `q` is 1–30 characters after trimming,
 * matched whatever its width or case; every word of it must appear. Title hits come first, then newest.
 */
export const CatalogSearchInput = z.object({
  q: z.string().trim().min(1).max(30),
  /** null or absent: the first page. */
  cursor: Cursor.nullish(),
  limit: z.number().int().min(1).max(50).optional(),
})
export type CatalogSearchInput = z.infer<typeof CatalogSearchInput>
export const CatalogSearchOutput = CatalogListOutput
export type CatalogSearchOutput = z.infer<typeof CatalogSearchOutput>

export const catalogActions = {
  list: { input: CatalogListInput, output: CatalogListOutput },
  get: { input: CatalogGetInput, output: CatalogGetOutput },
  home: { input: CatalogHomeInput, output: CatalogHomeOutput },
  search: { input: CatalogSearchInput, output: CatalogSearchOutput },
  ...playsActions,
}
