/**
 * The product page's data on a real PostgreSQL: detail images and the parameter table as the
 * merchant sets them (and refuses them), 已售 as paid orders move it, and a product share link
 * naming the sharer of the friend's order.
 */
import { createProduct, key, payOrder, postNotify, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const SPECS = [
  { name: '产地', value: '浙江杭州' },
  { name: '净含量', value: '250g' },
  { name: '保质期', value: '18 个月' },
  { name: '储存方式', value: '密封、避光、冷藏' },
]

const get = async (productId: string, token: string) => (await stack.ok('catalog', { action: 'get', productId }, token)).product

test('detail images and the parameter table round-trip through create and update', async () => {
  const shopper = (await stack.login('details-shopper')).token
  const productId = await createProduct(stack, admin, { stock: 5, detailImages: ['/media/art/100/产地.svg?wide=1'], specs: SPECS })
  expect(await get(productId, shopper)).toMatchObject({ detailImages: ['/media/art/100/产地.svg?wide=1'], specs: SPECS, soldCount: 0 })

  // Without them a product has none (not null).
  const plain = await createProduct(stack, admin, { stock: 5 })
  expect(await get(plain, shopper)).toMatchObject({ detailImages: [], specs: [] })

  // An update changes what it names and keeps the rest.
  await stack.ok('admin', { action: 'updateProduct', productId, specs: [{ name: '产地', value: '  福建福鼎 ' }] }, admin)
  expect(await get(productId, shopper)).toMatchObject({
    title: '测试茶',
    detailImages: ['/media/art/100/产地.svg?wide=1'],
    specs: [{ name: '产地', value: '福建福鼎' }],
  })
  const images = Array.from({ length: 20 }, (_, i) => `https://cdn.example.com/d/${i}.jpg`)
  await stack.ok('admin', { action: 'updateProduct', productId, detailImages: images, title: '白牡丹' }, admin)
  expect(await get(productId, shopper)).toMatchObject({
    title: '白牡丹',
    detailImages: images,
    specs: [{ name: '产地', value: '福建福鼎' }],
  })
  await stack.ok('admin', { action: 'updateProduct', productId, detailImages: [], specs: [] }, admin)
  expect(await get(productId, shopper)).toMatchObject({ detailImages: [], specs: [] })
})

test('bad details are refused with the field named, and change nothing', async () => {
  const shopper = (await stack.login('details-bad')).token
  const productId = await createProduct(stack, admin, { stock: 5, specs: SPECS })
  const before = await get(productId, shopper)
  const [{ n: productsBefore }] = await sql(stack, 'SELECT count(*)::int AS n FROM products')
  const tooMany = Array.from({ length: 21 }, (_, i) => `/media/${i}.png`)
  const rows = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `参数${i}`, value: '值' }))
  const bad: Array<[Record<string, unknown>, string]> = [
    [{ detailImages: tooMany }, 'detailImages'],
    [{ detailImages: [''] }, 'detailImages'],
    [{ detailImages: ['x'.repeat(501)] }, 'detailImages'],
    [{ specs: rows(31) }, 'specs'],
    [{ specs: [{ name: '', value: '250g' }] }, 'specs'],
    [{ specs: [{ name: '净含量', value: '   ' }] }, 'specs'],
    [{ specs: [{ name: '名'.repeat(21), value: '250g' }] }, 'specs'],
    [{ specs: [{ name: '产地', value: '值'.repeat(201) }] }, 'specs'],
    [
      {
        specs: [
          { name: '产地', value: '杭州' },
          { name: '产地', value: '福鼎' },
        ],
      },
      'specs',
    ],
    [{ specs: [{ name: '产地' }] }, 'specs'],
  ]
  for (const [fields, field] of bad) {
    for (const action of ['createProduct', 'updateProduct']) {
      const input =
        action === 'createProduct' ? { action, title: '坏茶', priceFen: 990, stock: 1, ...fields } : { action, productId, ...fields }
      const r = await stack.call('admin', input, admin)
      expect(r.status).toBe(400)
      expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
      expect(JSON.stringify(r.body)).toContain(field)
    }
  }
  // Two rows with one name: the merchant is told so in Chinese.
  const duplicate = await stack.call(
    'admin',
    {
      action: 'updateProduct',
      productId,
      specs: [
        { name: '产地', value: '杭州' },
        { name: '产地', value: '福鼎' },
      ],
    },
    admin,
  )
  expect((duplicate.body as any).error.details).toEqual([{ path: 'specs.1.name', message: '参数名称重复（全角半角视为相同）' }])
  // Exactly 30 rows and 20 images are fine.
  await stack.ok('admin', { action: 'updateProduct', productId, specs: rows(30) }, admin)
  await stack.ok('admin', { action: 'updateProduct', productId, specs: before.specs }, admin)
  expect(await get(productId, shopper)).toEqual(before)
  const [{ n: productsAfter }] = await sql(stack, 'SELECT count(*)::int AS n FROM products')
  expect(productsAfter).toBe(productsBefore)

  // Only staff update products, and only products that exist.
  expect((await stack.call('admin', { action: 'updateProduct', productId, title: '改名' }, shopper)).status).toBe(403)
  expect((await stack.call('admin', { action: 'updateProduct', productId: 'p_nothing', title: '改名' }, admin)).body).toMatchObject({
    ok: false,
    error: { code: 'NOT_FOUND' },
  })
  expect((await get(productId, shopper)).title).toBe('测试茶')
})

test('images come only from our media, https:// or cloud://, at least one; spec names alike after width folding and control characters are refused, in Chinese', async () => {
  const productId = await createProduct(stack, admin, { stock: 5, images: ['/media/art/120/茶.svg'] })
  const refused = async (fields: Record<string, unknown>, message: string) => {
    for (const input of [
      { action: 'createProduct', title: '坏图', priceFen: 990, stock: 1, ...fields },
      { action: 'updateProduct', productId, ...fields },
    ]) {
      const r = await stack.call('admin', input, admin)
      expect([input.action, r.status]).toEqual([input.action, 400])
      expect(r.body).toMatchObject({
        ok: false,
        error: { code: 'VALIDATION_FAILED', details: expect.arrayContaining([expect.objectContaining({ message })]) },
      })
    }
  }
  const where = '图片须为本店图片（/media/…）、https:// 链接或云存储文件（cloud://…）'
  for (const image of [
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://example.com/a.png',
    '../../etc/passwd',
    '/media/../../etc/passwd',
    '/media/%2e%2e/secret',
    'https://example.com/a b.png',
  ]) {
    await refused({ images: [image] }, where)
    await refused({ detailImages: [image] }, where)
  }
  await refused({ images: [] }, '至少需要一张商品图片')
  await refused(
    {
      specs: [
        { name: 'ABC', value: '1' },
        { name: 'ＡＢＣ', value: '2' },
      ],
    },
    '参数名称重复（全角半角视为相同）',
  )
  await refused({ specs: [{ name: '产地', value: '杭州\n西湖' }] }, '不能包含换行或控制字符')
  await refused({ specs: [{ name: '产\u0007地', value: '杭州' }] }, '不能包含换行或控制字符')
  const groups = (specGroups: unknown) =>
    stack.call(
      'admin',
      { action: 'createProduct', title: '坏规格', specGroups, skus: [{ specs: { 规格: '小罐' }, priceFen: 100, stock: 1 }] },
      admin,
    )
  for (const [specGroups, message] of [
    [[{ name: '规格', values: ['小罐', 'ＸＬ', 'XL'] }], '规格值重复（全角半角视为相同）'],
    [
      [
        { name: '规格', values: ['小罐'] },
        { name: '规格', values: ['小罐'] },
      ],
      '规格名称重复（全角半角视为相同）',
    ],
    [[{ name: '规格', values: ['小\n罐'] }], '不能包含换行或控制字符'],
  ] as const) {
    const r = await groups(specGroups)
    expect(r.body).toMatchObject({ ok: false, error: { details: expect.arrayContaining([expect.objectContaining({ message })]) } })
  }
  // What the shop uses is accepted: its media (encoded or not, with a query), https:// and cloud:// files.
  const ok = [
    '/media/art/120/%E8%8C%B6.svg',
    '/media/art/100/产地.svg?wide=1',
    'https://cdn.example.com/tea/1.jpg',
    'cloud://prod-1a2b/products/1.jpg',
  ]
  await stack.ok('admin', { action: 'updateProduct', productId, images: ok, detailImages: ok }, admin)
  const shopper = (await stack.login('images-shopper')).token
  expect(await get(productId, shopper)).toMatchObject({ cover: ok[0], images: ok, detailImages: ok })
})

test('已售 counts units of paid orders: not pending or cancelled ones, and a refund takes them back', async () => {
  const productId = await createProduct(stack, admin, {
    specGroups: [{ name: '规格', values: ['小罐', '大罐'] }],
    skus: [
      { specs: { 规格: '小罐' }, priceFen: 990, stock: 50 },
      { specs: { 规格: '大罐' }, priceFen: 1990, stock: 50 },
    ],
  })
  const [small, large] = (await get(productId, admin)).skus
  const buyer = await stack.login('sold-buyer')
  const { address } = await saveAddress(stack, buyer.token)
  const order = async (items: Array<{ skuId: string; qty: number }>) =>
    (
      await stack.ok(
        'order',
        { action: 'create', items: items.map((i) => ({ productId, ...i })), idempotencyKey: key(), addressId: address.id },
        buyer.token,
      )
    ).orderId as string
  const sold = async () => (await get(productId, buyer.token)).soldCount

  const paid = await order([
    { skuId: small.id, qty: 2 },
    { skuId: large.id, qty: 1 },
  ])
  const cancelled = await order([{ skuId: small.id, qty: 4 }])
  await order([{ skuId: large.id, qty: 5 }]) // left pending
  expect(await sold()).toBe(0)
  expect((await payOrder(stack, buyer.token, paid)).answer.code).toBe('SUCCESS')
  expect(await sold()).toBe(3)
  // The shopper starts paying, then cancels; the money arriving after the cancel is refunded, never sold.
  const { payment } = await stack.ok('order', { action: 'pay', orderId: cancelled }, buyer.token)
  await stack.ok('order', { action: 'cancel', orderId: cancelled }, buyer.token)
  expect(await sold()).toBe(3)
  await postNotify(payment.notifyUrl, payment.body)
  expect((await stack.ok('order', { action: 'get', orderId: cancelled }, buyer.token)).order.status).toBe('cancelled')
  expect(await sold()).toBe(3)
  // Shipping moves nothing; the merchant's refund takes the 3 back.
  await stack.ok('admin', { action: 'ship', orderId: paid, carrier: '顺丰速运', trackingNo: 'SF1234567890' }, admin)
  expect(await sold()).toBe(3)
  await stack.ok('admin', { action: 'refund', orderId: paid, reason: '客户退货' }, admin)
  expect(await sold()).toBe(0)
})

test('已售 is exact when many orders of one product are paid at once', async () => {
  const productId = await createProduct(stack, admin, { stock: 100 })
  const buyers = await Promise.all(Array.from({ length: 12 }, (_, i) => stack.login(`sold-racer-${i}`)))
  const orders = await Promise.all(
    buyers.map(async (b, i) => {
      await saveAddress(stack, b.token)
      const { orderId } = await stack.ok(
        'order',
        { action: 'create', items: [{ productId, qty: 1 + (i % 3) }], idempotencyKey: key() },
        b.token,
      )
      return { token: b.token, orderId: orderId as string }
    }),
  )
  // Each notify twice, all at once: paid exactly once each.
  await Promise.all(orders.flatMap((o) => [payOrder(stack, o.token, o.orderId), payOrder(stack, o.token, o.orderId)]))
  const expected = buyers.reduce((sum, _, i) => sum + 1 + (i % 3), 0)
  expect((await get(productId, admin)).soldCount).toBe(expected)
  const [{ s }] = await sql(stack, 'SELECT sold_count AS s FROM products WHERE id = $1', [productId])
  expect(s).toBe(expected)
}, 60_000)

test('a product share link credits the sharer with the friend’s order and its commission, never the friend', async () => {
  const productId = await createProduct(stack, admin, { priceFen: 10000, stock: 10, commissionRate: 0.1 })
  const [sharer, friend] = await Promise.all([stack.login('product-sharer'), stack.login('product-friend')])
  await saveAddress(stack, friend.token)
  // The page's share path carries the sharer's id; the friend opening it loads the product with it.
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, friend.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key(), sharerId: friend.user.id },
    friend.token,
  )
  expect((await stack.ok('order', { action: 'get', orderId }, friend.token)).order.sharerId).toBe(sharer.user.id)
  expect((await payOrder(stack, friend.token, orderId)).answer.code).toBe('SUCCESS')
  // 10% of ¥200, pending until the refund window passes.
  expect(await stack.ok('earnings', { action: 'mine' }, sharer.token)).toMatchObject({ pendingFen: 2000, settledFen: 0 })
  expect(await stack.ok('earnings', { action: 'mine' }, friend.token)).toMatchObject({ pendingFen: 0, settledFen: 0 })

  // The sharer opening their own link, or a link naming no user, records nothing.
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, sharer.token)
  await stack.ok('catalog', { action: 'get', productId, sharerId: 'u_nobody' }, friend.token)
  const touches = await sql(stack, 'SELECT user_id, sharer_id FROM share_touches WHERE sharer_id = $1 OR user_id = $1', [sharer.user.id])
  expect(touches).toEqual([{ user_id: friend.user.id, sharer_id: sharer.user.id }])
})
