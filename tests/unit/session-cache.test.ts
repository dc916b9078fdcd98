/** The session cache's own rules (cloud/adapters/cache/session-cache.ts): its time, the session's expiry, sign-out, staff, its bound. */
import { sessionCache } from '../../cloud/adapters/cache/session-cache'
import type { SessionRepo } from '../../cloud/core/auth/auth.ports'
import type { Caller } from '../../cloud/core/context'

const shopper = (userId: string): Caller => ({ userId, openid: `o-${userId}`, isAdmin: false, role: null })
const noReads = {} as SessionRepo
const make = (maxEntries = 10) => sessionCache({ ttlMs: 5_000, maxEntries, sessions: noReads })
const at = (ms: number) => new Date(1_000_000 + ms)

test('kept for its time, never past the session’s expiry', () => {
  const c = make()
  c.put('a', shopper('a'), at(60_000), at(0))
  c.put('b', shopper('b'), at(2_000), at(0))
  expect(c.get('a', at(4_999))).toEqual(shopper('a'))
  expect(c.get('a', at(5_000))).toBeNull()
  expect(c.get('b', at(1_999))).toEqual(shopper('b'))
  expect(c.get('b', at(2_000))).toBeNull()
})

test('staff are never kept', () => {
  const c = make()
  c.put('s', { ...shopper('s'), isAdmin: true, role: 'anchor' }, null, at(0))
  expect(c.get('s', at(1))).toBeNull()
})

test('a sign-out drops the token at once, and a read that raced it can not put it back for the cache’s time', () => {
  const c = make()
  const now = new Date()
  c.put('t', shopper('t'), null, now)
  c.forget('t')
  expect(c.get('t', now)).toBeNull()
  c.put('t', shopper('t'), null, now)
  expect(c.get('t', now)).toBeNull()
})

test('bounded: the least recently used goes first', () => {
  const c = make(2)
  c.put('a', shopper('a'), null, at(0))
  c.put('b', shopper('b'), null, at(0))
  expect(c.get('a', at(1))).not.toBeNull()
  c.put('c', shopper('c'), null, at(2))
  expect(c.get('b', at(3))).toBeNull()
  expect(c.get('a', at(3))).not.toBeNull()
  expect(c.get('c', at(3))).not.toBeNull()
})
