/**
 * Issue 17's caches on a real PostgreSQL, with two hosts on one database as ten hosts (or CloudBase)
 * would run: the session cache (shoppers only, never past the session's expiry, a role counts at the
 * next call), the room cache (a change on this host at the next poll, on another host once the
 * cache's time passed, and correct after expiry when the database changed behind every host's back).
 * Both hosts keep short times here (sessions 1 s, rooms 500 ms) so the bounds can be waited out.
 */
import { createHash, randomBytes } from 'node:crypto'
import { sql } from '../helpers/mall'
import { liveKit } from '../helpers/live'
import { startStack, type Stack } from '../helpers/stack'

const SESSION_MS = 1_000
const ROOM_MS = 500
const env = { SESSION_CACHE_MS: String(SESSION_MS), LIVE_CACHE_MS: String(ROOM_MS) }

let one: Stack
let two: Stack
let admin: string

beforeAll(async () => {
  one = await startStack({ env })
  two = await startStack({ env, databaseUrl: one.databaseUrl })
  admin = (await one.login('admin')).token
}, 90_000)
afterAll(async () => {
  await two?.stop()
  await one?.stop()
})

const { room, users, sync } = liveKit(
  () => one,
  () => admin,
)
const syncOn = (stack: Stack, roomId: string, token: string, since?: string) =>
  stack.ok('live', { action: 'sync', roomId, ...(since ? { since } : {}) }, token)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

/** A session made in the database directly, expiring at `expiresAt`: its bearer token. */
async function sessionOf(userId: string, expiresAt: Date): Promise<string> {
  const token = randomBytes(24).toString('base64url')
  await sql(one, 'INSERT INTO sessions (token_hash, user_id, expires_at) VALUES ($1, $2, $3)', [
    createHash('sha256').update(token).digest('hex'),
    userId,
    expiresAt,
  ])
  return token
}

describe('the session cache', () => {
  test('a session is never served past its expiry, though the cache would keep it longer', async () => {
    const [u] = await users(1, 'expiring')
    // Kept for 1 s by the cache, but the session itself ends in 600 ms.
    const token = await sessionOf(u!.user.id, new Date(Date.now() + 600))
    expect((await one.call('auth', { action: 'me' }, token)).status).toBe(200)
    expect((await one.call('auth', { action: 'me' }, token)).status).toBe(200)
    await sleep(700)
    expect((await one.call('auth', { action: 'me' }, token)).status).toBe(401)
  })

  test('a session ended behind the host’s back (another host, the database) is refused once the cache’s time passed', async () => {
    const [u] = await users(1, 'ended')
    const token = await sessionOf(u!.user.id, new Date(Date.now() + 86_400_000))
    expect((await one.call('auth', { action: 'me' }, token)).status).toBe(200)
    await sql(one, 'DELETE FROM sessions WHERE user_id = $1', [u!.user.id])
    await sleep(SESSION_MS + 100)
    expect((await one.call('auth', { action: 'me' }, token)).status).toBe(401)
    expect((await two.call('auth', { action: 'me' }, token)).status).toBe(401)
  })

  test('a role given counts at the next staff call, a role taken away at the next call, on either host', async () => {
    const shopper = await one.login('cache-anchor')
    // Their calls as a shopper put them in both hosts' caches.
    await one.ok('auth', { action: 'me' }, shopper.token)
    await two.ok('auth', { action: 'me' }, shopper.token)
    expect((await two.call('admin', { action: 'liveRooms' }, shopper.token)).status).toBe(403)
    await one.ok('admin', { action: 'setStaff', openid: 'cache-anchor', role: 'anchor' }, admin)
    expect((await two.call('admin', { action: 'liveRooms' }, shopper.token)).status).toBe(200)
    expect((await one.ok('auth', { action: 'me' }, shopper.token)).user.role).toBe('anchor')
    await one.ok('admin', { action: 'setStaff', openid: 'cache-anchor', role: null }, admin)
    expect((await two.call('admin', { action: 'liveRooms' }, shopper.token)).status).toBe(403)
    expect((await one.call('admin', { action: 'liveRooms' }, shopper.token)).status).toBe(403)
    // Staff were never kept: the next user call reads them as the shopper they are again.
    expect((await two.ok('auth', { action: 'me' }, shopper.token)).user.role).toBeNull()
  })

  test('a role given to a shopper whose session is kept shows at once where their role decides (auth.me, the console sign-in)', async () => {
    const x = await two.login('made-staff-me')
    // Kept by both hosts as a shopper.
    for (const h of [one, two]) await h.ok('cart', { action: 'list' }, x.token)
    await one.ok('admin', { action: 'setStaff', openid: 'made-staff-me', role: 'operator' }, admin)
    for (const h of [one, two]) expect((await h.ok('auth', { action: 'me' }, x.token)).user.role).toBe('operator')
    // The console's sign-in on the phone goes by the caller's role, on either host.
    for (const h of [one, two]) {
      const { ticket } = await h.ok('auth', { action: 'consoleTicket' })
      expect(await h.ok('auth', { action: 'consoleScan', ticket }, x.token)).toMatchObject({ status: 'scanned', role: 'operator' })
    }
  })

  test('staff are never kept: a staff session ended anywhere is refused at the next call on either host', async () => {
    await one.ok('admin', { action: 'setStaff', openid: 'cache-operator', role: 'operator' }, admin)
    const staffer = await one.login('cache-operator')
    expect((await one.call('admin', { action: 'liveRooms' }, staffer.token)).status).toBe(200)
    expect((await two.call('auth', { action: 'me' }, staffer.token)).status).toBe(200)
    await sql(one, 'DELETE FROM sessions WHERE user_id = $1', [staffer.user.id])
    expect((await two.call('auth', { action: 'me' }, staffer.token)).status).toBe(401)
    expect((await one.call('admin', { action: 'liveRooms' }, staffer.token)).status).toBe(401)
  })

  test('200 first calls racing with one token all answer, as one session read', async () => {
    const [u] = await users(1, 'racing')
    const answers = await Promise.all(Array.from({ length: 200 }, () => two.call('auth', { action: 'me' }, u!.token)))
    expect(answers.map((a) => a.status)).toEqual(Array(200).fill(200))
  })
})

describe('the room cache', () => {
  test('a change on one host reaches its next poll at once, and a viewer polling the other host once the cache’s time passed', async () => {
    const roomId = await room()
    const [here, there] = await users(2, 'two-hosts')
    await one.ok('live', { action: 'enter', roomId }, here!.token)
    await two.ok('live', { action: 'enter', roomId }, there!.token)
    // The entries are counts: each host sees the other's within the cache's time.
    await sleep(ROOM_MS + 20)
    let a = (await syncOn(one, roomId, here!.token)).cursor
    let b = (await syncOn(two, roomId, there!.token)).cursor
    // Both hosts hold the room's state now; nothing changed.
    expect(Object.keys(await syncOn(one, roomId, here!.token, a))).toEqual(['cursor'])
    expect(Object.keys(await syncOn(two, roomId, there!.token, b))).toEqual(['cursor'])

    const { couponId } = await one.ok(
      'admin',
      { action: 'createCoupon', title: '两台主机', kind: 'fixed', valueFen: 300, thresholdFen: 0, stock: 10, perUserLimit: 1 },
      admin,
    )
    await one.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
    const committedAt = Date.now()
    // This host: the very next poll.
    const near = await syncOn(one, roomId, here!.token, a)
    expect(near.room.coupons.map((c: { couponId: string }) => c.couponId)).toContain(couponId)
    a = near.cursor
    // The other host: within the cache's time, and surely at the first poll starting after it.
    const early = await syncOn(two, roomId, there!.token, b)
    if (!early.room) expect(Date.now() - committedAt).toBeLessThan(ROOM_MS + 50)
    await sleep(ROOM_MS + 20)
    const far = early.room ? early : await syncOn(two, roomId, there!.token, b)
    expect(far.room.coupons.map((c: { couponId: string }) => c.couponId)).toContain(couponId)
    b = far.cursor
    expect(Object.keys(await syncOn(two, roomId, there!.token, b))).toEqual(['cursor'])
  })

  test('a viewer alternating hosts never goes back: a host behind the cursor answers it alone, counts never fall', async () => {
    const roomId = await room()
    const [v, liker] = await users(2, 'alternating')
    await one.ok('live', { action: 'enter', roomId }, v!.token)
    await one.ok('live', { action: 'enter', roomId }, liker!.token)
    await sleep(ROOM_MS + 20)
    // Host two holds the room's state as it is now.
    const before = await syncOn(two, roomId, v!.token)
    expect(Object.keys(await syncOn(two, roomId, v!.token, before.cursor))).toEqual(['cursor'])
    // A change for everyone and likes, on host one: its next poll has them at once.
    await one.ok('admin', { action: 'updateLiveRoom', roomId, title: '新的标题' }, admin)
    await one.ok('live', { action: 'like', roomId, count: 5 }, liker!.token)
    const moved = await syncOn(one, roomId, v!.token, before.cursor)
    expect(moved.room.title).toBe('新的标题')
    expect(moved.likeCount).toBeGreaterThanOrEqual(5)
    // Host two, still within its cache's time, is behind that cursor: nothing, not the old room or fewer likes.
    const behind = await syncOn(two, roomId, v!.token, moved.cursor)
    if (behind.room) expect(behind.room.title).toBe('新的标题')
    expect(behind.likeCount ?? moved.likeCount).toBeGreaterThanOrEqual(moved.likeCount)
    if (!behind.room) expect(behind.cursor).toBe(moved.cursor)
    // Once its time passed, host two has caught up and the cursor stays unchanged.
    await sleep(ROOM_MS + 20)
    const caught = await syncOn(two, roomId, v!.token, behind.cursor)
    expect(caught.room).toBeUndefined()
    expect(caught.likeCount).toBeUndefined()
  })

  test('a comment committed on the other host just before one on this host is never skipped by this host’s next poll', async () => {
    const roomId = await room()
    const [v, a, b] = await users(3, 'comment-order')
    for (const u of [v, a, b]) await one.ok('live', { action: 'enter', roomId }, u!.token)
    await sleep(ROOM_MS + 20)
    // Host one holds the room's state; a comment on host two, then one on host one, within its cache's time.
    const first = await syncOn(one, roomId, v!.token)
    const there = (await two.ok('live', { action: 'comment', roomId, text: '另一台主机的评论' }, a!.token)).comment
    const here = (await one.ok('live', { action: 'comment', roomId, text: '这台主机的评论' }, b!.token)).comment
    expect(there.id).toBeLessThan(here.id)
    const next = await syncOn(one, roomId, v!.token, first.cursor)
    const seen = (next.comments ?? []).map((c: { id: number }) => c.id)
    // Both, or (were the other host's not yet visible) neither: the cursor never passes a comment it did not send.
    expect(seen).toEqual([there.id, here.id])
  })

  test('a shopper given a staff role while their session is kept enters as staff: never a lottery candidate', async () => {
    const roomId = await room()
    const x = await two.login('made-staff-x')
    // Their session is kept by host two.
    await two.ok('auth', { action: 'me' }, x.token)
    await one.ok('admin', { action: 'setStaff', openid: 'made-staff-x', role: 'anchor' }, admin)
    await two.ok('live', { action: 'enter', roomId }, x.token)
    expect(await sql(one, 'SELECT staff FROM room_entries WHERE room_id = $1 AND user_id = $2', [roomId, x.user.id])).toEqual([
      { staff: true },
    ])
  })

  test('correct after expiry: a change made in the database behind every host’s back reaches both once the time passed', async () => {
    const roomId = await room()
    const [v] = await users(1, 'behind')
    await one.ok('live', { action: 'enter', roomId }, v!.token)
    const a = (await syncOn(one, roomId, v!.token)).cursor
    const b = (await syncOn(two, roomId, v!.token)).cursor
    await sql(one, `UPDATE live_rooms SET title = '改在数据库里', version = version + 1 WHERE id = $1`, [roomId])
    await sleep(ROOM_MS + 20)
    expect((await syncOn(one, roomId, v!.token, a)).room.title).toBe('改在数据库里')
    expect((await syncOn(two, roomId, v!.token, b)).room.title).toBe('改在数据库里')
  })

  test('counts: a comment and likes on one host reach its next poll at once, the other host’s within the cache’s time', async () => {
    const roomId = await room()
    const [writer, reader] = await users(2, 'counts')
    await one.ok('live', { action: 'enter', roomId }, writer!.token)
    await one.ok('live', { action: 'enter', roomId }, reader!.token)
    const a = (await syncOn(one, roomId, reader!.token)).cursor
    const b = (await syncOn(two, roomId, reader!.token)).cursor
    const { comment } = await one.ok('live', { action: 'comment', roomId, text: '好茶' }, writer!.token)
    await one.ok('live', { action: 'like', roomId, count: 5 }, writer!.token)
    const near = await syncOn(one, roomId, reader!.token, a)
    expect(near.comments.map((c: { id: number }) => c.id)).toEqual([comment.id])
    expect(near.likeCount).toBe(5)
    await sleep(ROOM_MS)
    const far = await syncOn(two, roomId, reader!.token, b)
    expect(far.comments.map((c: { id: number }) => c.id)).toEqual([comment.id])
    expect(far.likeCount).toBe(5)
  })

  test('a version change makes 100 viewers racing their next poll each get the new room, none the old one', async () => {
    const roomId = await room()
    const crowd = await users(100, 'herd')
    for (const v of crowd) await one.ok('live', { action: 'enter', roomId }, v.token)
    const cursors = await Promise.all(crowd.map((v) => sync(roomId, v.token).then((s) => s.cursor as string)))
    await one.ok('admin', { action: 'updateLiveRoom', roomId, title: '新标题' }, admin)
    const next = await Promise.all(crowd.map((v, i) => sync(roomId, v.token, cursors[i])))
    expect(next.map((s) => s.room?.title)).toEqual(Array(100).fill('新标题'))
    // The claim of one viewer reloads their view alone; the others stay the cursor alone.
    const { couponId } = await one.ok(
      'admin',
      { action: 'createCoupon', title: '抢', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: 100, perUserLimit: 1 },
      admin,
    )
    await one.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
    const after = await Promise.all(crowd.map((v, i) => sync(roomId, v.token, next[i].cursor)))
    await one.ok('coupon', { action: 'claim', couponId }, crowd[0]!.token)
    const claimed = await Promise.all(crowd.slice(0, 3).map((v, i) => sync(roomId, v.token, after[i].cursor)))
    expect(claimed[0].room.coupons[0].state).toBe('claimed')
    expect(claimed.slice(1).map((s) => Object.keys(s))).toEqual([['cursor'], ['cursor']])
  }, 60_000)

  test('a viewer’s own part kept across a version change still shows a coupon they claimed elsewhere once it is dropped here', async () => {
    const roomId = await room()
    const [v] = await users(1, 'own-part')
    await one.ok('live', { action: 'enter', roomId }, v!.token)
    const first = await sync(roomId, v!.token)
    // Claimed in the claim center before the drop: this room's viewer version does not move.
    const { couponId } = await one.ok(
      'admin',
      { action: 'createCoupon', title: '先领后投', kind: 'fixed', valueFen: 200, thresholdFen: 0, stock: 10, perUserLimit: 1 },
      admin,
    )
    await one.ok('coupon', { action: 'claim', couponId }, v!.token)
    await one.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)
    const next = await sync(roomId, v!.token, first.cursor)
    expect(next.room.coupons.find((c: { couponId: string }) => c.couponId === couponId).state).toBe('claimed')
  })

  test('entries racing through two sharers each on both hosts credit once per viewer', async () => {
    const roomId = await room()
    const [s1, s2] = await users(2, 'race-sharer')
    const viewers = await users(40, 'race-viewer')
    const calls = viewers.flatMap((v) => [
      one.ok('live', { action: 'enter', roomId, sharerId: s1!.user.id }, v.token),
      two.ok('live', { action: 'enter', roomId, sharerId: s2!.user.id }, v.token),
    ])
    const answers = await Promise.all(calls)
    expect(answers.filter((a) => a.credited).length).toBe(40)
    const [{ records, invites }] = await sql(
      one,
      `SELECT (SELECT count(*)::int FROM share_records WHERE room_id = $1) AS records,
              (SELECT sum(invites)::int FROM sharer_counts WHERE room_id = $1) AS invites`,
      [roomId],
    )
    expect({ records, invites }).toEqual({ records: 40, invites: 40 })
  }, 30_000)
})
