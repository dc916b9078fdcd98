/**
 * The shopper's address and profile in the H5 build (chromium, phone-sized): the region comes from
 * the three-column picker, a refused field says why under it, and the nickname is saved.
 */
import type { Locator, Page } from 'playwright-core'
import { pageToken, phoneBrowser } from '../helpers/browser'
import { until } from '../helpers/wait'

const phone = phoneBrowser({ deviceScaleFactor: 1 })

/** Which row of the picker's column `i` sits under the indicator, and the column's rows. */
const columnAt = (page: Page, i: number) =>
  page.evaluate((column) => {
    const el = document.querySelectorAll('.weui-picker__overlay taro-picker-group')[column]!
    const rows = Array.from(el.querySelectorAll('.weui-picker__item')).map((r) => r.textContent ?? '')
    const y = Number(
      /translate3d\(0px, (-?[\d.]+)px/.exec((el.querySelector('.weui-picker__content') as HTMLElement).style.transform)?.[1] ?? 102,
    )
    return { rows, at: Math.round((102 - y) / 34) }
  }, i)

/**
 * Picks `names` in the open three-column picker the way a finger does: each column dragged (at most
 * 5 rows a drag, as a thumb would) until its row sits under the indicator, the next columns
 * reloading meanwhile, then 确定. Taro's H5 picker moves a column 34 px a row.
 */
async function pickRegion(page: Page, names: [string, string, string]) {
  const picker = page.locator('.weui-picker__overlay').last()
  for (const [column, name] of names.entries()) {
    const group = picker.locator('taro-picker-group').nth(column)
    await group.locator('.weui-picker__item', { hasText: new RegExp(`^${name}$`) }).waitFor({ state: 'attached' })
    for (let drags = 0; drags < 20; drags++) {
      const { rows, at } = await columnAt(page, column)
      const rowsToMove = Math.max(-5, Math.min(5, rows.indexOf(name) - at))
      if (rowsToMove === 0) break
      const box = (await group.boundingBox())!
      const x = box.x + box.width / 2
      const from = rowsToMove > 0 ? box.y + box.height - 20 : box.y + 20
      await page.mouse.move(x, from)
      await page.mouse.down()
      for (let step = 1; step <= 10; step++) await page.mouse.move(x, from - (34 * rowsToMove * step) / 10)
      await page.mouse.up()
      await page.waitForTimeout(100)
    }
    const { rows, at } = await columnAt(page, column)
    expect(rows[at]).toBe(name)
  }
  await picker.getByText('确定').click()
}

/** A 4×4 PNG, as a phone's image would be (only bigger). */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAQAAAAECAIAAAAmkwkpAAAAEklEQVR4nGP4z8AARwzEcQAA2h8D/YdlYFEAAAAASUVORK5CYII=', 'base64')

const fill = (scope: Locator, cls: string, value: string) => scope.locator(`.${cls} input`).fill(value)

test('an address: field messages under the fields, the region from the picker, saved as chosen', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/packages/order/address/index`)
  const address = page.locator('.address').last()
  await address.getByText('还没有收货地址').waitFor({ timeout: 15_000 })
  await address.getByText('新增收货地址').click()
  // Read once the form shows (read right after the click, the list was still there and this proved nothing).
  await address.getByText('请选择省 / 市 / 区').waitFor()
  expect(await address.innerText()).not.toContain('使用微信地址') // WeChat's addresses exist only inside WeChat
  await fill(address, 'address-form__input--name', '王小明')
  await fill(address, 'address-form__input--phone', '12345')
  await fill(address, 'address-form__input--detail', '龙井路 1 号')
  await address.getByText('保存', { exact: true }).click()
  await address.getByText('请填写 11 位手机号（1 开头）').waitFor()
  await address.getByText('请选择省份').waitFor()

  await fill(address, 'address-form__input--phone', '13800138000')
  await address.getByText('请选择省 / 市 / 区').click()
  await pickRegion(page, ['浙江省', '杭州市', '西湖区'])
  await address.getByText('浙江省 杭州市 西湖区').waitFor()
  await address.getByText('保存', { exact: true }).click()
  await address.getByText('浙江省杭州市西湖区龙井路 1 号').waitFor()
  const { items } = await stack.ok('address', { action: 'list' }, await pageToken(page))
  expect(items).toMatchObject([{ name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区' }])
}, 60_000)

test('the profile page saves the nickname (a refused one is named under the field) and an avatar from the device', async () => {
  const { stack, page } = phone
  await page.goto(`${stack.url}/#/pages/me/index`)
  const me = page.locator('.me').last()
  await me.getByText('设置头像和昵称 ›').click()
  await page.waitForURL(/profile/)
  const profile = page.locator('.profile').last()
  await profile.locator('.profile__input input').fill('加微信领红包')
  await profile.getByText('保存', { exact: true }).click()
  await profile.getByText('昵称含有不适宜的内容，请换一个').waitFor()
  await profile.locator('.profile__input input').fill('西湖茶客')
  await profile.getByText('保存', { exact: true }).click()
  await page.getByText('资料已保存').waitFor()
  expect((await stack.ok('auth', { action: 'me' }, await pageToken(page))).user.nickname).toBe('西湖茶客')

  // An avatar from the device: drawn to a 256 px JPEG in the browser, checked and kept by the server.
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), profile.locator('.profile__avatar').click()])
  await chooser.setFiles({ name: 'me.png', mimeType: 'image/png', buffer: PNG })
  await profile.locator('.profile__avatar-img').waitFor()
  await profile.getByText('保存', { exact: true }).click()
  let user: any
  await until(async () => (user = (await stack.ok('auth', { action: 'me' }, await pageToken(page))).user).avatarUrl !== null)
  expect(user.avatarUrl).toMatch(/^\/media\/avatars\/u_[0-9a-f]+\/[0-9a-f]{32}\.jpg$/)
  const served = await fetch(`${stack.url}${user.avatarUrl}`)
  expect(served.headers.get('content-type')).toBe('image/jpeg')
  const bytes = Buffer.from(await served.arrayBuffer())
  expect([...bytes.subarray(0, 3)]).toEqual([0xff, 0xd8, 0xff])
  expect(bytes.length).toBeLessThanOrEqual(40_000)
  // 我的 shows it.
  await page.goto(`${stack.url}/#/pages/me/index`)
  await page.locator('.me').last().getByText('西湖茶客').waitFor()
  expect(await page.locator('.me__avatar--img img, img.me__avatar--img, .me__avatar--img').count()).toBeGreaterThan(0)
}, 60_000)
