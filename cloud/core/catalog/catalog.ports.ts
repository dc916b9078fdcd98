/** What the catalog needs from storage: products, categories, banners, and SKUs as pricing sees them. */
import type { Banner, Category, NewSku, ProductDetail, ProductSpec, ProductSummary, SpecGroup } from '../../contract'

export interface NewProduct {
  title: string
  subtitle: string
  description: string
  commissionRate: number
  categoryId: string | null
  images: string[]
  detailImages: string[]
  specs: ProductSpec[]
  specGroups: SpecGroup[]
  /** At least one; a product without specs has one SKU with specs {}. */
  skus: NewSku[]
}

/** A search hit's place in the results: title hits first, then by feed position, newest first. */
export interface SearchPosition {
  inTitle: boolean
  seq: number
}

export interface CatalogRepo {
  /** On-sale products, newest first, strictly older than `beforeSeq` when given. */
  page(opts: { beforeSeq: number | null; categoryId: string | null; limit: number }): Promise<Array<ProductSummary & { seq: number }>>
  /**
   * On-sale products matching the search `q` (folded and matched by the database): title hits
   * first, then newest; strictly after `after` in that order when given.
   */
  search(opts: { q: string; after: SearchPosition | null; limit: number }): Promise<Array<SearchPosition & { id: string }>>
  product(id: string): Promise<ProductDetail | null>
  /** On-sale products by id, in the order of `ids`. */
  summaries(ids: string[]): Promise<ProductSummary[]>
  categories(): Promise<Category[]>
  categoryExists(id: string): Promise<boolean>
  banners(): Promise<Banner[]>
  latestDealCampaign(): Promise<string | null>
  createProduct(p: NewProduct): Promise<string>
  /** Sets the given descriptive fields of a product (on sale or not); false when there is no such product. */
  updateProduct(id: string, fields: ProductUpdate): Promise<boolean>
}

/** The descriptive fields `admin.updateProduct` may change; undefined ones stay. */
export type ProductUpdate = Partial<
  Pick<NewProduct, 'title' | 'subtitle' | 'description' | 'commissionRate' | 'categoryId' | 'images' | 'detailImages' | 'specs'>
>

/** A SKU as pricing and stock checks see it. */
export interface SkuRecord {
  id: string
  productId: string
  title: string
  specText: string
  cover: string
  priceFen: number
  stock: number
  onSale: boolean
  categoryId: string | null
}
