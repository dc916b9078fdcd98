/**
 * The product page a shopper expects, on the built weapp in miniprogram-simulate against a real
 * seeded stack: 已售, the parameter table, the detail images, the 购物车 shortcut with its badge,
 * 客服 and 分享; and a page that fails to open offers 重试.
 */
import fs from 'node:fs'
import path from 'node:path'
import { key, payOrder, saveAddress } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import { appToken, DIST, loadPage, newLog, unloadPage, type WxLog } from '../helpers/weapp'

let stack: Stack
let log: WxLog
let tea: { id: string; skus: Array<{ id: string; specText: string }> }

/** Nodes of Taro's page data tree whose class list has `cls`. */
function nodesOf(tree: any, cls: string): any[] {
  const found: any[] = []
  const walk = (n: any) => {
    if (!n || typeof n !== 'object') return
    if (typeof n.cl === 'string' && n.cl.split(' ').includes(cls)) found.push(n)
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v)
  }
  walk(tree)
  return found
}
const BASE_WXML = fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8')
/** The data key Taro's base.wxml binds a component's attribute to (e.g. image src → p4). */
const attr = (tag: string, name: string) => new RegExp(`<${tag} [^>]*?${name}="{{(?:xs\\.b\\()?i\\.(p\\d+)`).exec(BASE_WXML)![1]!
/** The node number (`nn`) of a built-in component in Taro's page data. */
const nodeNumber = (tag: string) => new RegExp(`<template name="tmpl_0_(\\d+)">\\s*<${tag} `).exec(BASE_WXML)![1]

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('product-lookup')
  const { items } = await stack.ok('catalog', { action: 'list', limit: 50 }, token)
  const id = items.find((p: { title: string }) => p.title === '明前龙井 特级').id
  tea = (await stack.ok('catalog', { action: 'get', productId: id }, token)).product
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

test('product page: 已售, the parameter table, lazy detail images, 客服, and the 购物车 shortcut with its badge', async () => {
  // Another shopper pays for 3 units and leaves 5 more unpaid: the page says 已售 3.
  const other = await stack.login('product-other-buyer')
  await saveAddress(stack, other.token)
  const small = tea.skus.find((s) => s.specText === '100g 罐装')!
  const order = async (qty: number) =>
    (
      await stack.ok(
        'order',
        { action: 'create', items: [{ productId: tea.id, skuId: small.id, qty }], idempotencyKey: key() },
        other.token,
      )
    ).orderId
  expect((await payOrder(stack, other.token, await order(3))).answer.code).toBe('SUCCESS')
  await order(5)

  const page = loadPage('packages/goods/detail/index', { id: tea.id }, { apiBase: stack.url, log })
  const text = await page.waitForText(
    '明前龙井 特级',
    '已售 3',
    '商品参数',
    '产地',
    '浙江杭州 西湖产区',
    '保质期',
    '18 个月',
    '储存方式',
    '商品详情',
    '客服',
    '购物车',
    '加入购物车',
    '立即购买',
  )
  expect(text).not.toContain('已售 8')
  // The seeded detail images, each loaded lazily, and 客服 as WeChat's own contact button: read from
  // the page's data, whose attribute keys base.wxml maps (`src="{{i.p4}}"`).
  const images = nodesOf(page.instance.data, 'goods__detail-img').map((n) => ({
    src: decodeURIComponent(n[attr('image', 'src')]),
    lazyLoad: n[attr('image', 'lazy-load')],
  }))
  expect(images).toEqual([
    { src: expect.stringMatching(/^http.*\/media\/art\/\d+\/西湖产区\.svg\?wide=1$/), lazyLoad: true },
    { src: expect.stringContaining('/手工炒制.svg'), lazyLoad: true },
    { src: expect.stringContaining('/冲泡指南.svg'), lazyLoad: true },
  ])
  const buttons = nodesOf(page.instance.data, 'goods__icon').filter((n) => n.nn === nodeNumber('button'))
  expect(buttons.map((n) => n[attr('button', 'open-type')])).toEqual(['contact'])

  // No badge on an empty cart; one after adding, refreshed when the page shows again.
  expect(page.text()).not.toMatch(/购物车\s*\d|\d\s*购物车/)
  await stack.ok('cart', { action: 'add', skuId: small.id, qty: 2 }, appToken())
  page.instance.onShow()
  await until(() => /2\s*购物车/.test(page.text()))
  page.tapText('购物车')
  await until(() => log.switchTab.length > 0)
  expect(log.switchTab).toEqual(['/pages/cart/index'])
  unloadPage(page)
}, 60_000)

test('分享: the card names the product and its price, and the link carries the sharer, whose friend’s order credits them', async () => {
  const page = loadPage('packages/goods/detail/index', { id: tea.id }, { apiBase: stack.url, log })
  await page.waitForText('明前龙井 特级', '分享')
  const { user: me } = await stack.ok('auth', { action: 'me' }, appToken())
  await until(() => (page.instance.onShareAppMessage?.({ from: 'button' })?.path ?? '').includes('sharerId='))
  const card = page.instance.onShareAppMessage({ from: 'button' })
  expect(card.title).toBe('明前龙井 特级 ¥128.00 起')
  expect(card.path).toBe(`/packages/goods/detail/index?id=${tea.id}&sharerId=${me.id}`)
  unloadPage(page)

  // A friend opens the shared path: the same page with its query, then orders from it.
  const friend = await stack.login('product-share-friend')
  await saveAddress(stack, friend.token)
  const query = Object.fromEntries(new URLSearchParams(card.path.split('?')[1]))
  await stack.ok('catalog', { action: 'get', productId: query.id, sharerId: query.sharerId }, friend.token)
  const { orderId } = await stack.ok(
    'order',
    { action: 'create', items: [{ productId: tea.id, skuId: tea.skus[0]!.id, qty: 1 }], idempotencyKey: key() },
    friend.token,
  )
  expect((await stack.ok('order', { action: 'get', orderId }, friend.token)).order.sharerId).toBe(me.id)
}, 60_000)

test('a page that fails to open (its subpackage did not download) says so; 重试 opens it, 取消 stays', async () => {
  let failing = true
  const answers: boolean[] = []
  const page = loadPage(
    'packages/goods/detail/index',
    { id: tea.id },
    {
      apiBase: stack.url,
      log,
      navigationFails: () => failing,
      // First 取消, then 重试 with the network back.
      answerModal: () => {
        const retry = answers.length > 0
        answers.push(retry)
        if (retry) failing = false
        return retry
      },
    },
  )
  await page.waitForText('立即购买')
  page.tapText('立即购买')
  await until(() => log.modals!.length === 1)
  expect(log.modals).toEqual([expect.stringMatching(/^网络不给力，页面没有打开\|/)])
  await new Promise((r) => setTimeout(r, 100))
  expect(log.navigateTo).toEqual([]) // 取消: still here, nothing opened
  page.tapText('立即购买')
  await until(() => log.navigateTo.length === 1)
  expect(log.modals).toHaveLength(2)
  expect(log.navigateTo[0]).toMatch(/^\/packages\/order\/checkout\/index\?items=/)
  unloadPage(page)
}, 30_000)
