/**
 * Abuse that costs the abuser, on real PostgreSQL: every limit raced, on one host and on two hosts
 * sharing one database (as CloudBase runs many copies of a function), and the storage a loop of
 * failed or unauthenticated calls could grow held to a bound.
 */
import pg from 'pg'
import { SANDBOX_NOTIFY_PATH } from '../../cloud/adapters/payment/sandbox'
import { COMMENTS, LIKES, MAX_ADDRESSES, NOTIFY_REJECTIONS, REJECTION_BODY_BYTES, mostInWindow } from '../../cloud/core/limits'
import { createProduct, key, postNotify, saveAddress, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

jest.setTimeout(60_000)

let stack: Stack
let twin: Stack
let admin: string
let pool: pg.Pool

beforeAll(async () => {
  stack = await startStack({ env: { JOB_INTERVAL_MS: '300' } })
  // A second host on the same database.
  twin = await startStack({ databaseUrl: stack.databaseUrl })
  admin = (await stack.login('admin')).token
  pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 20 })
}, 120_000)
afterAll(async () => {
  await pool?.end()
  await Promise.all([stack?.stop(), twin?.stop()])
})

const liveRoom = async () => {
  const { roomId } = await stack.ok(
    'admin',
    { action: 'createLiveRoom', title: '限流测试直播', startsAt: new Date(Date.now() + 3600_000).toISOString() },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  return roomId as string
}
const viewer = async (openid: string, roomId: string) => {
  const v = await stack.login(openid)
  await stack.ok('live', { action: 'enter', roomId }, v.token)
  return v
}
/** Runs `fn` and how long it took, in seconds. */
const timed = async <T>(fn: () => Promise<T>): Promise<[T, number]> => {
  const t0 = Date.now()
  const r = await fn()
  return [r, (Date.now() - t0) / 1000]
}
const commentCount = async (roomId: string) =>
  (await sql(stack, 'SELECT count(*)::int AS n FROM room_comments WHERE room_id = $1', [roomId]))[0].n as number

describe('the limiter itself (take_tokens), raced and on a made-up clock', () => {
  const take = (k: string, want: number, rule: { perSecond: number; burst: number }, at: Date) =>
    pool
      .query<{ got: number }>('SELECT take_tokens($1, $2, $3, $4, $5) AS got', [k, want, rule.perSecond, rule.burst, at])
      .then((r) => r.rows[0]!.got)

  test('200 takes at once on 20 connections get exactly the burst', async () => {
    const at = new Date()
    const got = await Promise.all(Array.from({ length: 200 }, () => take('t:race', 1, COMMENTS, at)))
    expect(got.reduce((s, n) => s + n, 0)).toBe(COMMENTS.burst)
  })

  test('likes: 50 asked every 100 ms for 3 minutes never grant more than 300 in any 60 s', async () => {
    const t0 = Date.parse('2030-01-01T00:00:00Z')
    const grants: Array<[number, number]> = []
    for (let ms = 0; ms <= 180_000; ms += 100) grants.push([ms, await take('t:likes', 50, LIKES, new Date(t0 + ms))])
    let worst = 0
    for (const [start] of grants) {
      const inWindow = grants.filter(([ms]) => ms >= start && ms < start + 60_000).reduce((s, [, n]) => s + n, 0)
      worst = Math.max(worst, inWindow)
    }
    expect(worst).toBeLessThanOrEqual(300)
    expect(worst).toBeGreaterThanOrEqual(290) // the limit, not a much lower one
    expect(mostInWindow(LIKES, 60)).toBe(300)
  }, 120_000)

  test('a clock running behind refills nothing and never moves the bucket back', async () => {
    const at = new Date('2030-01-01T00:00:00Z')
    expect(await take('t:skew', 3, COMMENTS, at)).toBe(3)
    expect(await take('t:skew', 1, COMMENTS, new Date(at.getTime() - 60_000))).toBe(0)
    expect(await take('t:skew', 1, COMMENTS, new Date(at.getTime() + 1_999))).toBe(0)
    expect(await take('t:skew', 2, COMMENTS, new Date(at.getTime() + 2_000))).toBe(1)
  })
})

describe('comments: one per 2 s per viewer and room, a burst of 3', () => {
  test('50 comments at once from one account: 3 stored, the rest 429 with the message, nothing stored for them', async () => {
    const roomId = await liveRoom()
    const v = await viewer('flood-1', roomId)
    const [answers, seconds] = await timed(() =>
      Promise.all(Array.from({ length: 50 }, (_, i) => stack.call('live', { action: 'comment', roomId, text: `刷屏${i}` }, v.token))),
    )
    const ok = answers.filter((a) => a.status === 200)
    const limited = answers.filter((a) => a.status === 429)
    expect(ok.length + limited.length).toBe(50)
    // Exactly the burst when the race takes under 2 s; a slower machine lets one more through per 2 s.
    expect(ok.length).toBeGreaterThanOrEqual(COMMENTS.burst)
    expect(ok.length).toBeLessThanOrEqual(mostInWindow(COMMENTS, seconds))
    if (seconds < 2) expect(ok.length).toBe(3)
    for (const a of limited) expect(a.body).toEqual({ ok: false, error: { code: 'RATE_LIMITED', message: '发言太快了，请稍后再试' } })
    expect(await commentCount(roomId)).toBe(ok.length)
    // Another viewer, and the same viewer in another room, have buckets of their own.
    const w = await viewer('flood-2', roomId)
    expect((await stack.call('live', { action: 'comment', roomId, text: '我也来' }, w.token)).status).toBe(200)
    const other = await liveRoom()
    await stack.ok('live', { action: 'enter', roomId: other }, v.token)
    expect((await stack.call('live', { action: 'comment', roomId: other, text: '换个房间' }, v.token)).status).toBe(200)
    // Two seconds later one more token has come back.
    await new Promise((r) => setTimeout(r, 2_100))
    expect((await stack.call('live', { action: 'comment', roomId, text: '等了两秒' }, v.token)).status).toBe(200)
  })

  test('the same flood split across two hosts on one database still gets 3 through', async () => {
    const roomId = await liveRoom()
    const v = await viewer('flood-twin', roomId)
    const [answers, seconds] = await timed(() =>
      Promise.all(
        Array.from({ length: 50 }, (_, i) => (i % 2 ? twin : stack).call('live', { action: 'comment', roomId, text: `两台${i}` }, v.token)),
      ),
    )
    const ok = answers.filter((a) => a.status === 200).length
    expect(answers.filter((a) => a.status === 429)).toHaveLength(50 - ok)
    expect(ok).toBeGreaterThanOrEqual(3)
    expect(ok).toBeLessThanOrEqual(mostInWindow(COMMENTS, seconds))
    if (seconds < 2) expect(ok).toBe(3)
    expect(await commentCount(roomId)).toBe(ok)
  })

  test('a comment the content check refuses still costs its token, so the check cannot be hammered', async () => {
    const roomId = await liveRoom()
    const v = await viewer('spammer', roomId)
    for (let i = 0; i < 3; i++) {
      expect((await stack.call('live', { action: 'comment', roomId, text: `加微信 abc${i}` }, v.token)).body).toMatchObject({
        ok: false,
        error: { code: 'CONTENT_REJECTED' },
      })
    }
    expect((await stack.call('live', { action: 'comment', roomId, text: '正常发言' }, v.token)).status).toBe(429)
    expect(await commentCount(roomId)).toBe(0)
  })

  test('only a viewer who entered the room may comment or like', async () => {
    const roomId = await liveRoom()
    const stranger = await stack.login('stranger')
    for (const data of [
      { action: 'comment', roomId, text: '路过' },
      { action: 'like', roomId, count: 10 },
    ]) {
      expect((await stack.call('live', data, stranger.token)).body).toEqual({
        ok: false,
        error: { code: 'FORBIDDEN', message: '请先进入直播间' },
      })
    }
    expect(await commentCount(roomId)).toBe(0)
    expect((await sql(stack, 'SELECT like_count::int AS n FROM live_rooms WHERE id = $1', [roomId]))[0].n).toBe(0)
    await stack.ok('live', { action: 'enter', roomId }, stranger.token)
    expect((await stack.ok('live', { action: 'like', roomId, count: 10 }, stranger.token)).accepted).toBe(10)
  })
})

describe('likes: at most 50 a call and 300 a minute per viewer and room, the excess ignored', () => {
  test('500 calls of 50 at once, half on each host: every call succeeds and the room counts only what was granted', async () => {
    const roomId = await liveRoom()
    const v = await viewer('liker', roomId)
    const [answers, seconds] = await timed(() =>
      Promise.all(
        Array.from({ length: 500 }, (_, i) => (i % 2 ? twin : stack).call('live', { action: 'like', roomId, count: 50 }, v.token)),
      ),
    )
    expect(answers.every((a) => a.status === 200)).toBe(true)
    const accepted = answers.reduce((s, a) => s + (a.body as any).data.accepted, 0)
    const [{ like_count }] = await sql(stack, 'SELECT like_count::int FROM live_rooms WHERE id = $1', [roomId])
    expect(like_count).toBe(accepted)
    expect(accepted).toBeGreaterThanOrEqual(LIKES.burst)
    expect(accepted).toBeLessThanOrEqual(mostInWindow(LIKES, seconds))
    expect(accepted).toBeLessThanOrEqual(300)
    // The answer of a call shows the room's count with what it added.
    for (const a of answers) expect((a.body as any).data.likeCount).toBeLessThanOrEqual(like_count)
    // Another viewer is not held back by the first one's likes.
    const w = await viewer('liker-2', roomId)
    expect(await stack.ok('live', { action: 'like', roomId, count: 50 }, w.token)).toEqual({ likeCount: like_count + 50, accepted: 50 })
    // More than 50 in one call is refused by the contract.
    expect((await stack.call('live', { action: 'like', roomId, count: 51 }, w.token)).status).toBe(400)
  })
})

describe('payment notifies: a flood of forged ones stores a bounded number of bounded rows', () => {
  test('a NUL or a lone surrogate in a notify is a 400, never a 500', async () => {
    const r = await postNotify(`${stack.url}${SANDBOX_NOTIFY_PATH}`, { orderId: 'o_nul\u0000', note: ['\ud800'] })
    expect(r.status).toBe(400)
  })

  test('500 unauthenticated notifies at once, half 60 KB of junk, half with bad signatures: all refused, at most the burst stored per reason, each at most 2 KB', async () => {
    const url = `${stack.url}${SANDBOX_NOTIFY_PATH}`
    const junk = 'x'.repeat(60_000)
    const forged = (i: number) => ({
      orderId: `o_forged${i}`,
      amountFen: 1,
      transactionId: `t${i}`,
      nonce: 'n',
      timestamp: 1_700_000_000,
      sign: '0'.repeat(64),
    })
    const [answers, seconds] = await timed(() =>
      Promise.all(Array.from({ length: 500 }, (_, i) => postNotify(url, i % 2 ? { ...forged(i), junk } : forged(i)))),
    )
    expect(answers.every((a) => a.status === 400 && a.answer.code === 'FAIL')).toBe(true)
    const rows = await sql(stack, `SELECT reason, octet_length(body::text) AS bytes, body FROM payment_notify_rejections`)
    const bound = mostInWindow(NOTIFY_REJECTIONS, seconds)
    for (const reason of ['MALFORMED', 'BAD_SIGNATURE']) {
      const n = rows.filter((r) => r.reason === reason).length
      expect(n).toBeGreaterThanOrEqual(Math.min(NOTIFY_REJECTIONS.burst, 250))
      expect(n).toBeLessThanOrEqual(bound)
    }
    for (const r of rows) expect(r.bytes).toBeLessThanOrEqual(REJECTION_BODY_BYTES)
    // The 60 KB ones are kept as the start of their JSON and their size; small ones whole.
    const cut = rows.filter((r) => r.reason === 'MALFORMED')
    for (const r of cut) {
      expect(r.body).toMatchObject({ truncated: true })
      expect(r.body.bytes).toBeGreaterThan(60_000)
      expect(r.body.head.startsWith('{"orderId":"o_forged')).toBe(true)
    }
    for (const r of rows.filter((x) => x.reason === 'BAD_SIGNATURE')) expect(r.body.orderId).toMatch(/^o_forged\d+$/)
  }, 60_000)
})

describe('storage a loop could grow', () => {
  test('re-entering a room 200 times (at once) through a share link keeps one share touch; the last touch still names the sharer', async () => {
    const roomId = await liveRoom()
    const [a, b, v] = await Promise.all([stack.login('touch-a'), stack.login('touch-b'), stack.login('touch-v')])
    const answers = await Promise.all(
      Array.from({ length: 200 }, () => stack.call('live', { action: 'enter', roomId, sharerId: a.user.id }, v.token)),
    )
    expect(answers.every((r) => r.status === 200)).toBe(true)
    expect(await sql(stack, 'SELECT sharer_id FROM share_touches WHERE user_id = $1', [v.user.id])).toEqual([{ sharer_id: a.user.id }])

    const productId = await createProduct(stack, admin, { stock: 10 })
    const order = async () => {
      const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, v.token)
      return (await stack.ok('order', { action: 'get', orderId }, v.token)).order.sharerId
    }
    expect(await order()).toBe(a.user.id)
    const other = await liveRoom()
    await stack.ok('live', { action: 'enter', roomId: other, sharerId: b.user.id }, v.token)
    expect(await order()).toBe(b.user.id) // the last touch
    await stack.ok('live', { action: 'enter', roomId, sharerId: a.user.id }, v.token)
    expect(await order()).toBe(a.user.id) // a's touch refreshed: last again
    expect(await sql(stack, 'SELECT 1 FROM share_touches WHERE user_id = $1', [v.user.id])).toHaveLength(2)
    // Older than the 7-day window, a refreshed touch no longer counts.
    await sql(stack, `UPDATE share_touches SET touched_at = now() - interval '8 days' WHERE user_id = $1`, [v.user.id])
    expect(await order()).toBeNull()
  })

  test(`addresses: ${MAX_ADDRESSES} per user however many saves race, then a clear refusal`, async () => {
    const u = await stack.login('hoarder')
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        stack.call(
          'address',
          {
            action: 'save',
            name: `收货人${i}`,
            phone: '13900000000',
            province: '上海市',
            city: '上海市',
            district: '浦东新区',
            detail: `${i} 号`,
          },
          u.token,
        ),
      ),
    )
    expect(answers.filter((a) => a.status === 200)).toHaveLength(MAX_ADDRESSES)
    for (const a of answers.filter((x) => x.status !== 200)) {
      expect(a.status).toBe(409)
      expect(a.body).toEqual({ ok: false, error: { code: 'ADDRESS_LIMIT_REACHED', message: '最多保存20个收货地址，请先删除不用的地址' } })
    }
    const { items } = await stack.ok('address', { action: 'list' }, u.token)
    expect(items).toHaveLength(MAX_ADDRESSES)
    expect(items.filter((a: any) => a.isDefault)).toHaveLength(1)
    // Editing one at the cap still works; removing one makes room for another.
    const first = items[0]
    expect((await stack.ok('address', { action: 'save', ...first, detail: '改过的地址' }, u.token)).address.detail).toBe('改过的地址')
    await stack.ok('address', { action: 'remove', id: items[1].id }, u.token)
    await saveAddress(stack, u.token)
  })

  test('the retention job deletes rejected notifies past 30 days, limit buckets full again and expired sessions', async () => {
    const [{ id: oldId }] = await sql(
      stack,
      `INSERT INTO payment_notify_rejections (provider, reason, body, received_at) VALUES ('sandbox', 'BAD_SIGNATURE', '{}', now() - interval '31 days') RETURNING id`,
    )
    const [{ id: recentId }] = await sql(
      stack,
      `INSERT INTO payment_notify_rejections (provider, reason, body, received_at) VALUES ('sandbox', 'BAD_SIGNATURE', '{}', now() - interval '29 days') RETURNING id`,
    )
    await sql(
      stack,
      `INSERT INTO rate_limits (key, tokens, updated_at, full_at) VALUES ('stale', 3, now() - interval '1 hour', now() - interval '1 hour')`,
    )
    await sql(stack, `INSERT INTO rate_limits (key, tokens, updated_at, full_at) VALUES ('busy', 0, now(), now() + interval '1 hour')`)
    const u = await stack.login('expiring')
    await sql(stack, `UPDATE sessions SET expires_at = now() - interval '1 second' WHERE user_id = $1`, [u.user.id])
    await until(async () => (await sql(stack, 'SELECT 1 FROM payment_notify_rejections WHERE id = $1', [oldId])).length === 0 || null)
    await until(async () => (await sql(stack, 'SELECT 1 FROM sessions WHERE user_id = $1', [u.user.id])).length === 0 || null)
    expect(await sql(stack, 'SELECT 1 FROM payment_notify_rejections WHERE id = $1', [recentId])).toHaveLength(1)
    expect(await sql(stack, `SELECT key FROM rate_limits WHERE key IN ('stale', 'busy')`)).toEqual([{ key: 'busy' }])
    expect((await stack.call('auth', { action: 'me' }, u.token)).status).toBe(401)
  })
})
