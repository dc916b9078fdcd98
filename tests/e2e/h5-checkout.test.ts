/** A shopper buys in the H5 build: pick a spec, add an address, submit, pay in the sandbox sheet. */
import { phoneBrowser } from '../helpers/browser'
import { sql } from '../helpers/mall'

const phone = phoneBrowser({ seed: true, deviceScaleFactor: 1 })

test('pick 30 袋装, add an address, submit, pay in the 模拟支付 sheet: the order is paid and the stock taken', async () => {
  const { stack, page } = phone
  const viewer = await stack.login('lookup')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, viewer.token)
  const nuts = items.find((i: { title: string }) => i.title === '每日坚果')
  await page.goto(`${stack.url}/#/packages/goods/detail/index?id=${nuts.id}`)
  const goods = page.locator('.goods').last()
  await goods.getByText('15 袋装').waitFor({ timeout: 15_000 })
  expect(await goods.innerText()).toContain('库存 200 件')
  await goods.getByText('30 袋装').click()
  await goods.getByText('库存 100 件').waitFor()
  expect(await goods.innerText()).toMatch(/¥\s*89\s*\.90/)
  await goods.locator('.goods__buy').click()

  await page.waitForURL(/checkout/)
  const checkout = page.locator('.checkout').last()
  await checkout.getByText('+ 添加收货地址').click()
  await page.waitForURL(/address/)
  const address = page.locator('.address').last()
  await address.getByText('新增收货地址').click()
  await address.locator('.address-form__input--name input').fill('王小明')
  await address.locator('.address-form__input--phone input').fill('13800138000')
  await address.locator('.address-form__input--detail input').fill('龙井路 1 号')
  // The region picker opens on its first row (北京市 北京市 东城区); tests/e2e/h5-account.test.ts picks others.
  await address.getByText('请选择省 / 市 / 区').click()
  await page.locator('.weui-picker__overlay').last().getByText('确定').click()
  await address.getByText('北京市 北京市 东城区').waitFor()
  await address.getByText('保存并使用').click()
  await page.waitForURL(/checkout/)
  await checkout.getByText('王小明 13800138000').waitFor()
  expect(await checkout.innerText()).toContain('30 袋装')
  // A municipality's city is written once, at checkout and on the order page.
  expect(await checkout.innerText()).toContain('北京市东城区龙井路 1 号')
  expect(await checkout.innerText()).not.toContain('北京市北京市')

  await checkout.getByText('提交订单').click()
  await page.getByText('模拟支付').waitFor({ timeout: 15_000 })
  await page.getByText('确认支付').click()
  await page.waitForURL(/order\/detail/)
  const order = page.locator('.order').last()
  await order.getByText('待发货').waitFor({ timeout: 15_000 })
  expect(await order.innerText()).toContain('¥89.90')
  expect(await order.innerText()).toContain('北京市东城区龙井路 1 号')

  const orderId = /id=(o_[0-9a-f]+)/.exec(page.url())![1]
  const [paid] = await sql(stack, `SELECT o.status, p.amount_fen FROM orders o JOIN payments p ON p.order_id = o.id WHERE o.id = $1`, [
    orderId,
  ])
  expect(paid).toEqual({ status: 'paid', amount_fen: 8990 })
  const [sku] = await sql(stack, `SELECT stock FROM skus WHERE product_id = $1 AND spec_text = '30 袋装'`, [nuts.id])
  expect(sku.stock).toBe(99)
}, 90_000)
