/**
 * What the core needs from storage, as interfaces. cloud/db implements them on PostgreSQL, bound
 * to the transaction of one call.
 */
import type { CouponTerms } from './coupon/coupon.rules'
import type {
  Address,
  AddressSaveInput,
  Banner,
  Category,
  NewSku,
  OrderStatus,
  OrderView,
  PaymentParams,
  ProductDetail,
  ProductSummary,
  SpecGroup,
} from '../contract'

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
  commissionRate: number
  categoryId: string | null
  images: string[]
  specGroups: SpecGroup[]
  /** At least one; a product without specs has one SKU with specs {}. */
  skus: NewSku[]
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

export interface CartLineRecord extends SkuRecord {
  qty: number
  selected: boolean
}

export interface CartRepo {
  lines(userId: string): Promise<CartLineRecord[]>
  /** Adds `qty` to the line (creating it), capped at 999. */
  add(userId: string, skuId: string, qty: number): Promise<void>
  setQty(userId: string, skuId: string, qty: number): Promise<boolean>
  setSelected(userId: string, skuIds: string[], selected: boolean): Promise<void>
  remove(userId: string, skuIds: string[]): Promise<void>
}

export interface AddressRepo {
  list(userId: string): Promise<Address[]>
  byId(userId: string, id: string): Promise<Address | null>
  save(userId: string, input: AddressSaveInput): Promise<Address | null>
  remove(userId: string, id: string): Promise<void>
}

export interface NewOrder {
  userId: string
  idempotencyKey: string
  goodsFen: number
  discountFen: number
  payableFen: number
  address: Omit<Address, 'id' | 'isDefault'> | null
  note: string
  sharerId: string | null
  roomId: string | null
  payDeadline: Date
  userCouponId: string | null
}

export interface NewOrderItem {
  /** This line's share of the order discount. */
  discountFen: number
  skuId: string
  productId: string
  title: string
  specText: string
  cover: string
  unitPriceFen: number
  qty: number
}

/** An order with its owner, for rules that need more than the view. */
export interface OrderRecord extends OrderView {
  userId: string
}

export interface OrderRepo {
  /** SKUs by id, and the only SKU of each given product that has exactly one. */
  skus(skuIds: string[]): Promise<SkuRecord[]>
  singleSkuOf(productIds: string[]): Promise<Map<string, string>>
  /** Inserts the order unless the user already used the key; null then. */
  insert(order: NewOrder): Promise<string | null>
  idOfKey(userId: string, idempotencyKey: string): Promise<string | null>
  insertItems(orderId: string, items: NewOrderItem[]): Promise<void>
  /** Takes `qty` off the SKU's stock only if that much is there. */
  reserveStock(skuId: string, qty: number): Promise<boolean>
  /** Gives every line's quantity back to its SKU. */
  releaseStock(orderId: string): Promise<void>
  get(orderId: string): Promise<OrderRecord | null>
  /**
   * Moves the order to `to` only from one of `from` (and only the owner's, when `userId` is given):
   * the one conditional update every status change goes through. Null when it did not apply.
   */
  transition(orderId: string, from: readonly OrderStatus[], to: OrderStatus, at: Date, opts?: { userId?: string; reason?: string }): Promise<OrderRecord | null>
  /** A rejected refund request: back to the status it was requested from. */
  restoreAfterRefundRequest(orderId: string): Promise<OrderRecord | null>
  list(userId: string, statuses: readonly OrderStatus[] | null, beforeSeq: number | null, limit: number): Promise<Array<OrderRecord & { seq: number }>>
  counts(userId: string): Promise<Record<OrderStatus, number>>
  /** Locks and returns up to `limit` unpaid orders past their deadline, skipping ones being changed. */
  claimExpired(now: Date, limit: number): Promise<string[]>
}

export interface ShareRepo {
  userExists(userId: string): Promise<boolean>
  recordTouch(userId: string, sharerId: string, roomId: string | null, at: Date): Promise<void>
  /** The sharer of the user's most recent touch at or after `since`. */
  lastSharer(userId: string, since: Date): Promise<string | null>
}

export interface PaymentRecord {
  orderId: string
  provider: string
  transactionId: string
  amountFen: number
  status: 'paid' | 'refunded'
}

export interface PaymentRepo {
  /** Records the order's one payment; false when it already has one. */
  insert(p: PaymentRecord & { paidAt: Date; raw: unknown }): Promise<boolean>
  byOrder(orderId: string): Promise<PaymentRecord | null>
  logRejection(provider: string, reason: string, body: unknown): Promise<void>
  insertRefund(orderId: string, amountFen: number, providerRefundId: string): Promise<boolean>
}

/** A coupon template's terms and limits. */
export interface CouponRecord extends CouponTerms {
  id: string
  title: string
  stock: number
  claimed: number
  perUserLimit: number
  validFrom: Date
  validTo: Date
  validDays: number | null
  allowOnSpecial: boolean
}

/** A coupon a user holds, with its template's terms. */
export interface UserCouponRecord {
  id: string
  status: 'available' | 'locked' | 'used'
  validFrom: Date
  validTo: Date
  orderId: string | null
  coupon: CouponRecord
}

export interface CouponRepo {
  create(c: Omit<CouponRecord, 'id' | 'claimed'>): Promise<string>
  get(couponId: string): Promise<CouponRecord | null>
  /** Templates not yet ended at `now`, each with how many the user has claimed; only those applying to `productId` when given. */
  listClaimable(userId: string, now: Date, productId: string | null): Promise<Array<CouponRecord & { mine: number }>>
  /**
   * Counts one more claim for the user only while under `limit` and, in the same statement, gives
   * them the coupon; null when they are at the limit.
   */
  claimForUser(c: { couponId: string; userId: string; limit: number; validFrom: Date; validTo: Date }): Promise<string | null>
  /** Takes one from the template's stock only while some is left and the window is open. */
  takeStock(couponId: string, now: Date): Promise<boolean>
  insertUserCoupon(c: { couponId: string; userId: string; validFrom: Date; validTo: Date; grantKey: string | null }): Promise<string | null>
  held(userId: string): Promise<UserCouponRecord[]>
  heldOne(userCouponId: string, userId: string): Promise<UserCouponRecord | null>
  /** available → locked by the order, only if still available and valid at `now`. */
  lock(userCouponId: string, userId: string, orderId: string, now: Date): Promise<boolean>
  /** The order's coupon: locked → used. */
  markUsed(orderId: string, at: Date): Promise<void>
  /** The order's coupon back to available (cancel, timeout, refund). */
  release(orderId: string): Promise<void>
}

export interface SettingsRepo {
  /** The stored value, or `make()` stored once (racing first calls agree on one value). */
  getOrCreate(key: string, make: () => string): Promise<string>
}

export interface Repos {
  users: UserRepo
  sessions: SessionRepo
  catalog: CatalogRepo
  cart: CartRepo
  addresses: AddressRepo
  orders: OrderRepo
  shares: ShareRepo
  payments: PaymentRepo
  settings: SettingsRepo
  coupons: CouponRepo
}

/** WeChat Pay through CloudBase, or the local sandbox: both behave like a payment provider. */
export interface PaymentProvider {
  readonly name: 'sandbox' | 'wechat'
  /** What the client needs to pay this order. */
  prepare(p: { orderId: string; amountFen: number; description: string; openid: string }): Promise<PaymentParams>
  /** Gives the money of a paid order back. */
  refund(p: { orderId: string; transactionId: string; amountFen: number; refundFen: number }): Promise<{ refundId: string }>
}
