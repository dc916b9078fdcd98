/**
 * What the core needs from storage, as interfaces. cloud/db implements them on PostgreSQL, bound
 * to the transaction of one call.
 */
import type { Banner, Category, ProductDetail, ProductSummary } from '../contract'

export interface UserRecord {
  id: string
  openid: string
  nickname: string
}

export interface UserRepo {
  /** Creates the user on first sight; a nickname given later replaces the stored one. */
  upsertByOpenid(openid: string, nickname: string | null): Promise<UserRecord>
  byId(id: string): Promise<UserRecord | null>
  /** A new customer has no paid order other than new-user deal orders (business rules). */
  isNewCustomer(userId: string): Promise<boolean>
}

export interface SessionRepo {
  create(tokenHash: string, userId: string, expiresAt: Date): Promise<void>
  /** The user of a live session, or null when unknown or expired at `now`. */
  userOf(tokenHash: string, now: Date): Promise<UserRecord | null>
}

export interface NewProduct {
  title: string
  subtitle: string
  description: string
  priceFen: number
  listPriceFen: number | null
  stock: number
  commissionRate: number
  categoryId: string | null
  images: string[]
}

export interface CatalogRepo {
  /** On-sale products, newest first, strictly older than `beforeSeq` when given. */
  page(opts: { beforeSeq: number | null; categoryId: string | null; limit: number }): Promise<
    Array<ProductSummary & { seq: number }>
  >
  product(id: string): Promise<ProductDetail | null>
  categories(): Promise<Category[]>
  categoryExists(id: string): Promise<boolean>
  banners(): Promise<Banner[]>
  createProduct(p: NewProduct): Promise<string>
}

export interface Repos {
  users: UserRepo
  sessions: SessionRepo
  catalog: CatalogRepo
}
