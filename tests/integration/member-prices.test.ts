/**
 * 会员价 wherever a price is shown, on a real PostgreSQL (docs/rules.md, 会员价): the cart's lines,
 * product cards and a live room's shelf and 讲解中 card carry `memberPriceFen` only where there is one
 * (no key otherwise), the same for members and everyone else; the cart's total stays the regular
 * prices; a member price the merchant sets reaches a watching room's shelf within one poll.
 */
import { createProduct, sql } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string
/** 岩茶: 50g ¥50 (会员价 ¥45) and 100g ¥90 (none). 白茶: ¥20, no member price. */
let rock: string
let white: string
let rockSkus: Array<{ id: string; specText: string }>
let whiteSku: string
const SPECS = [{ name: '规格', values: ['50g', '100g'] }]

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
  rock = await createProduct(stack, admin, {
    title: '会员岩茶 肉桂',
    specGroups: SPECS,
    skus: [
      { specs: { 规格: '50g' }, priceFen: 5000, memberPriceFen: 4500, stock: 10 },
      { specs: { 规格: '100g' }, priceFen: 9000, stock: 10 },
    ],
  })
  white = await createProduct(stack, admin, { title: '会员白茶 寿眉', priceFen: 2000, stock: 10 })
  const shopper = (await stack.login('mp-lookup')).token
  rockSkus = (await stack.ok('catalog', { action: 'get', productId: rock }, shopper)).product.skus
  whiteSku = (await stack.ok('catalog', { action: 'get', productId: white }, shopper)).product.skus[0].id
}, 90_000)
afterAll(() => stack?.stop())

const { room, users, sync } = liveKit(
  () => stack,
  () => admin,
)
const sku = (specText: string) => rockSkus.find((s) => s.specText === specText)!.id
const byId = (items: any[], id: string): any => items.find((p) => p.id === id)

test('cart lines carry memberPriceFen only where the SKU has one, alike for a member and anyone else; the total stays the regular prices', async () => {
  const [plain, member] = await users(2, 'mp-cart')
  await stack.ok('member', { action: 'joinByPhone', code: 'sandbox-phone:13800138111' }, member!.token)
  for (const u of [plain!, member!]) {
    await stack.ok('cart', { action: 'add', skuId: sku('50g'), qty: 2 }, u.token)
    await stack.ok('cart', { action: 'add', skuId: sku('100g'), qty: 1 }, u.token)
    const cart = await stack.ok('cart', { action: 'add', skuId: whiteSku, qty: 1 }, u.token)
    const line = (skuId: string) => cart.lines.find((l: { skuId: string }) => l.skuId === skuId)
    expect(line(sku('50g'))).toMatchObject({ unitPriceFen: 5000, memberPriceFen: 4500, qty: 2 })
    expect(line(sku('100g'))).toMatchObject({ unitPriceFen: 9000 })
    expect('memberPriceFen' in line(sku('100g'))).toBe(false)
    expect('memberPriceFen' in line(whiteSku)).toBe(false)
    // The server's total is the regular prices (checkout prices the member price).
    expect(cart.selectedFen).toBe(2 * 5000 + 9000 + 2000)
    expect(await stack.ok('cart', { action: 'list' }, u.token)).toEqual(cart)
  }
  // What checkout charges the member: member prices (the cart priced none of it).
  const preview = await stack.ok('order', { action: 'preview', items: [{ productId: rock, skuId: sku('50g'), qty: 2 }] }, member!.token)
  expect(preview).toMatchObject({ isMember: true, goodsFen: 9000, memberSavingFen: 1000 })

  // The merchant clears the member price: the next cart view has no key on that line either.
  await stack.ok(
    'admin',
    {
      action: 'saveSkus',
      productId: rock,
      specGroups: SPECS,
      skus: [
        { specs: { 规格: '50g' }, priceFen: 5000, stock: 10 },
        { specs: { 规格: '100g' }, priceFen: 9000, stock: 10 },
      ],
    },
    admin,
  )
  const after = await stack.ok('cart', { action: 'list' }, plain!.token)
  expect(after.lines.some((l: object) => 'memberPriceFen' in l)).toBe(false)
  await restoreRock()
}, 60_000)

/** 岩茶 as beforeAll made it (50g with 会员价 ¥45). */
async function restoreRock() {
  await stack.ok(
    'admin',
    {
      action: 'saveSkus',
      productId: rock,
      specGroups: SPECS,
      skus: [
        { specs: { 规格: '50g' }, priceFen: 5000, memberPriceFen: 4500, stock: 10 },
        { specs: { 规格: '100g' }, priceFen: 9000, stock: 10 },
      ],
    },
    admin,
  )
}

test('product cards (list, search) carry the lowest member price only when a SKU has one', async () => {
  const { token } = await stack.login('mp-cards')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  expect(byId(items, rock)).toMatchObject({ priceFen: 5000, memberPriceFen: 4500 })
  expect('memberPriceFen' in byId(items, white)).toBe(false)
  const found = (await stack.ok('catalog', { action: 'search', q: '会员' }, token)).items
  expect(found.map((p: { id: string }) => p.id).sort()).toEqual([rock, white].sort())
  expect(byId(found, rock).memberPriceFen).toBe(4500)
  expect('memberPriceFen' in byId(found, white)).toBe(false)
  // The product page keeps its shape: null where none is set.
  expect((await stack.ok('catalog', { action: 'get', productId: white }, token)).product.memberPriceFen).toBeNull()
}, 30_000)

test('a live room’s shelf and 讲解中 card carry the member price where set, alike for every viewer; a member price set while they watch shows at the next poll; a refused save changes nothing', async () => {
  const roomId = await room()
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: white }, admin)
  await stack.ok('admin', { action: 'pushGoods', roomId, productId: rock }, admin) // pinned: 讲解中
  const [plain, member] = await users(2, 'mp-live')
  await stack.ok('member', { action: 'joinByPhone', code: 'sandbox-phone:13800138222' }, member!.token)
  const views = await Promise.all(
    [plain!, member!].map(async (u) => {
      const entered = await stack.ok('live', { action: 'enter', roomId }, u.token)
      return { u, entered, first: await sync(roomId, u.token) }
    }),
  )
  for (const { entered, first } of views) {
    for (const view of [entered.room, first.room]) {
      expect(view.pinned).toMatchObject({ id: rock, priceFen: 5000, memberPriceFen: 4500 })
      expect(byId(view.goods, rock).memberPriceFen).toBe(4500)
      expect('memberPriceFen' in byId(view.goods, white)).toBe(false)
    }
  }
  // Every viewer's shelf is the same.
  expect(views[0]!.first.room.goods).toEqual(views[1]!.first.room.goods)

  // Nothing changed: the poll answers the cursor alone.
  const quiet = await sync(roomId, plain!.token, views[0]!.first.cursor)
  expect(quiet).toEqual({ cursor: views[0]!.first.cursor })

  // A member price below the price that isn't: refused, nothing changes, the poll stays quiet.
  const refused = await stack.call(
    'admin',
    { action: 'saveSkus', productId: white, specGroups: [], skus: [{ specs: {}, priceFen: 2000, memberPriceFen: 2000, stock: 10 }] },
    admin,
  )
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  expect(await sql(stack, 'SELECT member_price_fen FROM skus WHERE product_id = $1', [white])).toEqual([{ member_price_fen: null }])
  expect(await sync(roomId, plain!.token, quiet.cursor)).toEqual({ cursor: quiet.cursor })

  // The merchant gives 白茶 a member price: the next poll brings the shelf with it.
  await stack.ok(
    'admin',
    { action: 'saveSkus', productId: white, specGroups: [], skus: [{ specs: {}, priceFen: 2000, memberPriceFen: 1800, stock: 10 }] },
    admin,
  )
  const next = await sync(roomId, plain!.token, quiet.cursor)
  expect(byId(next.room.goods, white).memberPriceFen).toBe(1800)
  expect(next.room.pinned.memberPriceFen).toBe(4500)
}, 60_000)
