/** The client's shared store helpers: paged lists, outcomes, the server clock, coupon button words. */
import { ApiError } from '../../src/api/errors'
import { attempt } from '../../src/features/shared/outcome'
import { emptyPagedList, pagedLists, type Page, type PagedList } from '../../src/features/shared/paged-list'
import { serverNow, useServerClock } from '../../src/features/shared/server-clock'
import { couponStateText } from '../../src/lib/coupon-text'

type Row = { id: string }
const rows = (...ids: string[]): Row[] => ids.map((id) => ({ id }))

function harness(fetch: (key: string, cursor: string | undefined) => Promise<Page<Row>>) {
  const lists: Record<string, PagedList<Row>> = {}
  const read = (key: string) => lists[key] ?? emptyPagedList<Row>()
  const paging = pagedLists<Row>({ read, patch: (key, patch) => (lists[key] = { ...read(key), ...patch }), fetch })
  return { read, ...paging }
}

describe('paged lists', () => {
  test('load more appends the next page once, without rows already shown', async () => {
    const pages: Record<string, Page<Row>> = {
      first: { items: rows('a', 'b'), nextCursor: 'c1' },
      c1: { items: rows('b', 'c'), nextCursor: null },
    }
    const h = harness(async (_key, cursor) => pages[cursor ?? 'first']!)
    await h.refresh('all')
    await h.loadMore('all')
    expect(h.read('all')).toMatchObject({ items: rows('a', 'b', 'c'), nextCursor: null, status: 'ready', loadingMore: false })
    await h.loadMore('all') // no cursor left: nothing is fetched
    expect(h.read('all').items).toHaveLength(3)
  })

  test('a refresh drops the answer of a load-more still on its way and clears its spinner', async () => {
    let release: (p: Page<Row>) => void = () => undefined
    let n = 0
    const h = harness((_key, cursor) =>
      cursor ? new Promise<Page<Row>>((r) => (release = r)) : Promise.resolve({ items: rows(`r${n++}`), nextCursor: 'more' }),
    )
    await h.refresh('k')
    const more = h.loadMore('k')
    expect(h.read('k').loadingMore).toBe(true)
    await h.refresh('k')
    release({ items: rows('stale'), nextCursor: null })
    await more
    expect(h.read('k')).toMatchObject({ items: rows('r1'), loadingMore: false, nextCursor: 'more' })
  })

  test('a failed first load is an error with the message; a failed load-more keeps the rows', async () => {
    let fail = false
    const h = harness(async (_k, cursor) => {
      if (fail || cursor) throw new ApiError('NETWORK', '网络不给力，请检查网络后重试')
      return { items: rows('a'), nextCursor: 'x' }
    })
    await h.refresh('k')
    await h.loadMore('k')
    expect(h.read('k')).toMatchObject({ items: rows('a'), status: 'ready', error: '网络不给力，请检查网络后重试' })
    fail = true
    await h.refresh('k')
    expect(h.read('k')).toMatchObject({ status: 'error', error: '网络不给力，请检查网络后重试' })
  })
})

test('attempt answers a value, an ApiError with its code, and anything else as INTERNAL', async () => {
  expect(await attempt(async () => 7)).toEqual({ ok: true, value: 7 })
  expect(await attempt(() => Promise.reject(new ApiError('COUPON_SOLD_OUT', '优惠券已抢光')))).toEqual({
    ok: false,
    code: 'COUPON_SOLD_OUT',
    message: '优惠券已抢光',
  })
  expect(await attempt(() => Promise.reject(new TypeError('x is undefined')))).toEqual({
    ok: false,
    code: 'INTERNAL',
    message: '出错了，请稍后再试',
  })
})

test('the server clock: a device three hours fast counts by the server time an answer carried', () => {
  const realNow = Date.now.bind(Date)
  const spy = jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 3 * 3_600_000)
  try {
    useServerClock.getState().sync(new Date(realNow()).toISOString())
    expect(Math.abs(serverNow() - realNow())).toBeLessThan(1000)
    expect(useServerClock.getState().synced).toBe(true)
  } finally {
    spy.mockRestore()
  }
})

test('one set of words for a coupon button, with the product chip and the live room variants', () => {
  expect(['claimable', 'claimed', 'sold_out', 'not_started', 'ended'].map((s) => couponStateText(s as never))).toEqual([
    '立即领取',
    '已领取',
    '已抢光',
    '未开始',
    '已结束',
  ])
  expect(couponStateText('claimable', 'product')).toBe('领取')
  // The room says what the server's state says: never 直播中可领 for a coupon it offers.
  expect(couponStateText('claimable', 'room')).toBe('立即领取')
  expect(couponStateText('not_started', 'room')).toBe('未开始')
  expect(couponStateText('ended', 'room')).toBe('已结束')
  expect(couponStateText('sold_out', 'room')).toBe('已抢光')
})
