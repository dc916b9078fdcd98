/**
 * A room of 10,000 viewers on one host: every viewer signed in (a session of its own) and entered,
 * each polling live.sync with its own token and cursor, from a load generator on the same machine
 * (node:http, keep-alive, one socket per concurrent client). Measured against references in the same
 * run: the host's HTTP ceiling on a trivial route (GET /favicon.ico, 204), and the same poll on a
 * second host on the same database with its caches off (SESSION_CACHE_MS=0 LIVE_CACHE_MS=0
 * PRESENCE_FLUSH_MS=0: every poll reads the session, the room's state and writes presence, as before
 * issue 17). Each rate with the CPU per request of the host, PostgreSQL and the load generator.
 */
import http from 'node:http'
import pg from 'pg'
import { startStack, type Stack } from '../tests/helpers/stack'
import { cpuPer, drive, ms, withCpu, type Row } from './lib'

const VIEWERS = Number(process.env.BENCH_LIVE_VIEWERS ?? 10_000)
const CONNECTIONS = Number(process.env.BENCH_LIVE_CONNECTIONS ?? 64)
const POLLS = Number(process.env.BENCH_LIVE_POLLS ?? 50_000)
const MIX = Number(process.env.BENCH_LIVE_MIX ?? 30_000)
const OFF_POLLS = Number(process.env.BENCH_LIVE_OFF_POLLS ?? 10_000)
/** Viewers who enter during the mix, each through a sharer's link. */
const NEWCOMERS = Math.ceil(MIX * 0.03)
const SHARERS = 64
/** Viewers entering through sharers' links, 64 at once, against the raw statements doing the same. */
const CREDITS = Number(process.env.BENCH_LIVE_CREDITS ?? 3000)

interface Answer {
  status: number
  body: string
}

/** A keep-alive HTTP client of `sockets` connections to `base`: node:http, no fetch (whose per-request cost would be the bottleneck). */
function client(base: string, sockets: number) {
  const url = new URL(base)
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets, maxFreeSockets: sockets })
  const request = (method: string, path: string, body: string | null, token?: string) =>
    new Promise<Answer>((resolve, reject) => {
      const headers: http.OutgoingHttpHeaders = {}
      if (body !== null) {
        headers['content-type'] = 'application/json'
        headers['content-length'] = Buffer.byteLength(body)
      }
      if (token) headers.authorization = `Bearer ${token}`
      const req = http.request({ host: url.hostname, port: url.port, method, path, agent, headers }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (c: Buffer) => chunks.push(c))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }))
        res.on('error', reject)
      })
      req.on('error', reject)
      req.end(body ?? undefined)
    })
  return {
    call: (fn: string, data: object, token: string) => request('POST', `/api/fn/${fn}`, JSON.stringify(data), token),
    get: (path: string) => request('GET', path, null),
    close: () => agent.destroy(),
  }
}

type Run = Awaited<ReturnType<typeof drive>>
const rate = (r: Run, unit: string) => `${r.perSecond.toFixed(0)} ${unit}`
const latency = (r: Run) => `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`

export async function benchLive(stack: Stack, hostNodeArgs: string[] | undefined): Promise<Row[]> {
  const rows: Row[] = []
  const admin = (await stack.login('admin')).token
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '万人直播间', startsAt: new Date().toISOString() }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  // A shelf and a coupon, as a real room has: the full view carries them.
  for (let i = 0; i < 3; i++) {
    const p = await stack.ok('admin', { action: 'createProduct', title: `直播好茶 ${i + 1}`, priceFen: 9900, stock: 100_000 }, admin)
    await stack.ok('admin', { action: 'pushGoods', roomId, productId: p.productId }, admin)
  }
  const { couponId } = await stack.ok(
    'admin',
    { action: 'createCoupon', title: '直播间券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 100_000, perUserLimit: 1 },
    admin,
  )
  await stack.ok('admin', { action: 'dropCoupon', roomId, couponId }, admin)

  // 10,000 viewers signed in and entered, the newcomers of the mix signed in only, and the sharers:
  // set-based SQL (devLogin 12,000 times would only time the set-up).
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 2 })
  pool.on('error', () => undefined)
  const people = async (prefix: string, count: number, enter: boolean) => {
    const { rows: made } = await pool.query<{ id: string; token: string }>(
      `WITH u AS (
         INSERT INTO users (openid, nickname) SELECT $1 || g, '观众' || g FROM generate_series(1, $2) g RETURNING id, openid
       ), s AS (
         INSERT INTO sessions (token_hash, user_id, expires_at)
         SELECT encode(sha256(convert_to('tok-' || u.openid, 'UTF8')), 'hex'), u.id, now() + interval '30 days' FROM u
       )
       SELECT id, 'tok-' || openid AS token FROM u ORDER BY openid`,
      [prefix, count],
    )
    if (enter) {
      await pool.query(`INSERT INTO room_entries (room_id, user_id, entered_at) SELECT $1, unnest($2::text[]), now()`, [
        roomId,
        made.map((m) => m.id),
      ])
    }
    return made
  }
  const viewers = await people('bench-live-viewer-', VIEWERS, true)
  const newcomers = await people('bench-live-newcomer-', NEWCOMERS, false)
  const sharers = await people('bench-live-sharer-', SHARERS, true)
  const entrants = await people('bench-live-entrant-', CREDITS, false)

  const http1 = client(stack.url, CONNECTIONS)
  const cursors: string[] = new Array(VIEWERS)
  let failed = 0
  let full = 0
  let next = 0
  const poll = (c: ReturnType<typeof client>) => async () => {
    const i = next++ % VIEWERS
    const r = await c.call('live', { action: 'sync', roomId, since: cursors[i] }, viewers[i]!.token)
    if (r.status !== 200) {
      failed++
      return
    }
    const data = (JSON.parse(r.body) as { data: { cursor: string; room?: unknown } }).data
    if (data.room) full++
    cursors[i] = data.cursor
  }

  try {
    // The reference: the host's HTTP ceiling on a route that does nothing.
    const ceiling = await withCpu(stack.pid, () =>
      drive(POLLS, CONNECTIONS, async () => {
        const r = await http1.get('/favicon.ico')
        if (r.status !== 204) failed++
      }),
    )
    rows.push({
      name: 'reference: GET /favicon.ico (204), same host',
      value: rate(ceiling.result, 'answers/s'),
      note: `${latency(ceiling.result)}; the HTTP ceiling of one host process; ${cpuPer(ceiling.cpu, POLLS)}`,
    })

    // Every viewer's first poll: the whole room (its shared part built once, each viewer's own part read).
    const first = await withCpu(stack.pid, () => drive(VIEWERS, CONNECTIONS, poll(http1)))
    rows.push({
      name: `first live.sync of each of ${VIEWERS.toLocaleString('en')} viewers`,
      value: rate(first.result, 'answers/s'),
      note: `${latency(first.result)}; the whole room each (${full} full answers); ${cpuPer(first.cpu, VIEWERS)}`,
    })

    // The unchanged poll, every viewer in turn with its own token and cursor.
    full = 0
    const unchanged = await withCpu(stack.pid, () => drive(POLLS, CONNECTIONS, poll(http1)))
    rows.push({
      name: `unchanged live.sync, ${VIEWERS.toLocaleString('en')} viewers`,
      value: rate(unchanged.result, 'answers/s'),
      note: `${latency(unchanged.result)}; ${CONNECTIONS} connections, ${POLLS.toLocaleString('en')} polls, ${POLLS - full} answered the cursor alone; ${cpuPer(unchanged.cpu, POLLS)}`,
    })
    // The room's version moves (the anchor pushes a product): every viewer's next poll is the whole
    // room, its shared part built once on this host, no viewer's own part read again.
    const pushed = await stack.ok('admin', { action: 'createProduct', title: '新上架', priceFen: 5900, stock: 1000 }, admin)
    await stack.ok('admin', { action: 'pushGoods', roomId, productId: pushed.productId }, admin)
    full = 0
    const herd = await withCpu(stack.pid, () => drive(VIEWERS, CONNECTIONS, poll(http1)))
    if (full !== VIEWERS) throw new Error(`the version change reached ${full} of ${VIEWERS} viewers`)
    rows.push({
      name: `a room version change reaching ${VIEWERS.toLocaleString('en')} viewers`,
      value: rate(herd.result, 'answers/s'),
      note: `${latency(herd.result)}; each the whole room (${full}); ${cpuPer(herd.cpu, VIEWERS)}`,
    })
    rows.push({
      name: 'ratio unchanged live.sync / HTTP ceiling',
      value: `${((unchanged.result.perSecond / ceiling.result.perSecond) * 100).toFixed(1)} %`,
      note: 'what the poll costs the host beyond answering HTTP at all',
    })

    // The realistic mix: most polls unchanged, some carrying the comments, likes and arrivals of
    // others; likes batched (1–20 a call), comments, and newcomers entering through sharers' links.
    full = 0
    let n = 0
    let commented = 0
    let liked = 0
    let entered = 0
    let credited = 0
    const mix = await withCpu(stack.pid, () =>
      drive(MIX, CONNECTIONS, async () => {
        const k = n++ % 100
        const i = (n * 7919) % VIEWERS
        if (k < 3 && entered < NEWCOMERS) {
          const who = newcomers[entered++]!
          const r = await http1.call('live', { action: 'enter', roomId, sharerId: sharers[entered % SHARERS]!.id }, who.token)
          if (r.status !== 200) failed++
          else if ((JSON.parse(r.body) as { data: { credited: boolean } }).data.credited) credited++
        } else if (k < 5) {
          const r = await http1.call('live', { action: 'comment', roomId, text: `好茶 ${n}` }, viewers[i]!.token)
          if (r.status === 200) commented++
        } else if (k < 10) {
          const r = await http1.call('live', { action: 'like', roomId, count: 1 + (n % 20) }, viewers[i]!.token)
          if (r.status === 200) liked++
        } else await poll(http1)()
      }),
    )
    rows.push({
      name: 'realistic mix in the same room',
      value: rate(mix.result, 'calls/s'),
      note: `${latency(mix.result)}; 90 % polls (${full} carried the whole room), 5 % likes (${liked}), 2 % comments (${commented}), 3 % entries through a sharer's link (${credited} credited of ${entered}); ${cpuPer(mix.cpu, MIX)}`,
    })
    const [{ records, counted }] = (
      await pool.query(
        `SELECT (SELECT count(*)::int FROM share_records WHERE room_id = $1) AS records,
                (SELECT COALESCE(sum(invites), 0)::int FROM sharer_counts WHERE room_id = $1) AS counted`,
        [roomId],
      )
    ).rows
    if (records !== credited || counted !== credited || credited !== entered)
      throw new Error(`credit check failed: ${credited} credited, ${records} records, ${counted} counted, ${entered} entered`)
    // live.enter with a credit (goal 2): one statement for the entry, the share record, the sharer's
    // count and the last touch; the room view from the cache. Against the raw statements doing the
    // same work on the same database from as many connections (BEGIN, three inserts, COMMIT).
    let e = 0
    let creditedNow = 0
    const enters = await withCpu(stack.pid, () =>
      drive(CREDITS, CONNECTIONS, async (w) => {
        const r = await http1.call('live', { action: 'enter', roomId, sharerId: sharers[w % SHARERS]!.id }, entrants[e++]!.token)
        if (r.status !== 200) failed++
        else if ((JSON.parse(r.body) as { data: { credited: boolean } }).data.credited) creditedNow++
      }),
    )
    const raw = new pg.Pool({ connectionString: stack.databaseUrl, max: CONNECTIONS })
    raw.on('error', () => undefined)
    const { rows: rawRoom } = await raw.query(
      `INSERT INTO live_rooms (title, starts_at, status) VALUES ('raw', now(), 'live') RETURNING id`,
    )
    let m = 0
    const rawRun = await withCpu(undefined, () =>
      drive(CREDITS, CONNECTIONS, async (w) => {
        const viewer = entrants[m++]!.id
        const sharer = sharers[w % SHARERS]!.id
        const c = await raw.connect()
        try {
          await c.query('BEGIN')
          await c.query('INSERT INTO room_entries (room_id, user_id, sharer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
            rawRoom[0].id,
            viewer,
            sharer,
          ])
          await c.query('INSERT INTO share_records (room_id, viewer_id, sharer_id) VALUES ($1, $2, $3)', [rawRoom[0].id, viewer, sharer])
          await c.query(
            `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq) VALUES ($1, $2, 1, now(), nextval('sharer_reach_seq'))
             ON CONFLICT (room_id, sharer_id) DO UPDATE SET invites = sharer_counts.invites + 1, reached_at = now(), reached_seq = EXCLUDED.reached_seq`,
            [rawRoom[0].id, sharer],
          )
          await c.query('COMMIT')
        } finally {
          c.release()
        }
      }),
    )
    await raw.end()
    if (creditedNow !== CREDITS) throw new Error(`credit check failed: ${creditedNow} of ${CREDITS}`)
    rows.push(
      {
        name: 'live.enter with a credit, same room',
        value: rate(enters.result, 'credits/s'),
        note: `${latency(enters.result)}; ${CONNECTIONS} at once, ${SHARERS} sharers, ${creditedNow} credited of ${CREDITS}; ${cpuPer(enters.cpu, CREDITS)}`,
      },
      {
        name: 'reference: raw entry + share record + count (same DB)',
        value: rate(rawRun.result, 'credits/s'),
        note: `${latency(rawRun.result)}; BEGIN, three statements, COMMIT from ${CONNECTIONS} connections; PostgreSQL ${(rawRun.cpu.pgMs / CREDITS).toFixed(2)} ms, load generator ${(rawRun.cpu.loadMs / CREDITS).toFixed(2)} ms per credit`,
      },
      {
        name: 'ratio live.enter / raw',
        value: `${((enters.result.perSecond / rawRun.result.perSecond) * 100).toFixed(1)} %`,
        note: 'the API also answers the room view (from the cache) and reads the caller’s session',
      },
    )
  } finally {
    http1.close()
  }

  // Today's path on a second host on the same database: no session cache, no room cache, presence
  // written at each poll. The first host stays up, idle.
  const off = await startStack({
    databaseUrl: stack.databaseUrl,
    nodeArgs: hostNodeArgs,
    env: { CONTRACT_CHECK_OUTPUTS: '0', SESSION_CACHE_MS: '0', LIVE_CACHE_MS: '0', PRESENCE_FLUSH_MS: '0' },
  })
  const http2 = client(off.url, CONNECTIONS)
  try {
    full = 0
    const before = full
    const offRun = await withCpu(off.pid, () => drive(OFF_POLLS, CONNECTIONS, poll(http2)))
    rows.push({
      name: 'reference: unchanged live.sync, caches off',
      value: rate(offRun.result, 'answers/s'),
      note: `${latency(offRun.result)}; the same room and cursors on a second host with SESSION_CACHE_MS=0 LIVE_CACHE_MS=0 PRESENCE_FLUSH_MS=0 (this build without its caches, as before issue 17 each poll read its session, the room's counts and wrote presence in a transaction; the statements themselves are this build's); ${full - before} full answers; ${cpuPer(offRun.cpu, OFF_POLLS)}`,
    })
  } finally {
    http2.close()
    await off.stop()
    await pool.end()
  }
  if (failed > 0) throw new Error(`${failed} calls failed during the live bench`)
  return rows
}
