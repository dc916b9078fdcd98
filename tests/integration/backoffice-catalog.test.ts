/**
 * 商品 in the back office: the list and its filters, the SKU matrix (kept / added / retired SKUs),
 * stock moves and their ledger, categories, 上架/下架, and images uploaded through the sharp path
 * (the demo shop's included), served by the host at /media/uploads/.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import { deflateSync } from 'node:zlib'
import pg from 'pg'
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
  // A second owner who never signs in before the seed: the demo seed names them 店主.
  stack = await startStack({ seed: true, env: { DATA_DIR: dataDir, ADMIN_OPENIDS: 'admin,seed-owner' } })
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
    expect(product.skus).toEqual([{ id, specs: {}, specText: '', priceFen: 1200, listPriceFen: null, memberPriceFen: null, stock: 3 }])
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

describe('staff writes racing orders on one product (locks, pool, sums)', () => {
  const COLORS = ['红', '绿', '蓝']
  const matrix = (priceFen: number) => ({
    specGroups: [{ name: '色', values: COLORS }],
    skus: COLORS.map((c) => ({ specs: { 色: c }, priceFen, stock: 1000 })),
  })
  const skuIdsOf = async (productId: string) =>
    (await sql(stack, 'SELECT id FROM skus WHERE product_id = $1 AND retired_at IS NULL ORDER BY id', [productId])).map(
      (r) => r.id as string,
    )
  const shuffled = <T>(xs: T[]) =>
    xs
      .map((x) => ({ x, k: Math.random() }))
      .sort((a, b) => a.k - b.k)
      .map((p) => p.x)

  test('60 orders (half cancelled) with 12 matrix saves and 20 stock moves at once: no deadlock, no 500, stock exact', async () => {
    const productId = await createProduct(stack, admin, { title: '锁序测试', ...matrix(1000) })
    const skus = await skuIdsOf(productId)
    const shoppers = await Promise.all(Array.from({ length: 30 }, (_, i) => stack.login(`lock-order-${i}`).then((l) => l.token)))
    const orderOf = async (token: string, cancel: boolean) => {
      const items = shuffled(skus)
        .slice(0, 1 + Math.floor(Math.random() * 3))
        .map((skuId) => ({ productId, skuId, qty: 1 }))
      const r = await stack.call('order', { action: 'create', items, idempotencyKey: key() }, token)
      if (!r.body.ok || !cancel) return r
      return stack.call('order', { action: 'cancel', orderId: r.body.data.orderId }, token)
    }
    const moves = Array.from({ length: 20 }, (_, i) => ({ skuId: skus[i % 3]!, delta: i % 2 ? 1 : -1 }))
    const results = await Promise.all([
      ...shoppers.flatMap((t) => [orderOf(t, false), orderOf(t, true)]),
      ...Array.from({ length: 12 }, (_, i) => adminCall('saveSkus', { productId, ...matrix(1000 + i) })),
      ...moves.map((m) => adminCall('adjustStock', { ...m, reason: '锁序测试' })),
    ])
    const orders = results.slice(0, 60)
    const staff = results.slice(60)
    expect(orders.filter((r) => !r.body.ok).map(refusal)).toEqual([])
    // A staff write waits its turn on the product, or (held too long) is told to try again: never a 500.
    expect(staff.filter((r) => !r.body.ok && refusal(r)!.code !== 'PRODUCT_BUSY').map(refusal)).toEqual([])
    const moved = new Map<string, number>()
    results.slice(72).forEach((r, i) => {
      if (r.body.ok) moved.set(moves[i]!.skuId, (moved.get(moves[i]!.skuId) ?? 0) + moves[i]!.delta)
    })
    const held = await sql(
      stack,
      `SELECT i.sku_id, sum(i.qty)::int AS n FROM order_items i JOIN orders o ON o.id = i.order_id
       WHERE i.product_id = $1 AND o.status <> 'cancelled' GROUP BY i.sku_id`,
      [productId],
    )
    const heldOf = new Map(held.map((r) => [r.sku_id as string, r.n as number]))
    const stocks = await sql(stack, 'SELECT id, stock FROM skus WHERE product_id = $1', [productId])
    for (const s of stocks) expect([s.id, s.stock]).toEqual([s.id, 1000 + (moved.get(s.id) ?? 0) - (heldOf.get(s.id) ?? 0)])
  }, 60_000)

  test("40 saves and 40 stock moves at once on one product don't drain the pool: answers within bounds, a shopper's list stays quick", async () => {
    const productId = await createProduct(stack, admin, { title: '连接池测试', ...matrix(1000) })
    const skus = await skuIdsOf(productId)
    const writes = Promise.all([
      ...Array.from({ length: 40 }, (_, i) => adminCall('saveSkus', { productId, ...matrix(2000 + i) })),
      ...Array.from({ length: 40 }, (_, i) => adminCall('adjustStock', { skuId: skus[i % 3], delta: 1, reason: '连接池测试' })),
    ])
    await new Promise((r) => setTimeout(r, 300))
    const started = Date.now()
    await stack.ok('catalog', { action: 'list', limit: 10 }, shopper)
    const listMs = Date.now() - started
    const results = await writes
    expect(results.filter((r) => !r.body.ok && refusal(r)!.code !== 'PRODUCT_BUSY').map(refusal)).toEqual([])
    const busy = results.filter((r) => !r.body.ok)
    expect(busy.every((r) => r.status === 409 && refusal(r)!.message === '商品正在被修改，请稍后重试')).toBe(true)
    expect(listMs).toBeLessThan(3_000)
    // Every move that answered ok is in the stock, and only those.
    const okMoves = results.slice(40).filter((r) => r.body.ok).length
    const [{ s }] = await sql(stack, 'SELECT sum(stock)::int AS s FROM skus WHERE product_id = $1', [productId])
    expect(s).toBe(3000 + okMoves)
  }, 60_000)

  test('retired SKUs with huge stock count in no sum: orders and cancels still work, the product stock is its SKUs on offer', async () => {
    // 22 saves of 100 new SKUs with 1,000,000 each: 2.1 billion units on retired SKUs, past PostgreSQL's int.
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`)
    const batch = (n: number) => ({
      specGroups: [
        { name: '批', values: [`b${n}`] },
        { name: '号', values },
        { name: '色', values: ['a', 'b', 'c', 'd', 'e'] },
      ],
      skus: values.flatMap((v) =>
        ['a', 'b', 'c', 'd', 'e'].map((c) => ({ specs: { 批: `b${n}`, 号: v, 色: c }, priceFen: 100, stock: 1_000_000 })),
      ),
    })
    const productId = await createProduct(stack, admin, { title: '退役规格溢出', ...batch(0) })
    for (let n = 1; n <= 22; n++) await adminOk('saveSkus', { productId, ...batch(n) })
    await adminOk('saveSkus', {
      productId,
      specGroups: [{ name: '批', values: ['x'] }],
      skus: [{ specs: { 批: 'x' }, priceFen: 100, stock: 5 }],
    })
    const [{ total }] = await sql(stack, 'SELECT sum(stock)::bigint AS total FROM skus WHERE product_id = $1', [productId])
    expect(Number(total)).toBeGreaterThan(2 ** 31)
    const [skuId] = await skuIdsOf(productId)
    const buyer = (await stack.login('overflow-buyer')).token
    const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, skuId, qty: 2 }], idempotencyKey: key() }, buyer)
    expect((await adminOk('product', { productId })).product.stock).toBe(3)
    await stack.ok('order', { action: 'cancel', orderId }, buyer)
    expect((await adminOk('product', { productId })).product.stock).toBe(5)
  }, 120_000)

  test('a SKU retired while an order waits for its row: the order is refused (商品已下架), nothing taken', async () => {
    const productId = await createProduct(stack, admin, { title: '退役竞争', ...matrix(1000) })
    const [skuId] = await skuIdsOf(productId)
    const buyer = (await stack.login('retire-race-buyer')).token
    // Another transaction holds the SKU's row (as a save retiring it would), then retires it.
    const holder = new pg.Client({ connectionString: stack.databaseUrl })
    await holder.connect()
    try {
      await holder.query('BEGIN')
      await holder.query('SELECT 1 FROM skus WHERE id = $1 FOR NO KEY UPDATE', [skuId])
      const order = stack.call('order', { action: 'create', items: [{ productId, skuId, qty: 1 }], idempotencyKey: key() }, buyer)
      for (let i = 0; i < 100; i++) {
        const [{ n }] = await sql(stack, `SELECT count(*)::int AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'`)
        if (n > 0) break
        await new Promise((r) => setTimeout(r, 50))
      }
      await holder.query('UPDATE skus SET retired_at = now() WHERE id = $1', [skuId])
      await holder.query('COMMIT')
      expect(refusal(await order)).toEqual({ status: 404, code: 'NOT_FOUND', message: '商品已下架' })
    } finally {
      await holder.end()
    }
    expect(await sql(stack, 'SELECT stock FROM skus WHERE id = $1', [skuId])).toEqual([{ stock: 1000 }])
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM order_items WHERE sku_id = $1', [skuId])).toEqual([{ n: 0 }])
  })
})

describe('catalog text and shapes', () => {
  test('spec groups without SKUs are refused: a product nobody could buy is never made', async () => {
    const before = await sql(stack, 'SELECT count(*)::int AS n FROM products')
    const r = await adminCall('createProduct', {
      title: '无规格商品',
      priceFen: 990,
      stock: 5,
      specGroups: [{ name: '色', values: ['红'] }],
    })
    expect(refusal(r)).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' })
    expect(JSON.stringify(r.body)).toContain('有规格的商品须至少填写一个 SKU')
    expect(await sql(stack, 'SELECT count(*)::int AS n FROM products')).toEqual(before)
  })

  test('control and invisible characters: dropped from titles, subtitles, category names and reasons; text empty once cleaned is refused', async () => {
    const productId = await createProduct(stack, admin, { title: '\u200b隐形\u0007字符\u202e', stock: 5, subtitle: '\u202eevil' })
    expect((await adminOk('product', { productId })).product).toMatchObject({ title: '隐形字符', subtitle: 'evil' })
    for (const title of ['\u0001\u0007', '\u200b', ' \u202e ']) {
      expect(refusal(await adminCall('updateProduct', { productId, title }))).toMatchObject({ code: 'VALIDATION_FAILED' })
    }
    await adminOk('updateProduct', { productId, subtitle: '\u202eevil\u0001 twin' })
    expect((await adminOk('product', { productId })).product).toMatchObject({ title: '隐形字符', subtitle: 'evil twin' })

    for (const name of ['\u0001\u0002', '\u200b', '\u2066\u2069']) {
      expect(refusal(await adminCall('saveCategory', { name }))).toMatchObject({ code: 'VALIDATION_FAILED', message: '请输入分类名称' })
    }
    expect((await adminOk('saveCategory', { name: '\u200b清\u0001字类' })).category.name).toBe('清字类')
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    expect(refusal(await adminCall('adjustStock', { skuId, delta: 1, reason: '\u0001' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
      message: '请填写调整原因',
    })
    await adminOk('adjustStock', { skuId, delta: 1, reason: '盘点\u200b补货\n' })
    expect((await adminOk('stockChanges', { productId })).items[0].reason).toBe('盘点补货')
  })
})

describe('uploads and the console files (host)', () => {
  /** Sends the headers of an 8 MiB upload and 1 KiB of its body: the answer, if one comes within 3 s. */
  const earlyAnswer = (headers: Record<string, string>) =>
    new Promise<number | null>((resolve) => {
      const url = new URL(`${stack.url}/admin/api/upload`)
      const req = http.request(
        {
          host: url.hostname,
          port: url.port,
          path: url.pathname,
          method: 'POST',
          headers: { 'content-type': 'image/jpeg', 'content-length': String(8 * 1024 * 1024), ...headers },
        },
        (res) => {
          res.resume()
          clearTimeout(timer)
          resolve(res.statusCode ?? null)
          req.destroy()
        },
      )
      const timer = setTimeout(() => {
        resolve(null)
        req.destroy()
      }, 3_000)
      // Destroyed once answered (or not): its errors then are ours.
      req.on('error', () => undefined)
      req.write(Buffer.alloc(1024))
    })

  test('a bad token or a shopper is refused before the body is read', async () => {
    expect(await earlyAnswer({ authorization: 'Bearer not-a-session-token' })).toBe(401)
    expect(await earlyAnswer({ authorization: `Bearer ${shopper}` })).toBe(403)
  })

  test('images are decoded outside any transaction: uploads in flight hold no connection idle in a transaction', async () => {
    // 36-megapixel photos (each its own, so each is decoded): most of the time of an upload is decoding.
    const big = await Promise.all(
      Array.from({ length: 4 }, (_, i) =>
        sharp({ create: { width: 6000, height: 6000, channels: 3, background: { r: 120 + i, g: 150, b: 140 } } })
          .jpeg({ quality: 95 })
          .toBuffer(),
      ),
    )
    let inFlight = true
    const uploads = Promise.all(big.map((b) => upload(b, 'image/jpeg'))).finally(() => (inFlight = false))
    let most = 0
    while (inFlight) {
      const [{ n }] = await sql(
        stack,
        `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle in transaction'`,
      )
      most = Math.max(most, n)
      await new Promise((r) => setTimeout(r, 20))
    }
    for (const r of await uploads) expect(r.ok).toBe(true)
    expect(most).toBeLessThan(3)
  }, 60_000)

  test('a path with a NUL answers 404, not 500', async () => {
    for (const p of ['/admin/%00', '/admin/assets%00.js']) expect([p, (await fetch(`${stack.url}${p}`)).status]).toEqual([p, 404])
  })
})

describe('retries and one-call saves (review round 2)', () => {
  const productsTitled = async (title: string) => (await sql(stack, 'SELECT id, on_sale FROM products WHERE title = $1', [title])) as any[]

  test('createProduct: five copies of one call with one key at once make one product and all answer it; the key reused differently is refused', async () => {
    const k = key()
    const input = { title: '幂等创建 白茶', priceFen: 4900, stock: 6, idempotencyKey: k }
    const results = await Promise.all(Array.from({ length: 5 }, () => adminCall('createProduct', input)))
    expect(results.map((r) => r.body.ok)).toEqual(Array(5).fill(true))
    const ids = new Set(results.map((r: any) => r.body.data.productId))
    expect(ids.size).toBe(1)
    const rows = await productsTitled('幂等创建 白茶')
    expect(rows.map((r) => r.id)).toEqual([...ids])
    // A retry later (the response was lost) answers the same product and records no second opening stock.
    expect(await adminOk('createProduct', { ...input, title: '  幂等创建 白茶 ' })).toEqual({ productId: rows[0].id })
    expect((await adminOk('stockChanges', { productId: rows[0].id })).items).toHaveLength(1)
    expect(refusal(await adminCall('createProduct', { ...input, priceFen: 5900 }))).toMatchObject({
      status: 409,
      code: 'IDEMPOTENCY_KEY_REUSED',
    })
    expect(await productsTitled('幂等创建 白茶')).toHaveLength(1)
    // Another caller's key is theirs: the same key from another staff member is a new request.
    await adminOk('setStaff', { openid: 'key-operator', role: 'operator' })
    const operator = (await stack.login('key-operator', '运营小王')).token
    const theirs = await stack.ok<any>('admin', { action: 'createProduct', ...input }, operator)
    expect(theirs.productId).not.toBe(rows[0].id)
    // Bad keys are refused; without a key every call creates (unchanged for API callers).
    expect(refusal(await adminCall('createProduct', { ...input, idempotencyKey: 'short' }))).toMatchObject({ code: 'VALIDATION_FAILED' })
    // A key of blanks or with a control character is no key: refused, nothing made.
    for (const bad of [' '.repeat(8), '\t'.repeat(10), 'abcd efgh', 'abcdefgh\u0000']) {
      expect(refusal(await adminCall('createProduct', { ...input, title: '坏键创建', idempotencyKey: bad }))).toMatchObject({
        code: 'VALIDATION_FAILED',
      })
    }
    expect(await productsTitled('坏键创建')).toHaveLength(0)
    await createProduct(stack, admin, { title: '无键创建', stock: 1 })
    await createProduct(stack, admin, { title: '无键创建', stock: 1 })
    expect(await productsTitled('无键创建')).toHaveLength(2)
  })

  test('adjustStock: five copies of one move with one key at once move the stock once; the key reused differently is refused', async () => {
    const productId = await createProduct(stack, admin, { title: '幂等调库存', stock: 10 })
    const [{ id: skuId }] = await sql(stack, 'SELECT id FROM skus WHERE product_id = $1', [productId])
    const move = { skuId, delta: 5, reason: '到货入库', idempotencyKey: key() }
    const results = await Promise.all(Array.from({ length: 5 }, () => adminCall('adjustStock', move)))
    expect(results.map((r: any) => r.body.data)).toEqual(Array(5).fill({ skuId, stock: 15 }))
    expect(await adminOk('adjustStock', move)).toEqual({ skuId, stock: 15 })
    expect(await sql(stack, 'SELECT stock FROM skus WHERE id = $1', [skuId])).toEqual([{ stock: 15 }])
    expect(refusal(await adminCall('adjustStock', { ...move, delta: 6 }))).toMatchObject({ status: 409, code: 'IDEMPOTENCY_KEY_REUSED' })
    const { items } = await adminOk('stockChanges', { productId })
    expect(items.map((c: any) => [c.delta, c.reason])).toEqual([
      [5, '到货入库'],
      [10, '初始库存'],
    ])
    // A refused move leaves its key free: the same key with a move that fits then goes through once.
    const k = key()
    expect(refusal(await adminCall('adjustStock', { skuId, delta: -99, reason: '出库', idempotencyKey: k }))).toMatchObject({
      code: 'OUT_OF_STOCK',
    })
    expect(await adminOk('adjustStock', { skuId, delta: -1, reason: '出库', idempotencyKey: k })).toEqual({ skuId, stock: 14 })
    // Eight spaces are not a key: refused, the stock unmoved.
    expect(refusal(await adminCall('adjustStock', { skuId, delta: 1, reason: '入库', idempotencyKey: ' '.repeat(8) }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    expect(await sql(stack, 'SELECT stock FROM skus WHERE id = $1', [skuId])).toEqual([{ stock: 14 }])
  })

  test('createProduct status: off keeps the new product out of the mall (放入仓库); the default is on', async () => {
    const off = await createProduct(stack, admin, { title: '仓库中 新茶', stock: 3, status: 'off' })
    const on = await createProduct(stack, admin, { title: '立即上架 新茶', stock: 3 })
    expect((await adminOk('product', { productId: off })).product.status).toBe('off')
    expect((await adminOk('product', { productId: on })).product.status).toBe('on')
    expect(refusal(await stack.call('catalog', { action: 'get', productId: off }, shopper))).toMatchObject({ code: 'NOT_FOUND' })
    expect((await stack.ok('catalog', { action: 'get', productId: on }, shopper)).product.id).toBe(on)
    expect(refusal(await adminCall('createProduct', { title: '坏状态', priceFen: 100, stock: 1, status: 'maybe' }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
  })

  test('updateProduct with `matrix`: fields and matrix saved by one call; a refusal of either saves neither', async () => {
    const productId = await createProduct(stack, admin, {
      title: '一次保存 红茶',
      specGroups: [{ name: '规格', values: ['50g'] }],
      skus: [{ specs: { 规格: '50g' }, priceFen: 2000, stock: 4 }],
    })
    const matrix = {
      specGroups: [{ name: '规格', values: ['50g', '100g'] }],
      skus: [
        { specs: { 规格: '50g' }, priceFen: 2200 },
        { specs: { 规格: '100g' }, priceFen: 3900, stock: 9 },
      ],
    }
    expect(await adminOk('updateProduct', { productId, title: '一次保存 红茶 新版', matrix })).toEqual({ productId })
    const { product } = await adminOk('product', { productId })
    expect(product.title).toBe('一次保存 红茶 新版')
    expect(product.skus.map((s: any) => [s.specText, s.priceFen, s.stock])).toEqual([
      ['50g', 2200, 4],
      ['100g', 3900, 9],
    ])
    // A matrix that doesn't fit its groups: the title is not saved either.
    const badMatrix = { specGroups: matrix.specGroups, skus: [{ specs: { 规格: '1kg' }, priceFen: 100 }] }
    expect(refusal(await adminCall('updateProduct', { productId, title: '不该保存', matrix: badMatrix }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    // A field refused (an unknown category) after a good matrix: the matrix is not saved either.
    const priceOnly = { specGroups: [{ name: '规格', values: ['50g'] }], skus: [{ specs: { 规格: '50g' }, priceFen: 1 }] }
    expect(refusal(await adminCall('updateProduct', { productId, categoryId: 'c-none', matrix: priceOnly }))).toMatchObject({
      code: 'VALIDATION_FAILED',
    })
    const after = (await adminOk('product', { productId })).product
    expect(after.title).toBe('一次保存 红茶 新版')
    expect(after.skus.map((s: any) => s.priceFen)).toEqual([2200, 3900])
    expect(after.retiredSkuIds).toEqual([])
    // admin.saveSkus still works on its own.
    expect((await adminOk('saveSkus', { productId, ...priceOnly })).product.retiredSkuIds).toHaveLength(1)
  })

  test('admin.users: the owner finds a signed-in user by nickname, openid or user id; nobody else may look', async () => {
    const who = await stack.login('lookup-openid-1', '查找测试%阿明')
    await stack.login('lookup-openid-2', '查找测试阿红')
    const found = await adminOk('users', { q: '查找测试' })
    expect(found.items.map((u: any) => u.nickname).sort()).toEqual(['查找测试%阿明', '查找测试阿红'].sort())
    expect((await adminOk('users', { q: 'lookup-openid-1' })).items).toEqual([
      { userId: who.user.id, openid: 'lookup-openid-1', nickname: '查找测试%阿明' },
    ])
    expect((await adminOk('users', { q: who.user.id })).items.map((u: any) => u.openid)).toEqual(['lookup-openid-1'])
    // LIKE's wildcards are plain characters: '%' finds the nickname holding one, not everyone.
    expect((await adminOk('users', { q: '%' })).items.map((u: any) => u.openid)).toEqual(['lookup-openid-1'])
    expect((await adminOk('users', { q: '没有这个人' })).items).toEqual([])
    expect(refusal(await adminCall('users', { q: '  ' }))).toMatchObject({ code: 'VALIDATION_FAILED' })
    await adminOk('setStaff', { openid: 'key-operator', role: 'operator' })
    const operator = (await stack.login('key-operator')).token
    expect(refusal(await stack.call('admin', { action: 'users', q: '查找' }, operator))).toMatchObject({ code: 'FORBIDDEN' })
    expect(refusal(await stack.call('admin', { action: 'users', q: '查找' }, shopper))).toMatchObject({ code: 'FORBIDDEN' })
  })

  test('the demo seed names an owner who had not signed in 店主; a new shopper keeps the default nickname', async () => {
    expect(await sql(stack, 'SELECT nickname FROM users WHERE openid = $1', ['seed-owner'])).toEqual([{ nickname: '店主' }])
    const fresh = await stack.login('nick-default-x1')
    expect(fresh.user.nickname).not.toBe('店主')
    expect(fresh.user.nickname.startsWith('微信用户')).toBe(true)
  })
})
