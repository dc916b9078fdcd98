/**
 * The checkout draft on the built weapp, against a real seeded stack: its idempotency key and its
 * unpaid order outlive the page (left mid-payment and opened again), and an unpaid close says so.
 */
import { daysFromNow, jobsFor } from '../helpers/jobs'
import { payOrder, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, elements, fire, loadPage, newLog, unloadPage } from '../helpers/weapp'

let stack: Stack
let tea: { id: string }

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  tea = items.find((p: { title: string }) => p.title === '福鼎白茶 白牡丹 150g')
}, 90_000)
afterAll(() => stack?.stop())

const storedDrafts = () => Object.values((globalThis as any).wx.getStorageSync('weshop.checkoutDrafts') || {}) as Array<{ key: string }>
const myOrders = async () =>
  sql(stack, `SELECT id, status, idempotency_key AS key FROM orders WHERE user_id = $1 ORDER BY created_at`, [
    (await stack.ok('auth', { action: 'me' }, appToken())).user.id,
  ])

test('left mid-payment and opened again, the checkout offers the one unpaid order; 暂不支付 shows it 待付款 with its countdown; paid, the draft is new', async () => {
  const log = newLog()
  const query = { items: `${tea.id}~~1` }
  let page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('福鼎白茶 白牡丹 150g', '¥99.00', '+ 添加收货地址')
  await saveAddress(stack, appToken())
  unloadPage(page)

  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '提交订单')
  page.tapText('提交订单')
  // The order is placed: its countdown shows behind the pay sheet.
  await page.waitForText('模拟支付', '确认支付', '你有一笔待付款订单')
  // The shopper leaves with the pay sheet open: the page says the order waits, and for how long.
  unloadPage(page)
  expect(log.toasts.at(-1)).toMatch(/^订单待付款，请在 1[45]:\d\d 内完成支付$/)
  const [placed] = await myOrders()
  expect(placed).toMatchObject({ status: 'pending_payment' })
  // The draft's key is the one the order was placed with.
  expect(storedDrafts().map((d) => d.key)).toEqual([placed.key])

  // Opened again: no second order; the waiting one is offered with its countdown.
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  const text = await page.waitForText('你有一笔待付款订单', '¥99.00', '去支付', '查看订单')
  expect(text).toMatch(/剩余 1[45]:\d\d，超时将自动取消/)
  expect(text).not.toContain('提交订单')
  page.tapText('去支付')
  await page.waitForText('模拟支付', '暂不支付')
  page.tapText('暂不支付')
  // Closing the sheet unpaid lands on the order, told it waits for payment.
  await until(() => log.navigateTo.find((u) => u === `/packages/order/detail/index?id=${placed.id}`))
  expect(log.toasts.at(-1)).toMatch(/^订单待付款，请在 1[45]:\d\d 内完成支付$/)
  unloadPage(page)
  const detail = loadPage('packages/order/detail/index', { id: placed.id }, { apiBase: stack.url, log })
  expect(await detail.waitForText('待付款', '去支付')).toMatch(/剩余 1[45]:\d\d/)
  expect(await myOrders()).toEqual([expect.objectContaining({ id: placed.id, status: 'pending_payment' })])

  // Paid from the order page: the next checkout of the same goods is a new purchase with a new key.
  detail.tapText('去支付')
  await detail.waitForText('模拟支付', '确认支付')
  detail.tapText('确认支付')
  await detail.waitForText('待发货')
  unloadPage(detail)
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '提交订单')
  expect(page.text()).not.toContain('你有一笔待付款订单')
  expect(storedDrafts()).toEqual([])
  page.tapText('提交订单')
  await page.waitForText('模拟支付')
  const orders = await myOrders()
  expect(orders.map((o: { status: string }) => o.status)).toEqual(['paid', 'pending_payment'])
  expect(orders[1].key).not.toBe(placed.key)
  unloadPage(page)
}, 90_000)

test('a changed draft is a new order: another address or a coupon turns 去支付 into 提交订单 with its own breakdown; the banner names the old order’s address and amount', async () => {
  const log = newLog()
  const token = appToken()
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  let other: { id: string; priceFen: number } | undefined
  for (const p of items.filter((i: { id: string }) => i.id !== tea.id)) {
    const { product } = await stack.ok('catalog', { action: 'get', productId: p.id }, token)
    if (product.skus.length === 1 && product.skus[0].stock > 10) {
      other = { id: product.id, priceFen: product.skus[0].priceFen }
      break
    }
  }
  const price = `¥${(other!.priceFen / 100).toFixed(2)}`
  const less5 = `¥${((other!.priceFen - 500) / 100).toFixed(2)}`
  await stack.ok(
    'address',
    { action: 'save', name: '韩梅梅', phone: '13700137000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' },
    token,
  )
  const admin = (await stack.login('admin')).token
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '结算立减5元', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1 },
    admin,
  )
  const query = { items: `${other!.id}~~1` }
  const before = (await myOrders()).length

  // 立即购买 → 提交订单 → 暂不支付.
  let page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('李雷 13900000000', '提交订单')
  page.tapText('提交订单')
  await page.waitForText('模拟支付', '暂不支付')
  page.tapText('暂不支付')
  await until(() => log.navigateTo.some((u) => u.startsWith('/packages/order/detail/index?id=')))
  unloadPage(page)
  const first = (await myOrders()).at(-1)
  expect((await myOrders()).length).toBe(before + 1)

  // 立即购买 again: the waiting order is offered with its own amount.
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  let text = await page.waitForText('你有一笔待付款订单', '去支付', `实付 ${price}`)
  expect(text).not.toContain('提交订单')

  // Another address: the page shows it, the submit is a new order's, the banner names the old order's address.
  page.tapText('李雷 13900000000')
  expect(log.navigateTo.at(-1)).toBe('/packages/order/address/index?pick=1')
  const picker = loadPage('packages/order/address/index', { pick: '1' }, { apiBase: stack.url, log })
  await picker.waitForText('韩梅梅 13700137000')
  picker.tapText('韩梅梅 13700137000')
  unloadPage(picker)
  page.instance.onShow()
  text = await page.waitForText('韩梅梅 13700137000', '提交订单', '你有一笔待付款订单', '寄往 李雷 上海市浦东新区世纪大道 100 号')
  expect(text).toContain(`商品金额${price}`)
  expect(text).toContain(`实付 ${price}`)
  page.tapText('提交订单')
  await page.waitForText('模拟支付', '暂不支付')
  const afterAddress = await sql(
    stack,
    `SELECT id, idempotency_key AS key, address->>'name' AS name, payable_fen FROM orders WHERE id <> $1 ORDER BY created_at DESC LIMIT 1`,
    [first.id],
  )
  expect(afterAddress[0]).toMatchObject({ name: '韩梅梅', payable_fen: other!.priceFen })
  expect(afterAddress[0].key).not.toBe(first.key)
  page.tapText('暂不支付')
  await until(() => log.navigateTo.at(-1) === `/packages/order/detail/index?id=${afterAddress[0].id}`)
  unloadPage(page)

  // Opened again, its draft (韩梅梅) is back with its order; picking the coupon makes it a new draft again.
  await stack.ok('coupon', { action: 'claim', couponId }, token)
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  await page.waitForText('韩梅梅 13700137000', '你有一笔待付款订单', '去支付')
  page.tapText('1 张可用 ›')
  await page.waitForText('选择优惠券', '结算立减5元')
  page.tapText('结算立减5元')
  text = await page.waitForText('-¥5.00', '提交订单')
  // The breakdown adds up: goods, the coupon, what the new order pays.
  expect(text).toContain(`商品金额${price}`)
  expect(text).toContain(`实付 ${less5}`)
  page.tapText('提交订单')
  await page.waitForText('模拟支付', '暂不支付')
  const withCoupon = await sql(
    stack,
    `SELECT o.id, o.payable_fen, o.address->>'name' AS name, c.status FROM orders o JOIN user_coupons c ON c.order_id = o.id WHERE c.coupon_id = $1`,
    [couponId],
  )
  expect(withCoupon).toEqual([{ id: expect.any(String), payable_fen: other!.priceFen - 500, name: '韩梅梅', status: 'locked' }])
  // Each draft made its own order; the first ones still wait, unchanged.
  const mine = await sql(
    stack,
    `SELECT id, status, payable_fen, address->>'name' AS name FROM orders WHERE id = ANY($1) ORDER BY created_at`,
    [[first.id, afterAddress[0].id, withCoupon[0].id]],
  )
  expect(mine.map((o: any) => [o.status, o.payable_fen, o.name])).toEqual([
    ['pending_payment', other!.priceFen, '李雷'],
    ['pending_payment', other!.priceFen, '韩梅梅'],
    ['pending_payment', other!.priceFen - 500, '韩梅梅'],
  ])
  page.tapText('暂不支付')
  await until(() => log.navigateTo.at(-1) === `/packages/order/detail/index?id=${withCoupon[0].id}`)
  unloadPage(page)

  // Opened again: that draft (韩梅梅, the coupon its order holds) is back and offered; a note makes it a new draft.
  page = loadPage('packages/order/checkout/index', query, { apiBase: stack.url, log })
  text = await page.waitForText('韩梅梅 13700137000', '你有一笔待付款订单', '去支付', '-¥5.00', `实付 ${less5}`)
  expect(text).not.toContain('提交订单')
  const noteInput = elements(page).find((e) => /\bcheckout__note-input\b/.test(e.className))!
  fire(noteInput, 'input', { value: '请周末送', cursor: 4, keyCode: 0 })
  text = await page.waitForText('提交订单', `寄往 韩梅梅`)
  // The coupon is held by the waiting order: the new draft's breakdown is priced without it and adds up.
  expect(text).toContain(`商品金额${price}`)
  expect(text).toContain(`实付 ${price}`)
  unloadPage(page)
}, 90_000)

test('checkout with points: a member with points sees 会员价已省 and 积分抵扣 (off until switched on), switches it on, submits, and pays what was shown, also after a reload', async () => {
  const log = newLog()
  // The app signs in at its first page (when this test runs alone), with an address to ship to.
  const warm = loadPage('packages/order/checkout/index', { items: `${tea.id}~~1` }, { apiBase: stack.url, log })
  await warm.waitForText('福鼎白茶 白牡丹 150g')
  unloadPage(warm)
  const token = appToken()
  if ((await stack.ok('address', { action: 'list' }, token)).items.length === 0) await saveAddress(stack, token)
  const me = (await stack.ok('auth', { action: 'me' }, token)).user.id
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  // A product of one SKU, priced above ¥20, that the tests above did not buy.
  let pick: { id: string; skuId: string; priceFen: number } | undefined
  for (const p of [...items].reverse().filter((i: { id: string }) => i.id !== tea.id)) {
    const { product } = await stack.ok('catalog', { action: 'get', productId: p.id }, token)
    if (product.skus.length === 1 && product.skus[0].stock > 10 && product.skus[0].priceFen > 2000) {
      pick = { id: product.id, skuId: product.skus[0].id, priceFen: product.skus[0].priceFen }
      break
    }
  }
  const memberFen = pick!.priceFen - 1000
  await sql(stack, `UPDATE skus SET member_price_fen = $2 WHERE id = $1`, [pick!.skuId, memberFen])
  // A member by phone, with points: a paid order's, settled past the refund window by the jobs.
  await sql(stack, `INSERT INTO memberships (user_id, phone, phone_at) VALUES ($1, '13900000000', now()) ON CONFLICT DO NOTHING`, [me])
  const bought = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: tea.id, qty: 3 }], idempotencyKey: `pts-${Date.now()}` },
    token,
  )
  await payOrder(stack, token, bought.orderId)
  const jobs = await jobsFor(stack)
  try {
    await jobs.runAt(daysFromNow(8))
  } finally {
    await jobs.close()
  }
  const status = await stack.ok('member', { action: 'status' }, token)
  expect(status.points.available).toBeGreaterThanOrEqual(200)
  // What the server says this order can take (50 % of the member-priced goods, in whole yuan, within the balance).
  // The page applies the best coupon held (the one left from the test above), as the server prices it.
  const { bestId } = await stack.ok('coupon', { action: 'forCheckout', items: [{ productId: pick!.id, qty: 1 }] }, token)
  const priced = await stack.ok(
    'order',
    { action: 'preview', items: [{ productId: pick!.id, qty: 1 }], ...(bestId ? { userCouponId: bestId } : {}) },
    token,
  )
  const { points, couponFen } = priced
  expect(points.maxUsable).toBeGreaterThan(0)
  const yuan = (fen: number) => `¥${(fen / 100).toFixed(2)}`

  let page = loadPage('packages/order/checkout/index', { items: `${pick!.id}~~1` }, { apiBase: stack.url, log })
  let text = await page.waitForText('提交订单', '会员价已省', '积分抵扣')
  // Off by default: the breakdown is the member price; the switch says what it would take.
  expect(text).toContain(`商品金额${yuan(pick!.priceFen)}`)
  expect(text).toContain(`会员价已省-${yuan(1000)}`)
  expect(text).toContain(`使用${points.maxUsable}积分抵${yuan(points.maxUsable)}（可用 ${status.points.available}）`)
  expect(text).toContain(`实付 ${yuan(memberFen - couponFen)}`)
  expect(text).not.toContain('开通会员享会员价')

  const toggle = elements(page).find((e) => /\bcheckout__points-switch\b/.test(e.className))!
  fire(toggle, 'change', { value: true })
  const payable = memberFen - couponFen - points.maxUsable
  text = await page.waitForText(`实付 ${yuan(payable)}`)
  expect(text).toContain(`使用${points.maxUsable}积分抵${yuan(points.maxUsable)}`)
  // Switched on, the row shows what it takes off on the right.
  const fenOf = (p: typeof page) => elements(p).find((e) => /\bcheckout__points-fen\b/.test(e.className))?.textContent
  expect(fenOf(page)).toBe(`-${yuan(points.maxUsable)}`)
  // Reloaded before submitting: the switch is kept with the draft (still on, the same 实付).
  unloadPage(page)
  page = loadPage('packages/order/checkout/index', { items: `${pick!.id}~~1` }, { apiBase: stack.url, log })
  text = await page.waitForText('提交订单', '积分抵扣', `实付 ${yuan(payable)}`)
  expect(fenOf(page)).toBe(`-${yuan(points.maxUsable)}`)
  page.tapText('提交订单')
  await page.waitForText('模拟支付', '确认支付')
  const [placed] = await sql(
    stack,
    `SELECT id, payable_fen, points_used, points_fen, member_saving_fen, goods_fen FROM orders WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1`,
    [me],
  )
  // The order pays exactly what the page showed.
  expect(placed).toMatchObject({
    payable_fen: payable,
    points_used: points.maxUsable,
    points_fen: points.maxUsable,
    member_saving_fen: 1000,
    goods_fen: memberFen,
  })
  expect((await stack.ok('member', { action: 'status' }, token)).points.available).toBe(status.points.available - points.maxUsable)
  // Left unpaid and opened again: the draft (points on) is back and offers its order, points and all.
  unloadPage(page)
  page = loadPage('packages/order/checkout/index', { items: `${pick!.id}~~1` }, { apiBase: stack.url, log })
  text = await page.waitForText('你有一笔待付款订单', '去支付', `实付 ${yuan(payable)}`)
  expect(text).toContain(`使用${points.maxUsable}积分抵${yuan(points.maxUsable)}`)
  expect(text).not.toContain('提交订单')
  page.tapText('去支付')
  await page.waitForText('模拟支付', '确认支付')
  page.tapText('确认支付')
  await until(() => log.navigateTo.at(-1) === `/packages/order/detail/index?id=${placed.id}` || undefined)
  unloadPage(page)
  expect((await sql(stack, `SELECT count(*)::int AS n FROM orders WHERE user_id = $1 AND points_used > 0`, [me]))[0].n).toBe(1)

  // The order page shows the same breakdown.
  const detail = loadPage('packages/order/detail/index', { id: placed.id }, { apiBase: stack.url, log })
  text = await detail.waitForText('会员价已省', '积分抵扣')
  expect(text).toContain(`积分抵扣（${points.maxUsable}积分）-${yuan(points.maxUsable)}`)
  expect(text).toContain(yuan(payable))
  unloadPage(detail)
}, 90_000)
