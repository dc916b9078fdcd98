import { z } from 'zod'
import { DetailImages, foldWidth, ProductImages, ProductSpecs, SpecGroup } from './catalog'
import { AdminCreateCouponInput } from './coupon'
import { AdminIssueCouponInput, operationsActions } from './operations'
import { AdminCreateDealCampaignInput, adminWithdrawalActions } from './deal'
import { adminAssistActions } from './assist'
import { AdminCreateFlashSaleInput } from './flash'
import { adminGroupActions } from './group'
import { adminLiveActions } from './live'
import { catalogText, Id, PriceFen } from './common'
import { Carrier, OrderOut, OrderRef, TrackingNo } from './order'
import { backofficeActions, IdempotencyKey, MatrixInput, ProductStatus } from './backoffice'
import { adminMemberWayActions } from './member-ways'
import { adminMemberActions } from './admin-member'

export const NewSku = z.object({
  specs: z.record(z.string(), z.string()),
  priceFen: PriceFen.min(1),
  listPriceFen: PriceFen.min(1).optional(),
  /** 会员价: below the price. */
  memberPriceFen: PriceFen.min(1).optional(),
  stock: z.number().int().min(0).max(1_000_000),
})
export type NewSku = z.infer<typeof NewSku>

/** A product's title and subtitle: one line each, hidden characters dropped (catalogText). */
export const ProductTitle = catalogText({ empty: '请输入商品标题', max: 60, tooLong: '商品标题最多 60 个字' })
export const ProductSubtitle = catalogText({ empty: null, max: 120, tooLong: '副标题最多 120 个字' })

export const AdminCreateProductInput = z
  .object({
    title: ProductTitle,
    subtitle: ProductSubtitle.optional(),
    description: z.string().max(2000).optional(),
    /** Price and stock of a product without specs (its one SKU); with `skus`, each SKU has its own. */
    priceFen: PriceFen.min(1).optional(),
    listPriceFen: PriceFen.min(1).optional(),
    /** 会员价 of a product without specs: below its price. */
    memberPriceFen: PriceFen.min(1).optional(),
    stock: z.number().int().min(0).max(1_000_000).optional(),
    commissionRate: z.number().min(0).max(0.5).optional(),
    categoryId: Id.optional(),
    /** The gallery, the first image its cover: 1–9 (see ProductImages). */
    images: ProductImages.optional(),
    /** Images below the description, at most 20. */
    detailImages: DetailImages.optional(),
    /** The parameter table (产地, 净含量, 保质期, 储存方式 …), at most 30 rows. */
    specs: ProductSpecs.optional(),
    /** Products with specs: the groups and one SKU per combination offered. */
    specGroups: z.array(SpecGroup).max(3).optional(),
    skus: z.array(NewSku).min(1).max(100).optional(),
    /** On the shelf at once ('on', the default) or kept off it (暂不上架，放入仓库). */
    status: ProductStatus.optional(),
    /** The same key from the same caller answers the first call's product and creates nothing (a retry after a lost response). */
    idempotencyKey: IdempotencyKey.optional(),
  })
  .superRefine((p, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message })
    if (!p.skus) {
      // Spec groups without SKUs would make a product nobody can buy (as admin.saveSkus refuses it).
      if (p.specGroups?.length) issue('skus', '有规格的商品须至少填写一个 SKU（每个规格组合的价格和库存）')
      if (p.priceFen === undefined) issue('priceFen', 'priceFen is required without skus')
      if (p.stock === undefined) issue('stock', 'stock is required without skus')
      if (p.listPriceFen !== undefined && p.priceFen !== undefined && p.listPriceFen < p.priceFen) {
        issue('listPriceFen', 'listPriceFen must not be below priceFen')
      }
      if (p.memberPriceFen !== undefined && p.priceFen !== undefined && p.memberPriceFen >= p.priceFen) {
        issue('memberPriceFen', '会员价须低于售价')
      }
      return
    }
    const groups = p.specGroups ?? []
    const names = new Set<string>()
    groups.forEach((g, i) => {
      if (names.has(foldWidth(g.name)))
        ctx.addIssue({ code: 'custom', path: ['specGroups', i, 'name'], message: '规格名称重复（全角半角视为相同）' })
      names.add(foldWidth(g.name))
    })
    const seen = new Set<string>()
    for (const sku of p.skus) {
      const names = Object.keys(sku.specs)
      const fits = names.length === groups.length && groups.every((g) => g.values.includes(sku.specs[g.name] ?? ''))
      if (!fits) issue('skus', 'each SKU picks exactly one value of every spec group')
      const key = groups.map((g) => sku.specs[g.name]).join('\u0001')
      if (seen.has(key)) issue('skus', 'two SKUs have the same specs')
      seen.add(key)
      if (sku.listPriceFen !== undefined && sku.listPriceFen < sku.priceFen) issue('skus', 'listPriceFen must not be below priceFen')
      if (sku.memberPriceFen !== undefined && sku.memberPriceFen >= sku.priceFen) issue('skus', '会员价须低于售价')
    }
  })
export type AdminCreateProductInput = z.infer<typeof AdminCreateProductInput>
export const AdminCreateProductOutput = z.object({ productId: Id })
export type AdminCreateProductOutput = z.infer<typeof AdminCreateProductOutput>

/**
 * Changes a product's descriptive fields; those left out stay as they are. Prices and stock
 * live on the SKUs and are not changed here.
 */
export const AdminUpdateProductInput = z.object({
  productId: Id,
  title: ProductTitle.optional(),
  subtitle: ProductSubtitle.optional(),
  description: z.string().max(2000).optional(),
  commissionRate: z.number().min(0).max(0.5).optional(),
  categoryId: Id.nullable().optional(),
  images: ProductImages.optional(),
  detailImages: DetailImages.optional(),
  specs: ProductSpecs.optional(),
  /** On or off the shelf (上架 / 下架): off-shelf products leave the mall, search and live shelves' buy buttons. */
  status: ProductStatus.optional(),
  /**
   * The spec matrix, saved with the fields in the same transaction (as admin.saveSkus saves it): a
   * save of the editor is all or nothing.
   */
  matrix: MatrixInput.optional(),
})
export type AdminUpdateProductInput = z.infer<typeof AdminUpdateProductInput>

/**
 * Whether a refund puts the order's units back in stock (退回库存): by default yes; false = 仅退款,
 * the money goes back and the units stay with the buyer — only for an order that was shipped (an
 * order never shipped always gives its stock back, and false is refused).
 */
export const Restock = z.boolean().optional()

export const adminActions = {
  createProduct: { input: AdminCreateProductInput, output: AdminCreateProductOutput },
  updateProduct: { input: AdminUpdateProductInput, output: AdminCreateProductOutput },
  /** Ships a paid order with its carrier and waybill number; repeating the same shipment answers the order as it is. */
  ship: { input: OrderRef.extend({ carrier: Carrier, trackingNo: TrackingNo }), output: OrderOut },
  /** Approves the shopper's refund request; `restock` as in `refund`. */
  approveRefund: { input: OrderRef.extend({ restock: Restock }), output: OrderOut },
  /** Refuses the shopper's refund request with a reason they will read (the console always sends one). */
  rejectRefund: { input: OrderRef.extend({ reason: z.string().trim().min(1).max(200).optional() }), output: OrderOut },
  /** The merchant refunds a paid order on their own (售后), also after the shopper's refund window. */
  refund: { input: OrderRef.extend({ reason: z.string().trim().min(1).max(200), restock: Restock }), output: OrderOut },
  createCoupon: { input: AdminCreateCouponInput, output: z.object({ couponId: Id }) },
  issueCoupon: { input: AdminIssueCouponInput, output: z.object({ issued: z.number().int(), already: z.number().int() }) },
  createDealCampaign: { input: AdminCreateDealCampaignInput, output: z.object({ campaignId: Id }) },
  createFlashSale: { input: AdminCreateFlashSaleInput, output: z.object({ flashSaleId: Id }) },
  ...adminLiveActions,
  ...backofficeActions,
  ...adminWithdrawalActions,
  ...operationsActions,
  ...adminAssistActions,
  ...adminGroupActions,
  ...adminMemberWayActions,
  ...adminMemberActions,
}
