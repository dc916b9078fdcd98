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
