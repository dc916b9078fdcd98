/**
 * The share leaderboard kept in each host for at most a second (cloud/core/live/board.ts), on a real
 * PostgreSQL: it equals the share records after racing credits, a credit shows within the bound, and
 * two hosts on one database agree within it.
 */
import { FRESH_MS } from '../../cloud/core/live/board'
import { liveKit } from '../helpers/live'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

/** Waits until FRESH_MS (and a little) has passed since `committedAt`: no board built before then may still be served. */
const pastFreshness = (committedAt: number) => new Promise((r) => setTimeout(r, Math.max(0, committedAt + FRESH_MS + 50 - Date.now())))

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const kit = liveKit(
  () => stack,
  () => admin,
)

/** The board as the share records say it: sharers by count desc, ties by who reached the count first (reached_seq). */
async function expected(roomId: string) {
  const counted = await sql(
    stack,
    `SELECT r.sharer_id, count(*)::int AS n FROM share_records r WHERE r.room_id = $1 GROUP BY r.sharer_id`,
    [roomId],
  )
  const order = await sql(stack, 'SELECT sharer_id, invites FROM sharer_counts WHERE room_id = $1 ORDER BY invites DESC, reached_seq ASC', [
    roomId,
  ])
  // The kept counts are the share records, sharer by sharer…
  expect(order.map((o) => [o.sharer_id, o.invites]).sort()).toEqual(counted.map((c) => [c.sharer_id, c.n]).sort())
  return order.map((o) => [o.sharer_id as string, o.invites as number])
}

const board = (s: Stack, roomId: string, token: string, extra: Record<string, unknown> = {}) =>
  s.ok('live', { action: 'leaderboard', roomId, limit: 100, ...extra }, token)

test('after credits race (the same viewer through two links at once, twice), the board equals the share records, every sharer’s rank with it', async () => {
  const roomId = await kit.room()
  const sharers = await kit.users(6, 'race-sharer')
  const viewers = await kit.users(90, 'race-viewer')
  const outsider = (await kit.users(1, 'race-outsider'))[0]!
  // Read before the race: a board is kept, and must not hide what follows.
  expect((await board(stack, roomId, outsider.token)).entries).toEqual([])
  const results = await Promise.all(
    viewers.flatMap((v, i) => {
      const a = sharers[i % 6]!
      const b = sharers[(i * 7 + 1) % 6]!
      const enter = (s: typeof a) => stack.call('live', { action: 'enter', roomId, sharerId: s.user.id }, v.token)
      return [enter(a), enter(b), enter(a)]
    }),
  )
  expect(results.every((r) => r.status === 200)).toBe(true)
  expect(results.filter((r) => (r.body as any).data.credited)).toHaveLength(90)
  const want = await expected(roomId)
  const { leaderboardVersion } = await kit.sync(roomId, outsider.token)
  expect(leaderboardVersion).toBe(90)
  // As the room page asks after its poll: with the version it saw.
  const got = await board(stack, roomId, outsider.token, { version: leaderboardVersion })
  expect(got.version).toBe(90)
  expect(got.entries.map((e: any) => [e.userId, e.invites])).toEqual(want)
  expect(got.entries.map((e: any) => e.rank)).toEqual(want.map((_, i) => i + 1))
  expect(got.me).toEqual({ rank: null, invites: 0 })
  for (const [i, [id, n]] of want.entries()) {
    const s = sharers.find((x) => x.user.id === id)!
    expect((await board(stack, roomId, s.token, { limit: 1 })).me).toEqual({ rank: i + 1, invites: n })
  }
}, 120_000)

test('a credit shows on the board within the bound (FRESH_MS, the rule’s 2 s) to a reader that names no version, at once to one that names its poll’s', async () => {
  const roomId = await kit.room()
  const [s, t, v1, v2, reader] = await kit.users(5, 'bound')
  await stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, v1!.token)
  const before = await board(stack, roomId, reader!.token)
  expect(before.entries.map((e: any) => [e.userId, e.invites])).toEqual([[s!.user.id, 1]])

  await stack.ok('live', { action: 'enter', roomId, sharerId: t!.user.id }, v2!.token)
  // The bound, whatever the machine's speed: a board read that starts FRESH_MS after the credit
  // committed cannot be served from a board built before it.
  await pastFreshness(Date.now())
  const shown = await board(stack, roomId, reader!.token)
  expect(shown.version).toBe(2)
  expect(shown.entries.map((e: any) => [e.userId, e.invites])).toEqual([
    [s!.user.id, 1],
    [t!.user.id, 1],
  ])

  // A quiet room: the poll's version brings the credit in the very next read.
  const [u, v3] = await kit.users(2, 'bound-next')
  await stack.ok('live', { action: 'enter', roomId, sharerId: u!.user.id }, v3!.token)
  const { leaderboardVersion } = await kit.sync(roomId, reader!.token)
  const next = await board(stack, roomId, reader!.token, { version: leaderboardVersion })
  expect(next.version).toBe(3)
  expect(next.entries).toHaveLength(3)
}, 60_000)

test('two hosts on one database agree within the bound; each answers the version it holds', async () => {
  const second = await startStack({ databaseUrl: stack.databaseUrl })
  try {
    const roomId = await kit.room()
    const sharers = await kit.users(3, 'two-hosts-sharer')
    const viewers = await kit.users(12, 'two-hosts-viewer')
    const reader = (await kit.users(1, 'two-hosts-reader'))[0]!
    const readerB = await second.login(`two-hosts-reader-b`)
    // Both hosts keep a board of the empty room.
    expect((await board(stack, roomId, reader.token)).version).toBe(0)
    expect((await board(second, roomId, readerB.token)).version).toBe(0)
    // Credits through both hosts at once.
    await Promise.all(
      viewers.map((v, i) =>
        (i % 2 ? second : stack).call('live', { action: 'enter', roomId, sharerId: sharers[i % 3]!.user.id }, v.token).then((r) => {
          if (r.status !== 200) throw new Error(JSON.stringify(r.body))
        }),
      ),
    )
    await pastFreshness(Date.now())
    const want = await expected(roomId)
    // Each host's next read, FRESH_MS after the last credit committed, holds every credit.
    const [a, b] = await Promise.all([board(stack, roomId, reader.token), board(second, roomId, readerB.token)])
    expect(a.version).toBe(12)
    expect(b.version).toBe(12)
    expect(a.entries).toEqual(b.entries)
    expect(a.entries.map((e: any) => [e.userId, e.invites])).toEqual(want)
  } finally {
    await second.stop()
  }
}, 120_000)

test('a board of one entry; the rank of a sharer past the page; an unknown room is NOT_FOUND and stays so', async () => {
  const roomId = await kit.room()
  const [s, v] = await kit.users(2, 'edge')
  await stack.ok('live', { action: 'enter', roomId, sharerId: s!.user.id }, v!.token)
  const one = await board(stack, roomId, s!.token, { limit: 1 })
  expect(one).toMatchObject({ entries: [{ rank: 1, userId: s!.user.id, invites: 1 }], me: { rank: 1, invites: 1 }, version: 1 })

  // 25 sharers, one credit each: the 25th is past the default page of 20 and still has its rank.
  const room2 = await kit.room()
  const many = await kit.users(25, 'edge-many')
  const fans = await kit.users(25, 'edge-fan')
  for (const [i, f] of fans.entries()) await stack.ok('live', { action: 'enter', roomId: room2, sharerId: many[i]!.user.id }, f.token)
  const last = await stack.ok('live', { action: 'leaderboard', roomId: room2, version: 25 }, many[24]!.token)
  expect(last.entries).toHaveLength(20)
  expect(last.me).toEqual({ rank: 25, invites: 1 })

  for (let i = 0; i < 2; i++) {
    const r = await stack.call('live', { action: 'leaderboard', roomId: 'r_nope' }, s!.token)
    expect((r.body as any).error.code).toBe('NOT_FOUND')
  }
}, 60_000)
