/**
 * The product editor's draft and its rules: what the merchant typed (text, as typed), the spec
 * matrix it generates, the checks the contract makes (same limits, same messages, shown at the
 * field before a call), and the calls' inputs built from it — money parsed from the typed yuan
 * by its digits (lib/money), never through a float.
 */
import type { ActionInput, AdminProductDetail, Sku } from '../../../../cloud/contract'
import { fenToInput, parseYuan, yuanProblem } from '../../lib/money'

export interface GroupDraft {
  key: string
  name: string
  values: string[]
}
export interface RowDraft {
  price: string
  listPrice: string
  /** 会员价 (元, optional: '' or absent for none). */
  memberPrice?: string
  stock: string
}
export interface ParamDraft {
  key: string
  name: string
  value: string
}
export interface Draft {
  title: string
  subtitle: string
  description: string
  categoryId: string | null
  /** 佣金比例 in percent as typed: '0'–'50', one decimal. */
  commissionPct: string
  images: string[]
  detailImages: string[]
  params: ParamDraft[]
  groups: GroupDraft[]
  /** The matrix's typed prices and stock, by the combination's values (so renaming a group keeps them). */
  rows: Record<string, RowDraft>
  /** Price and stock of a product without spec groups. */
  single: RowDraft
  /** 上架状态: on the shelf (立即上架 for a new product) or off it (暂不上架，放入仓库). */
  status: 'on' | 'off'
}

export const LIMITS = { groups: 3, values: 20, skus: 100, images: 9, detailImages: 20, params: 30 } as const

let seq = 0
export const newKey = () => `k${++seq}`

export const emptyRow = (): RowDraft => ({ price: '', listPrice: '', memberPrice: '', stock: '' })

export function emptyDraft(): Draft {
  return {
    title: '',
    subtitle: '',
    description: '',
    categoryId: null,
    commissionPct: '0',
    images: [],
    detailImages: [],
    params: [],
    groups: [],
    rows: {},
    single: emptyRow(),
    status: 'on',
  }
}

/** Width-folded, as the contract compares names and values (ＡＢＣ = ABC). */
export const fold = (s: string) => s.trim().normalize('NFKC')

/** A combination's key by its values in group order. */
export const valuesKey = (values: string[]) => values.join('\u0001')
/** A SKU's identity as the server matches it: its specs, names and values. */
export const specsKey = (specs: Record<string, string>) =>
  JSON.stringify(
    Object.entries(specs)
      .map(([k, v]) => [k.trim(), v.trim()])
      .sort(),
  )

export interface Combo {
  key: string
  values: string[]
  specs: Record<string, string>
  specText: string
}

/** Every combination of the groups' values (groups without a name or a value are left out until completed). */
export function combos(groups: GroupDraft[]): Combo[] {
  const usable = groups.filter((g) => g.name.trim() && g.values.length)
  if (!usable.length) return []
  let acc: string[][] = [[]]
  for (const g of usable) acc = acc.flatMap((prefix) => g.values.map((v) => [...prefix, v]))
  return acc.map((values) => ({
    key: valuesKey(values),
    values,
    specs: Object.fromEntries(usable.map((g, i) => [g.name.trim(), values[i]!])),
    specText: values.join(' / '),
  }))
}

const rateToPct = (rate: number) => String(Math.round(rate * 1000) / 10)

/** The draft of a saved product, and its SKUs by specs (their ids and stock). */
export function draftOf(p: AdminProductDetail): Draft {
  const groups = p.specGroups.map((g) => ({ key: newKey(), name: g.name, values: [...g.values] }))
  const rows: Record<string, RowDraft> = {}
  let single = emptyRow()
  for (const sku of p.skus) {
    const row = {
      price: fenToInput(sku.priceFen),
      listPrice: sku.listPriceFen === null ? '' : fenToInput(sku.listPriceFen),
      memberPrice: sku.memberPriceFen == null ? '' : fenToInput(sku.memberPriceFen),
      stock: '',
    }
    if (!groups.length) single = row
    else rows[valuesKey(groups.map((g) => sku.specs[g.name] ?? ''))] = row
  }
  return {
    title: p.title,
    subtitle: p.subtitle,
    description: p.description,
    categoryId: p.categoryId,
    commissionPct: rateToPct(p.commissionRate),
    images: [...p.images],
    detailImages: [...p.detailImages],
    params: p.specs.map((s) => ({ key: newKey(), name: s.name, value: s.value })),
    groups,
    rows,
    single,
    status: p.status,
  }
}

export function existingSkus(p: AdminProductDetail | null): Map<string, Sku> {
  return new Map((p?.skus ?? []).map((s) => [specsKey(s.specs), s]))
}

/** The part of the draft that saveSkus writes, to tell whether the matrix changed. */
export function matrixOf(d: Draft): string {
  const cs = combos(d.groups)
  return JSON.stringify({
    groups: d.groups.map((g) => [g.name.trim(), g.values]),
    rows: cs.length
      ? cs.map((c) => [c.key, d.rows[c.key]?.price, d.rows[c.key]?.listPrice, d.rows[c.key]?.memberPrice ?? '', d.rows[c.key]?.stock])
      : [{ ...d.single, memberPrice: d.single.memberPrice ?? '' }],
  })
}

const PCT = /^(\d{1,2})(?:\.(\d))?$/
/** '12.5' → 0.125 (tenths of a percent, an integer, over 1000); null when not 0–50 with one decimal. */
export function parsePct(text: string): number | null {
  const m = PCT.exec(text.trim())
  if (!m) return null
  const tenths = Number.parseInt(m[1]!, 10) * 10 + Number.parseInt(m[2] ?? '0', 10)
  return tenths > 500 ? null : tenths / 1000
}

const STOCK = /^\d{1,7}$/
function stockProblem(text: string): string | null {
  if (text.trim() === '') return '请输入库存'
  if (!STOCK.test(text.trim()) || Number.parseInt(text, 10) > 1_000_000) return '库存为 0 到 1000000 的整数'
  return null
}
function rowProblems(row: RowDraft, withStock: boolean): Partial<Record<keyof RowDraft, string>> {
  const out: Partial<Record<keyof RowDraft, string>> = {}
  const price = yuanProblem(row.price)
  if (price) out.price = price
  if (row.listPrice.trim()) {
    const lp = yuanProblem(row.listPrice)
    if (lp) out.listPrice = lp.replace('价格', '划线价')
    else if (!price && parseYuan(row.listPrice)! < parseYuan(row.price)!) out.listPrice = '划线价不能低于售价'
  }
  if (row.memberPrice?.trim()) {
    const mp = yuanProblem(row.memberPrice)
    if (mp) out.memberPrice = mp.replace('价格', '会员价')
    else if (!price && parseYuan(row.memberPrice)! >= parseYuan(row.price)!) out.memberPrice = '会员价须低于售价'
  }
  if (withStock) {
    const s = stockProblem(row.stock)
    if (s) out.stock = s
  }
  return out
}

/** Every problem of the draft, by field path (the editor shows each at its field); empty when it can be saved. */
export function problems(d: Draft, existing: Map<string, Sku>): Record<string, string> {
  const e: Record<string, string> = {}
  const title = d.title.trim()
  if (!title) e.title = '请输入商品标题'
  else if (title.length > 60) e.title = '标题最多 60 个字'
  if (d.subtitle.trim().length > 120) e.subtitle = '副标题最多 120 个字'
  if (d.description.length > 2000) e.description = '商品描述最多 2000 个字'
  if (parsePct(d.commissionPct) === null) e.commission = '佣金比例为 0 到 50 的数，最多一位小数'
  if (!d.images.length) e.images = '至少需要一张商品图片'
  if (d.images.length > LIMITS.images) e.images = `商品图片最多 ${LIMITS.images} 张`
  if (d.detailImages.length > LIMITS.detailImages) e.detailImages = `详情图片最多 ${LIMITS.detailImages} 张`

  const paramNames = new Set<string>()
  d.params.forEach((p, i) => {
    const name = p.name.trim()
    if (!name) e[`params.${i}.name`] = '请输入参数名称'
    else if (name.length > 20) e[`params.${i}.name`] = '参数名称最多 20 个字'
    else if (paramNames.has(fold(name))) e[`params.${i}.name`] = '参数名称重复（全角半角视为相同）'
    paramNames.add(fold(name))
    if (!p.value.trim()) e[`params.${i}.value`] = '请输入参数内容'
    else if (p.value.trim().length > 200) e[`params.${i}.value`] = '参数内容最多 200 个字'
  })
  if (d.params.length > LIMITS.params) e.params = `参数最多 ${LIMITS.params} 行`

  const groupNames = new Set<string>()
  d.groups.forEach((g, i) => {
    const name = g.name.trim()
    if (!name) e[`groups.${i}.name`] = '请输入规格名称'
    else if (name.length > 10) e[`groups.${i}.name`] = '规格名称最多 10 个字'
    else if (groupNames.has(fold(name))) e[`groups.${i}.name`] = '规格名称重复（全角半角视为相同）'
    groupNames.add(fold(name))
    if (!g.values.length) e[`groups.${i}.values`] = '请至少添加一个规格值'
  })
  if (d.groups.length > LIMITS.groups) e.groups = `规格组最多 ${LIMITS.groups} 个`

  if (!d.groups.length) {
    const rp = rowProblems(d.single, !existing.has(specsKey({})))
    for (const [k, v] of Object.entries(rp)) e[`single.${k}`] = v
  } else {
    const cs = combos(d.groups)
    if (cs.length > LIMITS.skus) e.groups = `规格组合最多 ${LIMITS.skus} 个，当前 ${cs.length} 个`
    for (const c of cs) {
      const rp = rowProblems(d.rows[c.key] ?? emptyRow(), !existing.has(specsKey(c.specs)))
      for (const [k, v] of Object.entries(rp)) e[`row.${c.key}.${k}`] = v
    }
  }
  return e
}

const listFen = (row: RowDraft) => ({
  ...(row.listPrice.trim() ? { listPriceFen: parseYuan(row.listPrice)! } : {}),
  ...(row.memberPrice?.trim() ? { memberPriceFen: parseYuan(row.memberPrice)! } : {}),
})

/** The price below which a save asks first (价格低于 ¥1.00): a typo like 0.5 for 50 sells at a loss. */
export const CHEAP_FEN = 100

/** The SKUs (their spec text, '默认' without specs) whose typed price is below ¥1, to confirm before saving. */
export function cheapSkus(d: Draft): string[] {
  const cs = combos(d.groups)
  const rows = cs.length ? cs.map((c) => [c.specText, d.rows[c.key]?.price ?? ''] as const) : [['默认', d.single.price] as const]
  return rows
    .filter(([, price]) => {
      const fen = parseYuan(price)
      return fen !== null && fen < CHEAP_FEN
    })
    .map(([text]) => text)
}

/**
 * The SKUs on offer in `saved` with stock that the draft's matrix no longer has (a spec value or
 * group removed): saving takes them off sale with their stock, so the editor asks first. Each as
 * its spec text and stock ('100g / 罐装（库存 6）'), in the saved order.
 */
export function stoppingSkus(d: Draft, saved: AdminProductDetail | null): string[] {
  if (!saved) return []
  const cs = combos(d.groups)
  const kept = new Set(cs.length ? cs.map((c) => specsKey(c.specs)) : [specsKey({})])
  const retired = new Set(saved.retiredSkuIds)
  return saved.skus
    .filter((s) => !retired.has(s.id) && s.stock > 0 && !kept.has(specsKey(s.specs)))
    .map((s) => {
      const text =
        saved.specGroups
          .map((g) => s.specs[g.name])
          .filter((v): v is string => !!v)
          .join(' / ') || '默认'
      return `${text}（库存 ${s.stock}）`
    })
}

/**
 * admin.createProduct's input from a draft without problems. `idempotencyKey` is the editor
 * session's: a retry of the same save (its answer lost) answers the product the first one made.
 */
export function createInput(d: Draft, idempotencyKey?: string): ActionInput<'admin', 'createProduct'> {
  const base = {
    status: d.status,
    ...(idempotencyKey ? { idempotencyKey } : {}),
    title: d.title.trim(),
    ...(d.subtitle.trim() ? { subtitle: d.subtitle.trim() } : {}),
    ...(d.description ? { description: d.description } : {}),
    ...(d.categoryId ? { categoryId: d.categoryId } : {}),
    commissionRate: parsePct(d.commissionPct) ?? 0,
    images: d.images,
    detailImages: d.detailImages,
    specs: d.params.map((p) => ({ name: p.name.trim(), value: p.value.trim() })),
  }
  const cs = combos(d.groups)
  if (!cs.length) {
    return { ...base, priceFen: parseYuan(d.single.price)!, ...listFen(d.single), stock: Number.parseInt(d.single.stock, 10) }
  }
  return {
    ...base,
    specGroups: d.groups.map((g) => ({ name: g.name.trim(), values: g.values })),
    skus: cs.map((c) => {
      const row = d.rows[c.key] ?? emptyRow()
      return { specs: c.specs, priceFen: parseYuan(row.price)!, ...listFen(row), stock: Number.parseInt(row.stock, 10) }
    }),
  }
}

/**
 * admin.updateProduct's input from a draft without problems: the descriptive fields and, when
 * `saved` (the product as loaded) differs, its shelf status and its matrix — one call, one
 * transaction, so a save is never half done.
 */
export function updateInput(
  productId: string,
  d: Draft,
  saved?: AdminProductDetail | null,
  existing: Map<string, Sku> = existingSkus(saved ?? null),
): ActionInput<'admin', 'updateProduct'> {
  const matrixChanged = !saved || matrixOf(d) !== matrixOf(draftOf(saved))
  const { productId: _id, ...matrix } = saveSkusInput(productId, d, existing)
  return {
    productId,
    ...(saved && d.status !== saved.status ? { status: d.status } : {}),
    ...(matrixChanged ? { matrix } : {}),
    title: d.title.trim(),
    subtitle: d.subtitle.trim(),
    description: d.description,
    categoryId: d.categoryId,
    commissionRate: parsePct(d.commissionPct) ?? 0,
    images: d.images,
    detailImages: d.detailImages,
    specs: d.params.map((p) => ({ name: p.name.trim(), value: p.value.trim() })),
  }
}

/** admin.saveSkus's input: existing SKUs (matched by specs) keep their stock; new ones carry their opening stock. */
export function saveSkusInput(productId: string, d: Draft, existing: Map<string, Sku>): ActionInput<'admin', 'saveSkus'> {
  const cs = combos(d.groups)
  const line = (specs: Record<string, string>, row: RowDraft) => ({
    specs,
    priceFen: parseYuan(row.price)!,
    ...listFen(row),
    ...(existing.has(specsKey(specs)) ? {} : { stock: Number.parseInt(row.stock, 10) }),
  })
  if (!cs.length) return { productId, specGroups: [], skus: [line({}, d.single)] }
  return {
    productId,
    specGroups: d.groups.map((g) => ({ name: g.name.trim(), values: g.values })),
    skus: cs.map((c) => line(c.specs, d.rows[c.key] ?? emptyRow())),
  }
}

/** Where a server refusal's `details.path` ('specGroups.0.name', 'images', 'skus') shows in the editor. */
export function fieldOfPath(path: string): string | null {
  const [head, i, sub] = path.split('.')
  switch (head) {
    case 'title':
    case 'subtitle':
    case 'description':
    case 'images':
    case 'detailImages':
      return head
    case 'commissionRate':
      return 'commission'
    case 'categoryId':
      return 'category'
    case 'specs':
      return i !== undefined && sub ? `params.${i}.${sub}` : 'params'
    case 'specGroups':
      return i !== undefined && sub === 'name' ? `groups.${i}.name` : i !== undefined && sub === 'values' ? `groups.${i}.values` : 'groups'
    case 'skus':
      return 'groups'
    case 'priceFen':
      return 'single.price'
    case 'listPriceFen':
      return 'single.listPrice'
    case 'memberPriceFen':
      return 'single.memberPrice'
    case 'stock':
      return 'single.stock'
    default:
      return null
  }
}

/** A play running (or about to) on one SKU at its own price: 拼团价, 砍价's floor, 秒杀价. */
export interface SkuPlay {
  skuId: string
  /** '拼团「两人团」' — how the confirm names it. */
  name: string
  priceFen: number
}

/** The member prices the draft changes (or sets) on saved SKUs, each with its SKU, in the matrix's order. */
export function changedMemberPrices(
  d: Draft,
  saved: AdminProductDetail | null,
): Array<{ specText: string; skuId: string; memberPriceFen: number }> {
  if (!saved) return []
  const bySpecs = existingSkus(saved)
  const cs = combos(d.groups)
  const rows = cs.length
    ? cs.map((c) => ({ specText: c.specText, specs: c.specs, typed: d.rows[c.key]?.memberPrice ?? '' }))
    : [{ specText: '默认', specs: {}, typed: d.single.memberPrice ?? '' }]
  const out: Array<{ specText: string; skuId: string; memberPriceFen: number }> = []
  for (const row of rows) {
    const sku = bySpecs.get(specsKey(row.specs))
    const fen = row.typed.trim() ? parseYuan(row.typed) : null
    if (sku && fen !== null && fen !== (sku.memberPriceFen ?? null))
      out.push({ specText: row.specText, skuId: sku.id, memberPriceFen: fen })
  }
  return out
}

/**
 * The changed member prices at or below a play's price of the same SKU: a member would pay that member
 * price anyway, and the play's page would pitch a dearer price to them. Each as the SKU's spec text,
 * the typed member price and the play, in the matrix's order.
 */
export function memberPricesUnderPlays(
  changed: ReturnType<typeof changedMemberPrices>,
  plays: SkuPlay[],
): Array<{ specText: string; memberPriceFen: number; play: SkuPlay }> {
  return changed.flatMap((c) =>
    plays
      .filter((play) => play.skuId === c.skuId && c.memberPriceFen <= play.priceFen)
      .map((play) => ({ specText: c.specText, memberPriceFen: c.memberPriceFen, play })),
  )
}
