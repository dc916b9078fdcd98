/** A shopper's orders in the H5 build: the shipped card's logistics with 复制, 确认收货 after the dialog, 再次购买 into the cart. */
import { pageToken, phoneBrowser } from '../helpers/browser'
import { createProduct, key, payOrder, saveAddress, sql } from '../helpers/mall'

const phone = phoneBrowser({ deviceScaleFactor: 1 })

test('shipped card: carrier and waybill number with 复制; 确认收货 asks first, then 再次购买 opens the filled cart', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/packages/order/list/index`)
  const orders = page.locator('.orders').last()
  await orders.getByText('还没有相关订单').waitFor({ timeout: 15_000 })
  // The browser signed in on its own (auth.devLogin); its token is in Taro's storage.
  const token = await pageToken(page)

  const admin = (await stack.login('admin')).token
  const productId = await createProduct(stack, admin, { title: '凤凰单丛', priceFen: 2590, stock: 10 })
  const addressId = (await saveAddress(stack, token)).address.id
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 2 }], idempotencyKey: key(), addressId }, token)
  await payOrder(stack, token, orderId)
  await stack.ok('admin', { action: 'ship', orderId, carrier: '京东物流', trackingNo: 'JDVA12345678' }, admin)

  await page.reload()
  await orders.getByText('京东物流 JDVA12345678').waitFor({ timeout: 15_000 })
  const card = orders.locator('.orders__card').first()
  expect(await card.innerText()).toMatch(/李雷 139\*{4}0000/)
  await card.getByText('复制', { exact: true }).click()
  await page.getByText('内容已复制').waitFor()
  expect(page.url()).toMatch(/order\/list/) // copying did not open the order

  await card.getByText('确认收货', { exact: true }).click()
  await page.locator('.taro-modal__title', { hasText: '确认收货' }).waitFor()
  await page.locator('.taro-model__confirm').click()
  await card.getByText('再次购买', { exact: true }).waitFor({ timeout: 15_000 })
  expect(await sql(stack, 'SELECT status FROM orders WHERE id = $1', [orderId])).toEqual([{ status: 'completed' }])

  await card.getByText('再次购买', { exact: true }).click()
  await page.waitForURL(/pages\/cart/)
  const cart = await stack.ok('cart', { action: 'list' }, token)
  expect(cart.lines.map((l: { productId: string; qty: number }) => [l.productId, l.qty])).toEqual([[productId, 2]])
}, 60_000)
