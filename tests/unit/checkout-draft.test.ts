/** The checkout draft's idempotency key, kept in the device's storage (Taro's storage API, here an in-memory one). */
const storage = new Map<string, unknown>()
jest.mock('@tarojs/taro', () => ({
  __esModule: true,
  default: {
    getStorageSync: (k: string) => (storage.has(k) ? storage.get(k) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, JSON.parse(JSON.stringify(v))),
  },
}))

import {
  draftHash,
  dropDraft,
  goodsHash,
  keyForDraft,
  markRefused,
  readDraft,
  rememberOrder,
  type CheckoutDraft,
} from '../../src/lib/idempotency'

const draft = (fields: Partial<CheckoutDraft> = {}): CheckoutDraft => ({
  items: [
    { productId: 'p_1', skuId: 'k_1', qty: 2 },
    { productId: 'p_2', qty: 1 },
  ],
  addressId: 'a_1',
  couponId: 'uc_1',
  ...fields,
})

beforeEach(() => storage.clear())

test('the hash names the draft: item order and split lines do not matter; goods, sale, deal, address, coupon and note do', () => {
  const base = draftHash(draft())
  expect(draftHash(draft({ items: [...draft().items].reverse() }))).toBe(base)
  expect(
    draftHash(
      draft({
        items: [
          { productId: 'p_2', qty: 1 },
          { productId: 'p_1', skuId: 'k_1', qty: 1 },
          { productId: 'p_1', skuId: 'k_1', qty: 1 },
        ],
      }),
    ),
  ).toBe(base)
  const others = [
    draft({ items: [{ productId: 'p_1', skuId: 'k_1', qty: 3 }, draft().items[1]!] }),
    draft({ flashSaleId: 'fs_1' }),
    draft({ items: [], dealId: 'dc_1' }),
    draft({ addressId: 'a_2' }),
    draft({ couponId: null }),
    draft({ note: '请周末送' }),
  ].map(draftHash)
  expect(new Set([base, ...others]).size).toBe(7)
  // No note hashes as before notes were kept, so a draft saved then still finds its key.
  expect(draftHash(draft({ note: '' }))).toBe(base)
  // The record's place depends on the goods only, so a reload finds it whatever was chosen since.
  expect(goodsHash(draft({ addressId: 'a_2', couponId: null }))).toBe(goodsHash(draft()))
})

test('one draft keeps its key across loads; another address or coupon is another purchase with a new key', () => {
  const key = keyForDraft(draft())
  expect(key.length).toBeGreaterThanOrEqual(8)
  expect(key.length).toBeLessThanOrEqual(64)
  rememberOrder(goodsHash(draft()), 'o_1')
  // The page reloads: storage is all that is left.
  expect(keyForDraft(draft())).toBe(key)
  expect(readDraft(goodsHash(draft()))).toMatchObject({ key, orderId: 'o_1', addressId: 'a_1', couponId: 'uc_1' })
  const other = keyForDraft(draft({ couponId: null }))
  expect(other).not.toBe(key)
  expect(readDraft(goodsHash(draft()))).toMatchObject({ key: other, orderId: null, couponId: null })
})

test('a submit that got no answer keeps its key even if the shopper then changes the draft; a refusal frees it', () => {
  const goods = goodsHash(draft())
  const key = keyForDraft(draft())
  // No answer: the order may exist, so the next submit of these goods must send the same key.
  expect(keyForDraft(draft({ addressId: 'a_2' }))).toBe(key)
  // The server refused (rolled back): the key holds nothing, and a changed draft gets a new one.
  markRefused(goods)
  expect(keyForDraft(draft({ addressId: 'a_1' }))).not.toBe(key)
})

test('a paid or closed draft is forgotten; a day-old one is gone', () => {
  const goods = goodsHash(draft())
  const key = keyForDraft(draft())
  dropDraft(goods)
  expect(readDraft(goods)).toBeNull()
  expect(keyForDraft(draft())).not.toBe(key)
  const now = Date.now()
  const spy = jest.spyOn(Date, 'now').mockReturnValue(now + 25 * 3_600_000)
  try {
    expect(readDraft(goods)).toBeNull()
  } finally {
    spy.mockRestore()
  }
})
