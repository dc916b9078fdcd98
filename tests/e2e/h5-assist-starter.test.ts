/**
 * The assist starter's page in the H5 build (chromium, phone-sized): right after 发起砍价 the main
 * action is 邀请好友助力 (a copied link on H5, as the group page's), buying at the price reached is
 * second, and the starter without an avatar shows their initial rather than an empty circle.
 */
import { pageToken, phoneBrowser, stationed } from '../helpers/browser'

const HOUR = 3_600_000
const phone = phoneBrowser({ deviceScaleFactor: 1 })

test('a price-cut starter: 邀请好友助力 first (copies the task link), 以 ¥X 购买 second, an initial for the avatar', async () => {
  const { stack, page } = phone
  const admin = (await stack.login('admin')).token
  const { productId } = await stack.ok('admin', { action: 'createProduct', title: '砍价红茶', priceFen: 3000, stock: 20 }, admin)
  const { campaignId } = await stack.ok(
    'admin',
    {
      action: 'createAssistCampaign',
      title: '砍价：红茶',
      face: 'price_cut',
      productId,
      cutPerHelpFen: 500,
      helpsNeeded: 4,
      taskHours: 24,
      startsAt: new Date(Date.now() - HOUR).toISOString(),
      endsAt: new Date(Date.now() + 48 * HOUR).toISOString(),
    },
    admin,
  )
  await page.goto(`${stack.url}/#/packages/assist/campaign/index?campaignId=${campaignId}`)
  await stationed(page)
  const { taskId } = await stack.ok('assist', { action: 'start', campaignId }, await pageToken(page))
  await page.goto(`${stack.url}/#/packages/assist/index?taskId=${taskId}`)
  const actions = page.locator('.assist__actions').last()
  await actions.getByText('邀请好友助力').waitFor({ timeout: 15_000 })
  const buttons = await actions.locator('.action-button').allInnerTexts()
  const texts = buttons.map((t) => t.trim()).filter(Boolean)
  expect(texts[0]).toBe('邀请好友助力')
  expect(texts.some((t) => t === '以 ¥30.00 购买')).toBe(true)
  const avatar = page.locator('.assist__avatar').last()
  expect((await avatar.innerText()).trim()).toHaveLength(1)

  await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: stack.url })
  await actions.getByText('邀请好友助力').click()
  await page.getByText('链接已复制，发给好友即可为你助力').waitFor({ timeout: 15_000 })
  const copied = await page.evaluate(() => navigator.clipboard.readText())
  expect(copied).toContain(`/#/packages/assist/index?taskId=${taskId}`)
  expect(copied).toMatch(/^帮我助力一下：/)
}, 60_000)
