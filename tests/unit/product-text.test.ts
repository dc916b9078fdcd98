import type { Sku } from '../../cloud/contract'
import { shareTitle, soldText } from '../../src/features/catalog/sku'
import { yuan } from '../../src/lib/money'

const sku = (priceFen: number): Sku => ({ id: `k_${priceFen}`, specs: {}, specText: '', priceFen, listPriceFen: null, stock: 1 })

test('已售 reads as a shopper expects: nothing before the first sale, then the count, then 万+', () => {
  expect(soldText(0)).toBe('')
  expect(soldText(1)).toBe('已售 1')
  expect(soldText(9_999)).toBe('已售 9999')
  expect(soldText(10_000)).toBe('已售 1万+')
  expect(soldText(12_345)).toBe('已售 1.2万+')
  expect(soldText(1_000_000)).toBe('已售 100万+')
})

test('the share card names the product and its price, with 起 only when its SKUs differ in price', () => {
  expect(shareTitle({ title: '福鼎白茶 白牡丹 150g', priceFen: 9900, skus: [sku(9900)] }, yuan)).toBe('福鼎白茶 白牡丹 150g ¥99.00')
  expect(shareTitle({ title: '明前龙井 特级', priceFen: 12800, skus: [sku(12800), sku(29800)] }, yuan)).toBe('明前龙井 特级 ¥128.00 起')
})
