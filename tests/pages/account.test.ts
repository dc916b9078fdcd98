/**
 * The shopper's own details on the built weapp, against a real stack: the address form names each
 * field's problem under it, picks the region from China's divisions, edits in place and asks before
 * deleting; 微信地址 waits for the privacy prompt; the profile page sets the nickname others see.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { areaList } from '@vant/area-data'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import {
  appToken,
  elements,
  fire,
  fakeWx as wx,
  loadPage,
  needPrivacyAuthorization,
  newLog,
  typeInto,
  unloadPage,
  type LoadedPage,
  type WxLog,
} from '../helpers/weapp'

let stack: Stack
let log: WxLog

beforeAll(async () => {
  stack = await startStack()
}, 90_000)
afterAll(() => stack?.stop())
beforeEach(() => {
  log = newLog()
})

const byClass = (page: LoadedPage, cls: string) => {
  const el = elements(page).find((e) => new RegExp(`\\b${cls}\\b`).test(e.className))
  if (!el) throw new Error(`no element of class ${cls}`)
  return el
}

/** Types `value` into the input of class `cls`; the page renders it before the next tap, as it has time to while a person types. */
const type = (page: LoadedPage, cls: string, value: string) => typeInto(page, byClass(page, cls), value)
/** The picker's indexes of a province, city and district, as the user scrolls to them. */
function regionIndexes(province: string, city: string, district: string): number[] {
  const provinces = Object.entries(areaList.province_list)
  const p = provinces.find(([, n]) => n === province)![0]
  const cities = Object.entries(areaList.city_list).filter(([c]) => c.startsWith(p.slice(0, 2)))
  const c = cities.find(([, n]) => n === city)![0]
  const districts = Object.entries(areaList.county_list).filter(([d]) => d.startsWith(c.slice(0, 4)))
  return [
    provinces.findIndex(([, n]) => n === province),
    cities.findIndex(([, n]) => n === city),
    districts.findIndex(([, n]) => n === district),
  ]
}
/**
 * Whether the form's 设为默认地址 switch shows on: its `checked` as the page renders it (Taro's
 * template binds a switch's checked to `p0` of its node in the page data).
 */
const switchOn = (page: LoadedPage): boolean => {
  const sid = elements(page)
    .find((e) => /switch/i.test(e.tagName))!
    .getAttribute('data-sid')
  const find = (n: any): any => (n?.sid === sid ? n : (n?.cn ?? []).map(find).find(Boolean))
  const node = find((page.instance as any).data.root)
  if (!node) throw new Error('no switch in the page data')
  return node.p0 === true
}
const addresses = async () => (await stack.ok('address', { action: 'list' }, appToken())).items as any[]

test('the form names each field’s limit and problem under it, and sends nothing until they are fixed', async () => {
  const page = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await page.waitForText('还没有收货地址', '新增收货地址')
  page.tapText('新增收货地址')
  await page.waitForText('使用微信地址', '收货人', '1-20 字', '手机号', '所在地区', '请选择省 / 市 / 区', '详细地址', '最多 120 字')
  await type(page, 'address-form__input--name', '欧阳'.repeat(11))
  await type(page, 'address-form__input--phone', '12345')
  await type(page, 'address-form__input--detail', '路'.repeat(121))
  page.tapText('保存')
  const text = await page.waitForText('收货人姓名 1-20 字', '请填写 11 位手机号（1 开头）', '请选择省份', '详细地址最多 120 字')
  expect(text).not.toContain('1-20 字 ') // the hint gave way to the message
  expect(log.requests.filter((r) => r.includes('address') && r.endsWith('save'))).toHaveLength(0)
  // Fixing a field clears its message.
  await type(page, 'address-form__input--phone', '138 0013 8000')
  await until(() => !page.text().includes('请填写 11 位手机号'))
  expect(page.text()).toContain('收货人姓名 1-20 字')
  unloadPage(page)
  expect(await addresses()).toEqual([])
}, 30_000)

test('the region comes from the picker: 浙江省 / 杭州市 / 西湖区 is saved as chosen', async () => {
  const page = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await page.waitForText('新增收货地址')
  page.tapText('新增收货地址')
  // The first address becomes the default whatever the switch says: the switch shows it, and why.
  await page.waitForText('请选择省 / 市 / 区', '设为默认地址', '首个地址将设为默认')
  expect(switchOn(page)).toBe(true)
  await type(page, 'address-form__input--name', '王小明')
  await type(page, 'address-form__input--phone', '13800138000')
  await type(page, 'address-form__input--detail', '龙井路 1 号')
  const picker = elements(page).find((e) => /picker/i.test(e.tagName))!
  // Scrolling the first column reloads the others, then the choice is confirmed.
  const [p, c, d] = regionIndexes('浙江省', '杭州市', '西湖区')
  fire(picker, 'columnchange', { column: 0, value: p })
  fire(picker, 'change', { value: [p, c, d] })
  await page.waitForText('浙江省 杭州市 西湖区')
  page.tapText('保存')
  await page.waitForText('王小明 13800138000', '浙江省杭州市西湖区龙井路 1 号', '默认')
  expect(await addresses()).toMatchObject([
    {
      name: '王小明',
      phone: '13800138000',
      province: '浙江省',
      city: '杭州市',
      district: '西湖区',
      detail: '龙井路 1 号',
      isDefault: true,
    },
  ])
  unloadPage(page)
}, 30_000)

test('a later address\u2019s switch starts off; a phone in full-width digits is taken; a municipality is not written twice', async () => {
  const page = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await page.waitForText('王小明 13800138000', '新增收货地址')
  page.tapText('新增收货地址')
  await page.waitForText('请选择省 / 市 / 区', '设为默认地址')
  expect(page.text()).not.toContain('首个地址将设为默认')
  expect(switchOn(page)).toBe(false)
  await type(page, 'address-form__input--name', '李雷')
  await type(page, 'address-form__input--phone', '１３９ ００００ ００００')
  await type(page, 'address-form__input--detail', '东华门大街 1 号')
  const picker = elements(page).find((e) => /picker/i.test(e.tagName))!
  const [p, c, d] = regionIndexes('北京市', '北京市', '东城区')
  fire(picker, 'columnchange', { column: 0, value: p })
  fire(picker, 'change', { value: [p, c, d] })
  await page.waitForText('北京市 北京市 东城区')
  page.tapText('保存')
  const text = await page.waitForText('李雷 13900000000', '北京市东城区东华门大街 1 号')
  expect(text).not.toContain('北京市北京市')
  expect(text).not.toContain('请填写 11 位手机号')
  const saved = (await addresses()).find((a) => a.name === '李雷')
  expect(saved).toMatchObject({ phone: '13900000000', province: '北京市', city: '北京市', district: '东城区', isDefault: false })
  await stack.ok('address', { action: 'remove', id: saved.id }, appToken())
  page.instance.onShow()
  await until(() => !page.text().includes('李雷'))
  unloadPage(page)
}, 30_000)

test('编辑 changes the address in place; 删除 asks first and 取消 keeps it', async () => {
  const [saved] = await addresses()
  const page = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await page.waitForText('王小明 13800138000', '编辑', '删除')
  page.tapText('编辑')
  await page.waitForText('浙江省 杭州市 西湖区', '保存')
  await type(page, 'address-form__input--detail', '龙井路 18 号 2 幢')
  page.tapText('保存')
  await page.waitForText('浙江省杭州市西湖区龙井路 18 号 2 幢')
  expect(await addresses()).toMatchObject([{ id: saved.id, detail: '龙井路 18 号 2 幢', province: '浙江省' }])

  // The shopper taps 删除 and then 取消 in the confirmation: nothing is removed.
  const original = wx().showModal
  let answer = false
  wx().showModal = (o: any) => {
    log.modals!.push(`${o.title}：${o.content}`)
    o.success?.({ confirm: answer, cancel: !answer })
    o.complete?.({})
  }
  try {
    page.tapText('删除')
    await until(() => log.modals!.length === 1)
    expect(log.modals![0]).toBe('删除收货地址：确定删除「王小明 浙江省杭州市西湖区龙井路 18 号 2 幢」吗？')
    await new Promise((r) => setTimeout(r, 300))
    expect(await addresses()).toHaveLength(1)
    answer = true
    page.tapText('删除')
    await page.waitForText('还没有收货地址')
    expect(await addresses()).toEqual([])
  } finally {
    wx().showModal = original
  }
  unloadPage(page)
}, 30_000)

test('微信地址 waits for the privacy prompt: 同意 lets WeChat’s address fill the form', async () => {
  wx().chooseAddress = (o: any) =>
    needPrivacyAuthorization('chooseAddress', (answer) =>
      answer.event === 'agree'
        ? o.success({
            userName: '李雷',
            telNumber: '139-0000-1111',
            provinceName: '浙江省',
            cityName: '杭州市',
            countyName: '西湖区',
            detailInfo: '文三路 90 号',
            errMsg: 'chooseAddress:ok',
          })
        : o.fail({ errMsg: 'chooseAddress:fail privacy permission is not authorized' }),
    )
  const page = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await page.waitForText('新增收货地址')
  page.tapText('新增收货地址')
  await page.waitForText('使用微信地址')
  page.tapText('使用微信地址')
  await page.waitForText('用户隐私保护提示', '使用微信收货地址前，请仔细阅读', '《用户隐私保护指引》', '拒绝', '同意')
  page.tapText('《用户隐私保护指引》')
  await until(() => log.requests.includes('wx.openPrivacyContract'))
  // 同意 is WeChat's agreePrivacyAuthorization button: its event, not a tap, carries the consent.
  fire(
    elements(page).find((e) => e.id === 'privacy-agree' || (e.textContent ?? '').trim() === '同意')!,
    'agreeprivacyauthorization',
    {},
  )
  await page.waitForText('浙江省 杭州市 西湖区')
  expect(page.text()).not.toContain('用户隐私保护提示')
  page.tapText('保存')
  await page.waitForText('李雷 13900001111', '浙江省杭州市西湖区文三路 90 号')
  unloadPage(page)

  // 拒绝: the paused call fails, the form stays empty and nothing is saved.
  const again = loadPage('packages/order/address/index', {}, { apiBase: stack.url, log })
  await again.waitForText('新增收货地址')
  again.tapText('新增收货地址')
  await again.waitForText('使用微信地址')
  again.tapText('使用微信地址')
  await again.waitForText('用户隐私保护提示')
  again.tapText('拒绝')
  await until(() => !again.text().includes('用户隐私保护提示'))
  expect(again.text()).toContain('请选择省 / 市 / 区')
  unloadPage(again)
  expect(await addresses()).toHaveLength(1)
}, 30_000)

test('the profile page sets the nickname others see (one the content check refuses is named under the field) and WeChat’s avatar', async () => {
  const me = loadPage('pages/me/index', {}, { apiBase: stack.url, log })
  await me.waitForText('设置头像和昵称', '个人资料')
  me.tapText('个人资料')
  expect(log.navigateTo).toContain('/packages/user/profile/index')
  unloadPage(me)

  const page = loadPage('packages/user/profile/index', {}, { apiBase: stack.url, log })
  await page.waitForText('头像', '昵称', '1-20 字', '保存')
  await type(page, 'profile__input', '加微信领红包')
  page.tapText('保存')
  await page.waitForText('昵称含有不适宜的内容，请换一个')
  const before = (await stack.ok('auth', { action: 'me' }, appToken())).user
  expect(before.nickname).toMatch(/^微信用户/)

  await type(page, 'profile__input', '西湖茶客')
  expect(page.text()).not.toContain('昵称含有不适宜的内容')
  page.tapText('保存')
  await until(() => log.toasts.includes('资料已保存'))
  expect((await stack.ok('auth', { action: 'me' }, appToken())).user.nickname).toBe('西湖茶客')
  unloadPage(page)

  // WeChat's avatar filling: the chooseAvatar button hands over a local image, sent as a small JPEG.
  const file = path.join(os.tmpdir(), `avatar-${process.pid}.jpg`)
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(200, 7), Buffer.from([0xff, 0xd9])])
  fs.writeFileSync(file, jpeg)
  const again = loadPage('packages/user/profile/index', {}, { apiBase: stack.url, log })
  await again.waitForText('西湖茶客'.slice(0, 1), '保存')
  fire(byClass(again, 'profile__avatar'), 'chooseavatar', { avatarUrl: file })
  await until(() => elements(again).some((e) => /profile__avatar-img/.test(e.className)))
  again.tapText('保存')
  await until(() => log.toasts.filter((t) => t === '资料已保存').length === 2)
  const { user } = await stack.ok('auth', { action: 'me' }, appToken())
  expect(user.avatarUrl).toMatch(/^\/media\/avatars\/u_[0-9a-f]+\/[0-9a-f]{32}\.jpg$/)
  const served = await fetch(`${stack.url}${user.avatarUrl}`)
  expect(served.headers.get('content-type')).toBe('image/jpeg')
  expect(Buffer.from(await served.arrayBuffer())).toEqual(jpeg)
  unloadPage(again)
  fs.rmSync(file)

  const back = loadPage('pages/me/index', {}, { apiBase: stack.url, log })
  await back.waitForText('西湖茶客', '编辑资料 ›', '个人资料')
  // No raw ids a shopper can't use.
  expect(back.text()).not.toContain('会员编号')
  expect(back.text()).not.toContain(user.id)
  unloadPage(back)
}, 30_000)
