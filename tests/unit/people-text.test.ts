/**
 * Text one person writes for others to read (nicknames shown in live rooms, invites and the share
 * leaderboard; recipients' names and address lines printed on shipping labels): hidden characters
 * are dropped before the length check, text that is nothing but them is refused, and a nickname
 * may not pass for the shop's staff.
 */
import { AddressFieldsInput, Nickname, UserUpdateProfileInput } from '../../cloud/contract'

const address = { name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' }
const messages = (r: { success: boolean; error?: { issues: { message: string }[] } }) => r.error?.issues.map((i) => i.message)

describe('nicknames', () => {
  test('invisible-only or control-only nicknames are refused as empty', () => {
    for (const n of ['\u200b\u200b', '\u202e', '\ufeff \u2066\u2069', '\u0007\n\r\t', '\u0085\u009f']) {
      const r = Nickname.safeParse(n)
      expect(r.success).toBe(false)
      expect(messages(r)).toEqual(['请填写昵称'])
    }
  })

  test('hidden characters are dropped, the rest kept, before the 20-character limit counts', () => {
    expect(Nickname.parse('a\u0007b\nc')).toBe('abc')
    expect(Nickname.parse('\u202e小\u200d明\u200b')).toBe('小明')
    expect(Nickname.parse('  茶  友  ')).toBe('茶 友')
    // 20 visible characters padded with invisible ones still fit; 21 do not.
    expect(Nickname.parse('茶'.repeat(20) + '\u200b'.repeat(10))).toBe('茶'.repeat(20))
    expect(messages(Nickname.safeParse('茶'.repeat(21)))).toEqual(['昵称 1-20 字'])
  })

  test('a nickname may not pass for the shop\u2019s staff, hidden characters and spaces notwithstanding', () => {
    for (const n of ['店长', '\u202e店长', '官方客服', '好茶小铺管理员', '小助手', '店\u200b长', '店 长']) {
      const r = UserUpdateProfileInput.safeParse({ nickname: n })
      expect(r.success).toBe(false)
      expect(messages(r)).toEqual(['昵称不能冒充店铺工作人员'])
    }
    expect(Nickname.parse('爱喝茶的小王')).toBe('爱喝茶的小王')
  })
})

describe('address names and lines', () => {
  test('a recipient name of hidden characters only is refused; one with them is cleaned', () => {
    for (const name of ['\u200b', '\u0007', '\u202e\u202c']) {
      const r = AddressFieldsInput.safeParse({ ...address, name })
      expect(r.success).toBe(false)
      expect(messages(r)).toEqual(['请填写收货人姓名'])
    }
    expect(AddressFieldsInput.parse({ ...address, name: '\u0007bell' }).name).toBe('bell')
    expect(AddressFieldsInput.parse({ ...address, name: '王\n小明' }).name).toBe('王小明')
    expect(AddressFieldsInput.parse({ ...address, name: '\u202e反转' }).name).toBe('反转')
  })

  test('the detail line drops hidden characters but keeps its spaces (a line break becomes one)', () => {
    expect(AddressFieldsInput.parse({ ...address, detail: '龙井路 1 号\n2 幢\u200b 301' }).detail).toBe('龙井路 1 号 2 幢 301')
    expect(messages(AddressFieldsInput.safeParse({ ...address, detail: '\u200b\ufeff\n' }))).toEqual(['请填写详细地址'])
  })
})
