/** 拼团's pure rules: masked names, the window, the key's group, the success rate, and checkout drafts of groups. */
// The draft module reads Taro's storage API; these tests only hash drafts.
jest.mock('@tarojs/taro', () => ({ __esModule: true, default: { getStorageSync: () => '', setStorageSync: () => undefined } }))

import { campaignOpen, openGroupId, successRate } from '../../cloud/core/group/group.rules'
import { maskHead } from '../../cloud/core/live/room.rules'
import { goodsHash } from '../../src/lib/idempotency'

test('a member is shown by the first character, ** and the last (first and * for two), whole code points', () => {
  expect(maskHead('团长阿花')).toBe('团**花')
  expect(maskHead('茶')).toBe('茶**')
  expect(maskHead('茶友')).toBe('茶*')
  expect(maskHead('😀好友')).toBe('😀**友')
  expect(maskHead('好友😀')).toBe('好**😀')
  expect(maskHead('  ')).toBe('***')
})

test('default nicknames (微信用户 and digits) mask to strings that tell people apart', () => {
  expect(maskHead('微信用户3008')).toBe('微**8')
  expect(maskHead('微信用户1234')).toBe('微**4')
  expect(maskHead('微信用户3008')).not.toBe(maskHead('微信用户1234'))
})

test("a member's nickname is cleaned as people's text before it is masked (as assists do)", () => {
  // A zero-width or control character first is not what the page shows.
  expect(maskHead('\u200b茶友')).toBe('茶*')
  expect(maskHead('\u0001\u202e阿花')).toBe('阿*')
})

test('a campaign takes groups only while active and inside [startsAt, endsAt)', () => {
  const c = { status: 'active' as const, startsAt: new Date('2026-12-01T00:00:00Z'), endsAt: new Date('2026-12-02T00:00:00Z') }
  expect(campaignOpen(c, new Date('2026-11-30T23:59:59Z'))).toBe(false)
  expect(campaignOpen(c, new Date('2026-12-01T00:00:00Z'))).toBe(true)
  expect(campaignOpen(c, new Date('2026-12-02T00:00:00Z'))).toBe(false)
  expect(campaignOpen({ ...c, status: 'paused' }, new Date('2026-12-01T12:00:00Z'))).toBe(false)
})

test("an open's group is named by the opener and the key: the same key the same group, another key or user another", () => {
  const a = openGroupId('u_1', 'key-00000001')
  expect(a).toMatch(/^g_[0-9a-f]{16}$/)
  expect(openGroupId('u_1', 'key-00000001')).toBe(a)
  expect(openGroupId('u_1', 'key-00000002')).not.toBe(a)
  expect(openGroupId('u_2', 'key-00000001')).not.toBe(a)
})

test('the success rate is succeeded over ended groups, none before any ended', () => {
  expect(successRate(0, 0)).toBeNull()
  expect(successRate(1, 2)).toBe(0.333)
  expect(successRate(3, 0)).toBe(1)
})

test('checkout drafts of opening and joining are kept apart from each other and from items', () => {
  const open = goodsHash({ items: [], groupRef: 'open:gc_1' })
  const join = goodsHash({ items: [], groupRef: 'join:g_1' })
  expect(open).not.toBe(join)
  expect(open).not.toBe(goodsHash({ items: [] }))
  expect(goodsHash({ items: [], groupRef: 'open:gc_1' })).toBe(open)
})
