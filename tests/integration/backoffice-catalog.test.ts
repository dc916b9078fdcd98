/**
 * 商品 in the back office: the list and its filters, the SKU matrix (kept / added / retired SKUs),
 * stock moves and their ledger, categories, 上架/下架, and images uploaded through the sharp path
 * (the demo shop's included), served by the host at /media/uploads/.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import sharp from 'sharp'
import type { UploadedImage } from '../../cloud/contract'
import { uploadsDir } from '../../cloud/host/uploads'
import { startStack, type Stack } from '../helpers/stack'
import { createProduct, key, sql } from '../helpers/mall'

let stack: Stack
let admin: string
let shopper: string
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-catalog-'))

beforeAll(async () => {
  stack = await startStack({ seed: true, env: { DATA_DIR: dataDir } })
  admin = (await stack.login('admin', '店长')).token
  shopper = (await stack.login('catalog-shopper')).token
}, 90_000)
afterAll(async () => {
  await stack?.stop()
  fs.rmSync(dataDir, { recursive: true, force: true })
})

const adminOk = <T = any>(action: string, data: object = {}) => stack.ok<T>('admin', { action, ...data }, admin)
const adminCall = (action: string, data: object = {}) => stack.call('admin', { action, ...data }, admin)
const refusal = (r: Awaited<ReturnType<Stack['call']>>) =>
  r.body.ok ? null : { status: r.status, code: r.body.error.code, message: r.body.error.message }

async function newCategory(name: string): Promise<string> {
  return (await adminOk('saveCategory', { name })).category.id
}

describe('the product list', () => {
  let cat: string
  let a: string
  let b: string
  let c: string
  beforeAll(async () => {
    cat = await newCategory('列表测试')
    a = await createProduct(stack, admin, { title: '滇红金芽 甲', stock: 5, priceFen: 3900, categoryId: cat })
    b = await createProduct(stack, admin, { title: '滇红金芽 乙', stock: 50, priceFen: 5900, categoryId: cat })
    c = await createProduct(stack, admin, { title: '凤凰单丛 丙', stock: 30, priceFen: 6900, categoryId: cat })
    // Taken off the shelf last: the most recently edited.
    await adminOk('updateProduct', { productId: c, status: 'off' })
  })

  test('every product of a category, off the shelf too, last edited first, with its figures', async () => {
    const r = await adminOk('products', { categoryId: cat })
    expect(r.total).toBe(3)
    expect(r.items.map((i: any) => i.id)).toEqual([c, b, a])
    expect(r.items[0]).toMatchObject({
      title: '凤凰单丛 丙',
      status: 'off',
      categoryId: cat,
      categoryName: '列表测试',
      priceFen: 6900,
      stock: 30,
    })
    expect(r.items[2]).toMatchObject({ status: 'on', stock: 5, skuCount: 1, soldCount: 0, lowStock: true, commissionRate: 0 })
    expect(r.items[1].lowStock).toBe(false)
    expect(Date.parse(r.items[0].updatedAt)).toBeGreaterThanOrEqual(Date.parse(r.items[1].updatedAt))
  })

  test('filters: on/off shelf, low stock, title words, an id; total counts under the same filters', async () => {
    const ids = async (f: object) => {
      const r = await adminOk('products', { categoryId: cat, ...f })
      return { ids: r.items.map((i: any) => i.id), total: r.total }
    }
    expect(await ids({ status: 'off' })).toEqual({ ids: [c], total: 1 })
    expect(await ids({ status: 'on' })).toEqual({ ids: [b, a], total: 2 })
    expect(await ids({ lowStock: true })).toEqual({ ids: [a], total: 1 })
    expect(await ids({ q: '金芽' })).toEqual({ ids: [b, a], total: 2 })
    // Words in any order, width folded, as the mall's search matches titles.
    expect(await ids({ q: '乙 滇红' })).toEqual({ ids: [b], total: 1 })
    expect(await ids({ q: c })).toEqual({ ids: [c], total: 1 })
    expect(await ids({ q: '没有这种茶' })).toEqual({ ids: [], total: 0 })
    // Without a category the seeded shop is listed too, the off-shelf product among them.
    const all = await adminOk('products', { status: 'off' })
    expect(all.items.map((i: any) => i.id)).toContain(c)
  })

  test('cursor paging: pages of `limit`, no product twice, total on every page', async () => {
    const first = await adminOk('products', { categoryId: cat, limit: 2 })
    expect(first.items.map((i: any) => i.id)).toEqual([c, b])
    expect(first.total).toBe(3)
    expect(first.nextCursor).toEqual(expect.any(String))
    const second = await adminOk('products', { categoryId: cat, limit: 2, cursor: first.nextCursor })
    expect(second.items.map((i: any) => i.id)).toEqual([a])
    expect(second.nextCursor).toBeNull()
    expect(second.total).toBe(3)
    expect(refusal(await adminCall('products', { cursor: 'bm9wZQ' }))).toMatchObject({ code: 'VALIDATION_FAILED' })
  })

  test('every product, the demo shop included, paged through exactly once', async () => {
    const seen: string[] = []
    let cursor: string | null = null
    do {
      const r: any = await adminOk('products', { limit: 7, cursor })
      seen.push(...r.items.map((i: any) => i.id))
      cursor = r.nextCursor
    } while (cursor)
    expect(new Set(seen).size).toBe(seen.length)
    const { n } = (await sql(stack, 'SELECT count(*)::int AS n FROM products'))[0]
    expect(seen).toHaveLength(n)
  })
})

describe('categories', () => {
  test('listed with their product counts; created and renamed; a name is unique (width and case folded)', async () => {
    const id = await newCategory('分类甲')
    await createProduct(stack, admin, { title: '分类里的茶', stock: 1, categoryId: id })
    const listed = (await adminOk('categories')).items.find((c: any) => c.id === id)
    expect(listed).toEqual({ id, name: '分类甲', icon: '', productCount: 1 })
    expect((await adminOk('categories')).items.find((c: any) => c.name === '茗茶').productCount).toBeGreaterThan(0)

    expect((await adminOk('saveCategory', { categoryId: id, name: '分类乙' })).category).toEqual({
      id,
      name: '分类乙',
      icon: '',
      productCount: 1,
    })
    // Renaming to its own name is no clash.
    expect((await adminOk('saveCategory', { categoryId: id, name: '分类乙' })).category.name).toBe('分类乙')
    for (const name of ['分类乙', '茗茶']) {
      expect(refusal(await adminCall('saveCategory', { name }))).toEqual({
        status: 400,
        code: 'VALIDATION_FAILED',
        message: '分类名称已存在',
      })
    }
    await newCategory('Tea')
    expect(refusal(await adminCall('saveCategory', { name: 'ＴＥＡ' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '分类名称已存在',
    })
    expect(refusal(await adminCall('saveCategory', { categoryId: id, name: '茗茶' }))).toMatchObject({ message: '分类名称已存在' })
    expect(refusal(await adminCall('saveCategory', { categoryId: 'c-nope', name: '随便' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(refusal(await adminCall('saveCategory', { name: '   ' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '请输入分类名称',
    })
    expect(refusal(await adminCall('saveCategory', { name: '一二三四五六七八九十十' }))).toMatchObject({ message: '分类名称最多 10 个字' })
  })

  test('five saves of one new name at once: exactly one category is made', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => adminCall('saveCategory', { name: '同时创建' })))
    expect(results.filter((r) => r.body.ok)).toHaveLength(1)
    expect(results.filter((r) => !r.body.ok).map(refusal)).toEqual(
      Array(4).fill({ status: 400, code: 'VALIDATION_FAILED', message: '分类名称已存在' }),
    )
    expect(await sql(stack, `SELECT count(*)::int AS n FROM categories WHERE name = '同时创建'`)).toEqual([{ n: 1 }])
  })
})

describe('上架 / 下架', () => {
  test('an off-shelf product leaves the mall, search, the product page, carts and checkout; back on, it sells again', async () => {
    const productId = await createProduct(stack, admin, { title: '下架测试 岩茶', stock: 10 })
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    await stack.ok('cart', { action: 'add', skuId, qty: 1 }, shopper)

    await adminOk('updateProduct', { productId, status: 'off' })
    expect((await adminOk('product', { productId })).product.status).toBe('off')
    const feed = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    expect(feed.items.map((i: any) => i.id)).not.toContain(productId)
    expect((await stack.ok('catalog', { action: 'search', q: '下架测试' }, shopper)).items).toEqual([])
    expect(refusal(await stack.call('catalog', { action: 'get', productId }, shopper))).toMatchObject({ code: 'NOT_FOUND' })
    const cart = await stack.ok('cart', { action: 'list' }, shopper)
    expect(cart.lines.find((l: any) => l.skuId === skuId).problem).toBe('OFF_SALE')
    expect(refusal(await stack.call('cart', { action: 'add', skuId, qty: 1 }, shopper))).toMatchObject({ code: 'NOT_FOUND' })
    const order = () => stack.call('order', { action: 'create', items: [{ productId, skuId, qty: 1 }], idempotencyKey: key() }, shopper)
    expect(refusal(await order())).toMatchObject({ code: 'NOT_FOUND', message: '商品已下架' })

    await adminOk('updateProduct', { productId, status: 'on' })
    expect((await stack.ok('catalog', { action: 'search', q: '下架测试' }, shopper)).items.map((i: any) => i.id)).toEqual([productId])
    expect((await order()).body.ok).toBe(true)
  })
})

describe('the SKU matrix', () => {
  const GROUPS = [{ name: '规格', values: ['100g', '250g'] }]
  let productId: string
  let ids: Record<string, string>
  beforeAll(async () => {
    productId = await createProduct(stack, admin, {
      title: '矩阵测试 龙井',
      specGroups: GROUPS,
      skus: [
        { specs: { 规格: '100g' }, priceFen: 5000, stock: 20 },
        { specs: { 规格: '250g' }, priceFen: 11000, listPriceFen: 13000, stock: 8 },
      ],
    })
    const { product } = await adminOk('product', { productId })
    ids = Object.fromEntries(product.skus.map((s: any) => [s.specs['规格'], s.id]))
  })

  test('the editor sees the product whatever its state, with its SKUs, shelf status and commission', async () => {
    const { product } = await adminOk('product', { productId })
    expect(product).toMatchObject({ status: 'on', commissionRate: 0, retiredSkuIds: [], priceFen: 5000, stock: 28, specGroups: GROUPS })
    expect(product.skus.map((s: any) => [s.specText, s.priceFen, s.listPriceFen, s.stock])).toEqual([
      ['100g', 5000, null, 20],
      ['250g', 11000, 13000, 8],
    ])
    expect(refusal(await adminCall('product', { productId: 'p-none' }))).toMatchObject({ code: 'NOT_FOUND' })
  })

  test('kept SKUs keep id and stock, new ones come with opening stock, left-out ones retire off sale', async () => {
    // The shopper holds a 250g in the cart and has an order of one, before the save.
    await stack.ok('cart', { action: 'add', skuId: ids['250g'], qty: 1 }, shopper)
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId, skuId: ids['250g'], qty: 1 }], idempotencyKey: key() },
      shopper,
    )

    const { product } = await adminOk('saveSkus', {
      productId,
      specGroups: [{ name: '规格', values: ['100g', '500g'] }],
      skus: [
        { specs: { 规格: '100g' }, priceFen: 4800, listPriceFen: 5600, stock: 999 },
        { specs: { 规格: '500g' }, priceFen: 19800, stock: 7 },
      ],
    })
    const offered = product.skus.filter((s: any) => !product.retiredSkuIds.includes(s.id))
    expect(offered.map((s: any) => [s.id === ids['100g'], s.specText, s.priceFen, s.listPriceFen, s.stock])).toEqual([
      [true, '100g', 4800, 5600, 20],
      [false, '500g', 19800, null, 7],
    ])
    expect(product.retiredSkuIds).toEqual([ids['250g']])
    // The 250g was in one pending order (7 left after it); summaries count offered SKUs only.
    expect(product).toMatchObject({
      priceFen: 4800,
      listPriceFen: 5600,
      stock: 27,
      specGroups: [{ name: '规格', values: ['100g', '500g'] }],
    })

    // The shopper's side: the product page offers two SKUs; the retired one can't be bought or added.
    const shown = (await stack.ok('catalog', { action: 'get', productId }, shopper)).product
    expect(shown.skus.map((s: any) => s.specText)).toEqual(['100g', '500g'])
    expect(shown.stock).toBe(27)
    const cart = await stack.ok('cart', { action: 'list' }, shopper)
    expect(cart.lines.find((l: any) => l.skuId === ids['250g']).problem).toBe('OFF_SALE')
    expect(refusal(await stack.call('cart', { action: 'add', skuId: ids['250g'], qty: 1 }, shopper))).toMatchObject({ code: 'NOT_FOUND' })
    expect(
      refusal(
        await stack.call('order', { action: 'create', items: [{ productId, skuId: ids['250g'], qty: 1 }], idempotencyKey: key() }, shopper),
      ),
    ).toMatchObject({ code: 'NOT_FOUND' })
    // The order placed before still shows its line.
    const old = (await stack.ok('order', { action: 'get', orderId }, shopper)).order
    expect(old.items[0]).toMatchObject({ skuId: ids['250g'], specText: '250g' })

    // The ledger: the new SKU's opening stock, by whom.
    const changes = (await adminOk('stockChanges', { productId })).items
    expect(changes[0]).toMatchObject({ specText: '500g', delta: 7, stockAfter: 7, reason: '新增规格', actorName: '店长' })
    expect(changes.filter((c: any) => c.reason === '初始库存').map((c: any) => [c.specText, c.delta])).toEqual(
      expect.arrayContaining([
        ['100g', 20],
        ['250g', 8],
      ]),
    )

    // Saved again with 250g: it comes back with its id and stock; the 500g retires.
    const again = (
      await adminOk('saveSkus', {
        productId,
        specGroups: GROUPS,
        skus: [
          { specs: { 规格: '100g' }, priceFen: 4800 },
          { specs: { 规格: '250g' }, priceFen: 10800, stock: 100 },
        ],
      })
    ).product
    expect(again.skus.filter((s: any) => !again.retiredSkuIds.includes(s.id)).map((s: any) => [s.id, s.stock])).toEqual([
      [ids['100g'], 20],
      [ids['250g'], 7],
    ])
    expect(again.retiredSkuIds).toHaveLength(1)
    expect((await stack.ok('cart', { action: 'add', skuId: ids['250g'], qty: 1 }, shopper)).lines.length).toBeGreaterThan(0)
  })

  test('a matrix that does not fit its groups is refused and changes nothing', async () => {
    const before = await adminOk('product', { productId })
    const bad = [
      // a SKU without a value of every group
      { specGroups: GROUPS, skus: [{ specs: {}, priceFen: 100 }] },
      // a value the group does not have
      { specGroups: GROUPS, skus: [{ specs: { 规格: '1kg' }, priceFen: 100 }] },
      // the same combination twice
      {
        specGroups: GROUPS,
        skus: [
          { specs: { 规格: '100g' }, priceFen: 100 },
          { specs: { 规格: '100g' }, priceFen: 200 },
        ],
      },
      // a list price below the price
      { specGroups: GROUPS, skus: [{ specs: { 规格: '100g' }, priceFen: 500, listPriceFen: 400 }] },
      // two groups of one name
      { specGroups: [GROUPS[0], GROUPS[0]], skus: [{ specs: { 规格: '100g' }, priceFen: 100 }] },
      // no groups but two SKUs
      {
        specGroups: [],
        skus: [
          { specs: {}, priceFen: 100 },
          { specs: {}, priceFen: 200 },
        ],
      },
    ]
    for (const m of bad)
      expect(refusal(await adminCall('saveSkus', { productId, ...m }))).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(refusal(await adminCall('saveSkus', { productId: 'p-none', specGroups: [], skus: [{ specs: {}, priceFen: 1 }] }))).toMatchObject(
      {
        code: 'NOT_FOUND',
      },
    )
    expect(await adminOk('product', { productId })).toEqual(before)
  })

  test('a product without specs: its one SKU is matched by {} and keeps its id', async () => {
    const single = await createProduct(stack, admin, { title: '无规格 茶', stock: 3, priceFen: 1000 })
    const [{ id }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [single])
    const { product } = await adminOk('saveSkus', { productId: single, specGroups: [], skus: [{ specs: {}, priceFen: 1200 }] })
    expect(product.skus).toEqual([{ id, specs: {}, specText: '', priceFen: 1200, listPriceFen: null, stock: 3 }])
    expect(product.retiredSkuIds).toEqual([])
  })
})

describe('stock moves', () => {
  test('20 × −1 at once on a stock of 10: exactly 10 succeed, the stock ends at 0, 10 records', async () => {
    const productId = await createProduct(stack, admin, { title: '库存竞争', stock: 10 })
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    const results = await Promise.all(Array.from({ length: 20 }, () => adminCall('adjustStock', { skuId, delta: -1, reason: '盘点损耗' })))
    const ok = results.filter((r) => r.body.ok)
    expect(ok).toHaveLength(10)
    expect(results.filter((r) => !r.body.ok).map((r) => refusal(r)!.code)).toEqual(Array(10).fill('OUT_OF_STOCK'))
    expect(ok.map((r: any) => r.body.data.stock).sort((x: number, y: number) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(await sql(stack, 'SELECT stock FROM skus WHERE id = $1', [skuId])).toEqual([{ stock: 0 }])

    const { items, nextCursor } = await adminOk('stockChanges', { productId })
    expect(nextCursor).toBeNull()
    const moves = items.filter((c: any) => c.reason === '盘点损耗')
    expect(moves).toHaveLength(10)
    expect(moves.every((c: any) => c.delta === -1 && c.actorName === '店长' && c.skuId === skuId)).toBe(true)
    expect(moves.map((c: any) => c.stockAfter).sort((x: number, y: number) => x - y)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    expect(items[items.length - 1]).toMatchObject({ reason: '初始库存', delta: 10, stockAfter: 10 })
  })

  test('a move up, a move past 0 refused with the stock named, bad input refused; only the good move recorded', async () => {
    const productId = await createProduct(stack, admin, { title: '库存调整', stock: 2 })
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    expect(await adminOk('adjustStock', { skuId, delta: 48, reason: '到货入库' })).toEqual({ skuId, stock: 50 })
    expect(refusal(await adminCall('adjustStock', { skuId, delta: -51, reason: '出库' }))).toEqual({
      status: 409,
      code: 'OUT_OF_STOCK',
      message: '库存不足：当前库存 50，不能减少 51',
    })
    expect(refusal(await adminCall('adjustStock', { skuId, delta: 0, reason: '无' }))).toMatchObject({ message: '调整数量不能为 0' })
    expect(refusal(await adminCall('adjustStock', { skuId, delta: 1, reason: '  ' }))).toMatchObject({ message: '请填写调整原因' })
    expect(refusal(await adminCall('adjustStock', { skuId: 'k-none', delta: 1, reason: '到货' }))).toMatchObject({ code: 'NOT_FOUND' })
    expect(refusal(await adminCall('adjustStock', { skuId, delta: 1_000_001, reason: '到货' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    const { items } = await adminOk('stockChanges', { productId })
    expect(items.map((c: any) => [c.delta, c.stockAfter, c.reason])).toEqual([
      [48, 50, '到货入库'],
      [2, 2, '初始库存'],
    ])
    expect((await stack.ok('catalog', { action: 'get', productId }, shopper)).product.stock).toBe(50)
  })

  test('the ledger pages by cursor, newest first', async () => {
    const productId = await createProduct(stack, admin, { title: '库存分页', stock: 0 })
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    for (let i = 1; i <= 25; i++) await adminOk('adjustStock', { skuId, delta: 1, reason: `第${i}次` })
    const first = await adminOk('stockChanges', { productId })
    expect(first.items).toHaveLength(20)
    expect(first.items[0]).toMatchObject({ reason: '第25次', stockAfter: 25 })
    const second = await adminOk('stockChanges', { productId, cursor: first.nextCursor })
    expect(second.items.map((c: any) => c.reason)).toEqual(['第5次', '第4次', '第3次', '第2次', '第1次'])
    expect(second.nextCursor).toBeNull()
  })
})

// ---------------------------------------------------------------------------------------------
// Images
// ---------------------------------------------------------------------------------------------

/** An upload as the console sends it: POST /admin/api/upload, the bytes as the body, as the owner. */
async function upload(bytes: Buffer, mime: string) {
  const res = await fetch(`${stack.url}/admin/api/upload`, {
    method: 'POST',
    headers: { 'content-type': mime, authorization: `Bearer ${admin}` },
    body: bytes,
  })
  const body = (await res.json()) as { ok: true; data: UploadedImage } | { ok: false; error: { code: string; message: string } }
  if (body.ok) return { ok: true as const, image: body.data }
  expect(res.status).toBe(400)
  return { ok: false as const, code: body.error.code, message: body.error.message }
}

async function served(url: string) {
  const res = await fetch(`${stack.url}${url}`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('image/jpeg')
  expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
  const bytes = Buffer.from(await res.arrayBuffer())
  return { bytes, meta: await sharp(bytes).metadata() }
}

/** A photo-like image: noise, so JPEG can't make it trivially small. */
const noise = (width: number, height: number, channels: 3 | 4 = 3) =>
  sharp({ create: { width, height, channels, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } })

const uploadedFiles = () =>
  fs.existsSync(uploadsDir(dataDir))
    ? fs.readdirSync(uploadsDir(dataDir), { recursive: true }).filter((f) => String(f).endsWith('.jpg'))
    : []

describe('image uploads', () => {
  test('a JPEG: 750 px wide and a 360×360 thumbnail, served at the answered URLs; the same image twice is stored once', async () => {
    const jpeg = await noise(1600, 1200).jpeg({ quality: 90 }).toBuffer()
    const r = await upload(jpeg, 'image/jpeg')
    if (!r.ok) throw new Error(r.message)
    expect(r.image).toEqual({
      url: expect.stringMatching(/^\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{32}\.jpg$/),
      thumbUrl: expect.stringMatching(/^\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{32}\.thumb\.jpg$/),
      width: 750,
      height: 563,
    })
    expect(r.image.thumbUrl).toBe(r.image.url.replace(/\.jpg$/, '.thumb.jpg'))
    expect((await served(r.image.url)).meta).toMatchObject({ format: 'jpeg', width: 750, height: 563 })
    expect((await served(r.image.thumbUrl)).meta).toMatchObject({ format: 'jpeg', width: 360, height: 360 })

    const files = uploadedFiles().length
    expect(await upload(jpeg, 'image/jpeg')).toEqual(r)
    expect(uploadedFiles()).toHaveLength(files)
  })

  test('a PNG with transparency: laid on white, never enlarged; a sideways photo turned upright, its metadata gone', async () => {
    const png = await sharp({ create: { width: 300, height: 200, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } } })
      .png()
      .toBuffer()
    const r = await upload(png, 'image/png')
    if (!r.ok) throw new Error(r.message)
    expect(r.image).toMatchObject({ width: 300, height: 200 })
    const full = await served(r.image.url)
    expect(full.meta).toMatchObject({ format: 'jpeg', width: 300, height: 200, hasAlpha: false })
    const { channels } = await sharp(full.bytes).stats()
    expect(channels.slice(0, 3).every((c) => c.min >= 250)).toBe(true)
    expect((await served(r.image.thumbUrl)).meta).toMatchObject({ width: 360, height: 360 })

    // Stored 400×200 with EXIF orientation 6 (shown rotated 90°): upright it is 200×400.
    const sideways = await noise(400, 200).jpeg().withMetadata({ orientation: 6 }).toBuffer()
    expect((await sharp(sideways).metadata()).orientation).toBe(6)
    const turned = await upload(sideways, 'image/jpeg')
    if (!turned.ok) throw new Error(turned.message)
    expect(turned.image).toMatchObject({ width: 200, height: 400 })
    const meta = (await served(turned.image.url)).meta
    expect(meta).toMatchObject({ width: 200, height: 400 })
    expect(meta.orientation).toBeUndefined()
    expect(meta.exif).toBeUndefined()

    const webp = await noise(900, 900).webp().toBuffer()
    const w = await upload(webp, 'image/webp')
    expect(w.ok && w.image).toMatchObject({ width: 750, height: 750 })
  })

  test('anything but a still JPEG, PNG or WebP of at most 40 megapixels is refused and stores nothing', async () => {
    const before = uploadedFiles().length
    const gif = await noise(50, 50).gif().toBuffer()
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><rect width="100" height="100"/></svg>')
    const animated = await sharp([await noise(40, 40).png().toBuffer(), await noise(40, 40).png().toBuffer()], { join: { animated: true } })
      .webp()
      .toBuffer()
    expect((await sharp(animated).metadata()).pages).toBe(2)
    const jpeg = await noise(64, 64).jpeg().toBuffer()
    const cases: Array<[string, Buffer, string, string]> = [
      ['garbage', Buffer.from('definitely not an image'), 'image/jpeg', '无法识别的图片，请上传 JPG、PNG 或 WebP 格式'],
      ['a GIF declared as PNG', gif, 'image/png', '只支持 JPG、PNG 或 WebP 格式的图片'],
      ['a GIF as itself', gif, 'image/gif', '图片须为 JPEG、PNG 或 WebP 格式'],
      ['an SVG declared as PNG', svg, 'image/png', '只支持 JPG、PNG 或 WebP 格式的图片'],
      ['an SVG as itself', svg, 'image/svg+xml', '图片须为 JPEG、PNG 或 WebP 格式'],
      ['an animated WebP', animated, 'image/webp', '不支持动图，请上传静态图片'],
      ['a PNG claiming 10000×5000 pixels', pngClaiming(10000, 5000), 'image/png', '图片尺寸过大（不能超过 4000 万像素）'],
      ['a JPEG cut short', jpeg.subarray(0, Math.floor(jpeg.length / 2)), 'image/jpeg', '图片已损坏，无法读取'],
      ['nothing', Buffer.alloc(0), 'image/jpeg', '请选择要上传的图片'],
    ]
    for (const [what, bytes, mime, message] of cases) {
      expect([what, await upload(bytes, mime)]).toEqual([what, { ok: false, code: 'VALIDATION_FAILED', message }])
    }
    expect(uploadedFiles()).toHaveLength(before)
  })

  test('the host serves only names of the upload shape', async () => {
    for (const p of ['/media/uploads/00/' + '0'.repeat(32) + '.jpg', '/media/uploads/..%2f..%2fpackage.json', '/media/uploads/ab/x.jpg']) {
      expect((await fetch(`${stack.url}${p}`)).status).toBe(404)
    }
  })

  test("the demo shop's gallery went through the same path: lists show the thumbnail, the page the 750-px image", async () => {
    const feed = await stack.ok('catalog', { action: 'list', limit: 50 }, shopper)
    const seeded = feed.items.find((i: any) => i.title === '明前龙井 特级')
    expect(seeded.cover).toMatch(/^\/media\/uploads\/[0-9a-f]{2}\/[0-9a-f]{32}\.thumb\.jpg$/)
    expect((await served(seeded.cover)).meta).toMatchObject({ width: 360, height: 360 })
    const page = (await stack.ok('catalog', { action: 'get', productId: seeded.id }, shopper)).product
    expect(page.images).toHaveLength(2)
    expect(page.images[0]).toBe(seeded.cover.replace('.thumb.jpg', '.jpg'))
    // The art is 600×600: kept at its size, never enlarged to 750.
    expect((await served(page.images[0])).meta).toMatchObject({ width: 600, height: 600 })
    // The cart, an order and the back office's list show the thumbnail too.
    const sku = page.skus[0].id
    const cart = await stack.ok('cart', { action: 'add', skuId: sku, qty: 1 }, shopper)
    expect(cart.lines.find((l: any) => l.skuId === sku).cover).toBe(seeded.cover)
    const { orderId } = await stack.ok(
      'order',
      { action: 'create', items: [{ productId: seeded.id, skuId: sku, qty: 1 }], idempotencyKey: key() },
      shopper,
    )
    expect((await stack.ok('order', { action: 'get', orderId }, shopper)).order.items[0].cover).toBe(seeded.cover)
    const row = (await adminOk('products', { q: seeded.id })).items[0]
    expect(row.cover).toBe(seeded.cover)
  })
})

/** A PNG whose header claims `width`×`height` (its CRC right), with one byte of pixels behind it. */
function pngClaiming(width: number, height: number): Buffer {
  const ihdr = Buffer.alloc(13)
  ihdr.writeUInt32BE(width, 0)
  ihdr.writeUInt32BE(height, 4)
  ihdr.set([8, 2, 0, 0, 0], 8)
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data])
    const len = Buffer.alloc(4)
    len.writeUInt32BE(data.length)
    const crc = Buffer.alloc(4)
    crc.writeUInt32BE(crc32(body))
    return Buffer.concat([len, body, crc])
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(1))),
    chunk('IEND', Buffer.alloc(0)),
  ])
}

function crc32(bytes: Buffer): number {
  let c = ~0
  for (const b of bytes) {
    c ^= b
    for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (0xedb88320 & -(c & 1))
  }
  return ~c >>> 0
}
