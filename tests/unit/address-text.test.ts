/** The one-line address shown at checkout, in the address list and on order pages. */
import { addressLine } from '../../src/lib/address-text'
import { addressLine as serverLine } from '../../cloud/contract'

test('a municipality is written once; elsewhere province, city and district follow each other', () => {
  expect(addressLine({ province: '北京市', city: '北京市', district: '东城区', detail: '东华门大街 1 号' })).toBe(
    '北京市东城区东华门大街 1 号',
  )
  expect(addressLine({ province: '上海市', city: '上海市', district: '浦东新区', detail: '世纪大道 8 号' })).toBe(
    '上海市浦东新区世纪大道 8 号',
  )
  expect(addressLine({ province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' })).toBe(
    '浙江省杭州市西湖区龙井路 1 号',
  )
  expect(addressLine({ province: '广东省', city: '东莞市', district: '', detail: '南城街道 1 号' })).toBe('广东省东莞市南城街道 1 号')
})

test("the server's formatter (the desk's addressText and its export) writes the same line as the mini-program's", () => {
  const cases = [
    { province: '北京市', city: '北京市', district: '东城区', detail: '东华门大街 1 号' },
    { province: '重庆市', city: '重庆市', district: '渝中区', detail: '解放碑 1 号' },
    { province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' },
    { province: '广东省', city: '东莞市', district: '', detail: '南城街道 1 号' },
  ]
  for (const a of cases) expect(serverLine(a)).toBe(addressLine(a))
})
