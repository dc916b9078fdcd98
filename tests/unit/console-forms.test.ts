/** The console's forms: yuan typed by the anchor become integer fen exactly; every refusal names its field in Chinese. */
import { AdminCreateCouponInput } from '../../cloud/contract'
import { emptyCouponForm, parseCouponForm, parseLotteryForm, yuanToFen } from '../../src/features/live/console-forms'

test('yuan to fen without floating point: 0.29, 1.1, 9.99, 19.9 and full-width digits', () => {
  expect(yuanToFen('0.29')).toBe(29) // 0.29 * 100 is 28.999999999999996 in floating point
  expect(yuanToFen('1.1')).toBe(110)
  expect(yuanToFen('9.99')).toBe(999)
  expect(yuanToFen(' 19.9 ')).toBe(1990)
  expect(yuanToFen('15')).toBe(1500)
  expect(yuanToFen('15.')).toBe(1500)
  expect(yuanToFen('１５.５')).toBe(1550)
  for (const bad of ['', '-1', '1.999', 'abc', '1e3', '0x10', '1,5', '.5']) expect(yuanToFen(bad)).toBeNull()
})

test('a room-only coupon form: 满99减15, 200 张, each 1 per person, passes the contract', () => {
  const r = parseCouponForm({ title: ' 直播专享 满99减15 ', threshold: 'min', thresholdYuan: '99', valueYuan: '15', stock: '200' })
  expect(r).toEqual({
    ok: true,
    value: { title: '直播专享 满99减15', kind: 'fixed', valueFen: 1500, thresholdFen: 9900, stock: 200, perUserLimit: 1 },
  })
  if (!r.ok) return
  expect(AdminCreateCouponInput.safeParse({ ...r.value, roomId: 'r_1' }).success).toBe(true)
  // 无门槛 ignores whatever threshold was typed before switching.
  const none = parseCouponForm({ title: '无门槛券', threshold: 'none', thresholdYuan: '50', valueYuan: '5.5', stock: '10' })
  expect(none.ok && none.value).toMatchObject({ thresholdFen: 0, valueFen: 550 })
})

test('refusals, each under its field', () => {
  const empty = parseCouponForm(emptyCouponForm())
  expect(empty).toEqual({ ok: false, errors: { title: '请填写券名称', valueYuan: '请填写减免金额', stock: '请填写发放数量' } })
  const bad = parseCouponForm({ title: 'x'.repeat(31), threshold: 'min', thresholdYuan: '', valueYuan: '1.234', stock: '0' })
  expect(bad.ok ? null : bad.errors).toEqual({
    title: '券名称最多 30 个字',
    thresholdYuan: '请填写使用门槛',
    valueYuan: '减免金额须为数字，最多两位小数',
    stock: '发放数量须为 1–10000000 的整数',
  })
  const over = parseCouponForm({ title: '券', threshold: 'min', thresholdYuan: '10', valueYuan: '10', stock: '5' })
  expect(over.ok ? null : over.errors).toEqual({ valueYuan: '减免金额须小于使用门槛' })
  const huge = parseCouponForm({ title: '券', threshold: 'none', thresholdYuan: '', valueYuan: '1000000.01', stock: '5' })
  expect(huge.ok ? null : huge.errors).toEqual({ valueYuan: '减免金额不能超过 1000000 元' })
  const zero = parseCouponForm({ title: '券', threshold: 'none', thresholdYuan: '', valueYuan: '0.00', stock: '5' })
  expect(zero.ok ? null : zero.errors).toEqual({ valueYuan: '减免金额须大于 0' })
})

test('a lottery form: prize and 1–100 winners from the chosen pool', () => {
  expect(parseLotteryForm({ prize: ' 紫砂壶一把 ', winners: '3', pool: 'sharers' })).toEqual({
    ok: true,
    value: { prize: '紫砂壶一把', winners: 3, pool: 'sharers' },
  })
  expect(parseLotteryForm({ prize: '', winners: '0', pool: 'viewers' })).toEqual({
    ok: false,
    errors: { prize: '请填写奖品', winners: '中奖人数须为 1–100 的整数' },
  })
  expect(parseLotteryForm({ prize: '茶', winners: '101', pool: 'viewers' }).ok).toBe(false)
  expect(parseLotteryForm({ prize: '茶', winners: '100', pool: 'viewers' }).ok).toBe(true)
  expect(parseLotteryForm({ prize: '茶', winners: '2.5', pool: 'viewers' }).ok).toBe(false)
})

test('an amount of too many digits is too large, not "not a number": 99999999999 元 in either field', () => {
  const big = parseCouponForm({ title: '券', threshold: 'min', thresholdYuan: '99999999999', valueYuan: '99999999999', stock: '5' })
  expect(big.ok ? null : big.errors).toEqual({ valueYuan: '减免金额不能超过 1000000 元', thresholdYuan: '使用门槛不能超过 1000000 元' })
  const huge = parseCouponForm({ title: '券', threshold: 'none', thresholdYuan: '', valueYuan: '9'.repeat(400), stock: '5' })
  expect(huge.ok ? null : huge.errors).toEqual({ valueYuan: '减免金额不能超过 1000000 元' })
  // The cap itself passes; a cent over does not.
  expect(parseCouponForm({ title: '券', threshold: 'none', thresholdYuan: '', valueYuan: '1000000', stock: '5' }).ok).toBe(true)
  expect(yuanToFen('0001000000.00')).toBe(100_000_000)
})

test('titles and prizes cleaned as the server does: hidden and bidi characters only is empty', () => {
  const hidden = parseCouponForm({ title: '\u200b\u202e', threshold: 'none', thresholdYuan: '', valueYuan: '5', stock: '5' })
  expect(hidden.ok ? null : hidden.errors).toEqual({ title: '请填写券名称' })
  const messy = parseCouponForm({
    title: ' 直播\u200b专享\n满99减15\u202e ',
    threshold: 'none',
    thresholdYuan: '',
    valueYuan: '5',
    stock: '5',
  })
  expect(messy.ok && messy.value.title).toBe('直播专享 满99减15')
  if (messy.ok) expect(AdminCreateCouponInput.parse({ ...messy.value, roomId: 'r_1' }).title).toBe(messy.value.title)
  expect(parseLotteryForm({ prize: '\u2066\ufeff\u200f', winners: '1', pool: 'viewers' })).toEqual({
    ok: false,
    errors: { prize: '请填写奖品' },
  })
  expect(parseLotteryForm({ prize: '紫砂\u200b壶', winners: '1', pool: 'viewers' })).toMatchObject({ ok: true, value: { prize: '紫砂壶' } })
})

test('满10减50 is refused in the form, as the server refuses it (减免金额不能超过使用门槛)', () => {
  const r = parseCouponForm({ title: '券', threshold: 'min', thresholdYuan: '10', valueYuan: '50', stock: '5' })
  expect(r.ok ? null : r.errors).toEqual({ valueYuan: '减免金额须小于使用门槛' })
  // The server agrees that 满10减50 can't be made.
  expect(
    AdminCreateCouponInput.safeParse({
      roomId: 'r_1',
      title: '券',
      kind: 'fixed',
      valueFen: 5000,
      thresholdFen: 1000,
      stock: 5,
      perUserLimit: 1,
    }).success,
  ).toBe(false)
})
