/** What the catalog needs from storage: products, categories, banners, and SKUs as pricing sees them. */
import type {
  AdminProductDetail,
  AdminProductRow,
  Banner,
  Category,
  NewSku,
  ProductDetail,
  ProductSpec,
  ProductSummary,
  SpecGroup,
  StockChange,
} from '../../contract'

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
  /** On the shelf from the start (the default) or kept off it (放入仓库). */
  onSale?: boolean
}

/** A search hit's place in the results: title hits first, then by feed position, newest first. */
export interface SearchPosition {
  inTitle: boolean
  seq: number
}

export interface CatalogRepo extends CatalogAdminRepo {
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
  Pick<NewProduct, 'title' | 'subtitle' | 'description' | 'commissionRate' | 'categoryId' | 'images' | 'detailImages' | 'specs'> & {
    onSale: boolean
  }
>

/** A SKU as pricing and stock checks see it. */
export interface SkuRecord {
  id: string
  productId: string
  title: string
  specText: string
  cover: string
  priceFen: number
  /** 会员价: what a member pays on a regular line (null: none). */
  memberPriceFen: number | null
  stock: number
  onSale: boolean
  categoryId: string | null
}

/** The back office's filters over every product, on the shelf or off. */
export interface AdminProductFilter {
  /** Title words (matched as catalog.search matches them) or a product id. */
  q: string | null
  categoryId: string | null
  onSale: boolean | null
  /** Only products with a SKU on offer at or below LOW_STOCK_LINE. */
  lowStock: boolean
}

/** A place in the back office's list: last edited first, then newest. */
export interface AdminListPosition {
  updatedAt: Date
  seq: number
}

/** One SKU as the matrix save sees it (retired ones included). */
export interface MatrixSkuRecord {
  id: string
  specs: Record<string, string>
  stock: number
  retired: boolean
}

/** What admin.saveSkus writes for one SKU of the matrix. */
export interface MatrixWrite {
  /** The SKU kept (matched by specs), or null for a new one. */
  id: string | null
  specs: Record<string, string>
  specText: string
  priceFen: number
  listPriceFen: number | null
  /** 会员价 (null: none); below priceFen (the schema's CHECK). */
  memberPriceFen: number | null
  /** The opening stock of a new SKU. */
  stock: number
  sort: number
}

/** The merchant's side of the catalog: every product, the SKU matrix, the stock ledger, categories. */
export interface CatalogAdminRepo {
  adminList(f: AdminProductFilter, after: AdminListPosition | null, limit: number): Promise<Array<AdminProductRow & { seq: number }>>
  adminCount(f: AdminProductFilter): Promise<number>
  /** The editor's view of a product whatever its status; `skus` lists the retired SKUs too, after the others. */
  adminProduct(id: string): Promise<AdminProductDetail | null>
  /**
   * Locks the product's row (the product, or the product of the SKU, named) against the other staff
   * writes on it, before any of its SKUs: `missing` when there is none, `busy` when it stayed locked
   * for `waitMs` (the transaction is then aborted: the call must fail).
   */
  lockProduct(ref: { productId: string } | { skuId: string }, waitMs: number): Promise<'locked' | 'missing' | 'busy'>
  /** The product's SKUs, retired too, their rows locked (in id order). */
  matrixSkus(productId: string): Promise<MatrixSkuRecord[]>
  /**
   * Writes the matrix: the product's spec groups (and its edit time), the SKUs kept (price, spec
   * text, order; brought back if retired), the new SKUs with their opening stock (a stock change
   * `newReason` by `actorId` each, when above 0), and retires the SKUs `retire` names.
   */
  writeMatrix(p: {
    productId: string
    specGroups: SpecGroup[]
    skus: MatrixWrite[]
    retire: string[]
    actorId: string
    newReason: string
  }): Promise<void>
  /**
   * Moves a SKU's stock by `delta` in one conditional statement (never below 0, never above `max`)
   * and records the change. null when the SKU does not exist; `refused` with its stock when the move
   * would leave the bounds.
   */
  adjustStock(p: {
    skuId: string
    delta: number
    max: number
    reason: string
    actorId: string
  }): Promise<
    { ok: true; productId: string; stock: number; productBefore: number; productAfter: number } | { ok: false; stock: number } | null
  >
  /** A stock change for each SKU of a new product with stock above 0. */
  recordOpeningStock(productId: string, actorId: string | null, reason: string): Promise<void>
  stockChanges(productId: string, beforeId: number | null, limit: number): Promise<StockChange[]>
  productExists(id: string): Promise<boolean>
  adminCategories(): Promise<Array<{ id: string; name: string; icon: string; productCount: number }>>
  /** Creates a category, or renames `id`; `taken` when another category has the name, null when `id` is unknown. */
  saveCategory(p: { id: string | null; name: string }): Promise<{ id: string } | 'taken' | null>
  /**
   * Claims an idempotency key for a staff write (its unique key decides: a racing copy waits for the
   * first to commit or roll back). `claimed` when this call holds it now; else the first call's
   * request hash and result.
   */
  claimRequestKey(p: RequestKey & { hash: string }): Promise<{ claimed: true } | { claimed: false; hash: string; result: unknown }>
  /** Stores the result of the write that claimed the key (in its transaction). */
  finishRequestKey(p: RequestKey & { result: unknown }): Promise<void>
}

export interface RequestKey {
  actorId: string
  action: string
  key: string
}
