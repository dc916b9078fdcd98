/**
 * The share leaderboard at scale: 1,000,000 share records from 10,000 sharers in one room, beside a
 * Redis sorted set holding the same counts (the reference of a store built for leaderboards),
 * measured in the same run:
 * - one reader at a time: the two statements live.leaderboard ran before (the reference of before),
 *   one prepared statement doing both, Redis's commands, and the read live.leaderboard does now
 *   (cloud/core/live/board.ts: the room's board kept in the process, rebuilt by one statement at most
 *   twice a second) run in this process as the host runs it, and the rebuild itself;
 * - the HTTP call beside a host that would ask Redis instead: each sample is one API call plus one
 *   Redis read, the API's own work (HTTP, session, validation) being what both hosts share;
 * - under load: 64 readers at 100 reads/s each while credits arrive, on the kept board and on Redis
 *   (the same readers, the same credits written to both), and on PostgreSQL alone; then 64 HTTP
 *   clients as fast as they go, with the CPU each read costs the host, PostgreSQL and this process.
 * Every store is checked to give the same board (top 20 and my rank) for several sharers, before and
 * after the load.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Redis from 'ioredis'
import pg from 'pg'
import type { AuthedCtx } from '../cloud/core/context'
import { BOARD_NAMED, boards } from '../cloud/core/live/board'
import { leaderboard } from '../cloud/core/live/live.service'
import { createDatabase } from '../cloud/db/database'
import { freePort } from '../cloud/host/postgres'
import type { Stack } from '../tests/helpers/stack'
import { cpuMsOf, cpuPer, CONCURRENCY, drive, ms, percentile, timeEach, withCpu, type Row } from './lib'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000)
const SHARERS = 10_000
const READS = Number(process.env.BENCH_BOARD_READS ?? 1000)
/** Credits a second while the readers read (a busy room's sharing burst). */
const CREDITS_PER_S = Number(process.env.BENCH_CREDITS_PER_S ?? 100)
/** Each reader's pace under load: 64 × 100/s, a 10,000-viewer room refetching the board each 2 s poll. */
const READER_RATE = 100
const LOAD_MS = Number(process.env.BENCH_LOAD_MS ?? 5000)
const ME = 'bs4242'

const TOP_SQL = `SELECT c.sharer_id, u.nickname, c.invites FROM sharer_counts c JOIN users u ON u.id = c.sharer_id
  WHERE c.room_id = $1 ORDER BY c.invites DESC, c.reached_seq ASC LIMIT 20`
const RANK_SQL = `SELECT me.invites, 1 + (SELECT count(*)::int FROM sharer_counts o WHERE o.room_id = me.room_id
  AND (o.invites > me.invites OR (o.invites = me.invites AND o.reached_seq < me.reached_seq))) AS rank
  FROM sharer_counts me WHERE me.room_id = $1 AND me.sharer_id = $2`
/**
 * Both in one prepared statement: the top 20 with their nicknames, then my row with my rank, counted
 * in two ranges of the rank index (more invites; as many, reached earlier), index-only once vacuumed.
 */
const ONE_SQL = `WITH top AS (SELECT sharer_id, invites, reached_seq FROM sharer_counts WHERE room_id = $1
    ORDER BY invites DESC, reached_seq ASC LIMIT 20),
  me AS (SELECT invites, reached_seq FROM sharer_counts WHERE room_id = $1 AND sharer_id = $2)
  SELECT t.sharer_id, u.nickname, t.invites, t.reached_seq, NULL::int AS rank FROM top t JOIN users u ON u.id = t.sharer_id
  UNION ALL
  SELECT $2, NULL, me.invites, NULL, (1 + (SELECT count(*) FROM sharer_counts o WHERE o.room_id = $1 AND o.invites > me.invites)
    + (SELECT count(*) FROM sharer_counts o WHERE o.room_id = $1 AND o.invites = me.invites AND o.reached_seq < me.reached_seq))::int
  FROM me`

interface Board {
  top: string[]
  /** 0 when not on the board. */
  rank: number
}
const same = (a: Board, b: Board) => a.top.join() === b.top.join() && a.rank === b.rank
const show = (b: Board) => `rank ${b.rank}, top ${b.top.slice(0, 3).join(',')}…`

/** A throwaway redis-server on a free loopback port, or null when none is installed. */
async function startRedis(): Promise<{ client: Redis; version: string; pid: number; stop: () => Promise<void> } | null> {
  const which = spawnSync('sh', ['-c', 'command -v redis-server'], { encoding: 'utf8' })
  if (which.status !== 0) return null
  const version = /v=(\S+)/.exec(spawnSync('redis-server', ['--version'], { encoding: 'utf8' }).stdout)?.[1] ?? '?'
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-bench-redis-'))
  const port = await freePort()
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], {
    stdio: 'ignore',
  })
  // The server takes a moment to listen: the client retries until it is ready.
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: (n) => (n > 50 ? null : 100) })
  client.on('error', () => undefined)
  await new Promise<void>((resolve, reject) => {
    client.once('ready', resolve)
    client.once('end', () => reject(new Error('redis-server did not start')))
  })
  return {
    client,
    version,
    pid: child.pid!,
    async stop() {
      client.disconnect()
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

/** Invites first, then who reached them first (a lower sequence number ranks higher), in one score a double holds exactly. */
const score = (invites: number, seq: number) => invites * 2 ** 32 - seq

/** `readers` readers, each starting one read every 1000/rate ms (never two at once), for `forMs`; answers reads/s and latency. */
async function paced(readers: number, rate: number, forMs: number, read: (reader: number) => Promise<void>) {
  const latencies: number[] = []
  const started = performance.now()
  const period = 1000 / rate
  await Promise.all(
    Array.from({ length: readers }, async (_, r) => {
      // Spread the readers over one period.
      let next = started + (period * r) / readers
      while (next < started + forMs) {
        const wait = next - performance.now()
        if (wait > 0) await new Promise((res) => setTimeout(res, wait))
        const t0 = performance.now()
        await read(r)
        latencies.push(performance.now() - t0)
        next = Math.max(next + period, performance.now())
      }
    }),
  )
  const seconds = (performance.now() - started) / 1000
  latencies.sort((a, b) => a - b)
  return { perSecond: latencies.length / seconds, n: latencies.length, p50: percentile(latencies, 50), p99: percentile(latencies, 99) }
}

export async function benchLeaderboard(stack: Stack): Promise<Row[]> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  console.log(`  ${RECORDS.toLocaleString('en')} share records from ${SHARERS.toLocaleString('en')} sharers…`)
  const { rows: big } = await pool.query(`INSERT INTO live_rooms (title, starts_at, status) VALUES ('big', now(), 'live') RETURNING id`)
  const room = big[0].id as string
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bs' || g, 'bs' || g, '分享者' || g FROM generate_series(1, $1) g`, [
    SHARERS,
  ])
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bv' || g, 'bv' || g, '观众' FROM generate_series(1, $1) g`, [RECORDS])
  await pool.query(
    `INSERT INTO share_records (room_id, viewer_id, sharer_id, created_at)
     SELECT $1, 'bv' || g, 'bs' || (1 + (g::bigint * 7919) % $3), now() - (($2 - g) || ' milliseconds')::interval FROM generate_series(1, $2) g`,
    [room, RECORDS, SHARERS],
  )
  await pool.query(
    `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq)
     SELECT $1, sharer_id, count(*), max(created_at), nextval('sharer_reach_seq') FROM share_records WHERE room_id = $1 GROUP BY sharer_id`,
    [room],
  )
  // Vacuumed as autovacuum leaves a table at rest: the rank counts walk the index alone.
  await pool.query('VACUUM ANALYZE sharer_counts')
  await pool.query('ANALYZE share_records')

  // The stores, each answering "top 20 + my rank" for a sharer.
  const twoStatements = async (me: string): Promise<Board> => {
    const top = await pool.query(TOP_SQL, [room])
    const mine = await pool.query(RANK_SQL, [room, me])
    return { top: top.rows.map((r) => r.sharer_id), rank: mine.rows[0]?.rank ?? 0 }
  }
  const oneStatement = async (me: string): Promise<Board> => {
    const { rows } = await pool.query({ name: 'board-one', text: ONE_SQL, values: [room, me] })
    const top = rows.filter((r) => r.rank === null).sort((a, b) => b.invites - a.invites || a.reached_seq - b.reached_seq)
    return { top: top.map((r) => r.sharer_id), rank: rows.find((r) => r.rank !== null)?.rank ?? 0 }
  }
  // live.leaderboard as the host runs it (define.ts: one lazily opened transaction per call), in this process.
  const db = createDatabase(stack.databaseUrl, { max: 4 })
  const service = async (me: string, version?: number): Promise<Board & { version: number }> => {
    const ctx = { caller: { userId: me, openid: me, isAdmin: false, role: null }, requestId: 'bench', now: () => new Date() }
    const lb = await db.transaction((repos) =>
      leaderboard({ ...ctx, repos } as unknown as AuthedCtx, { roomId: room, limit: 20, ...(version === undefined ? {} : { version }) }),
    )
    return { top: lb.entries.map((e) => e.userId), rank: lb.me.rank ?? 0, version: lb.version }
  }
  const tokens = new Map<string, string>()
  const api = async (me: string, version?: number): Promise<Board> => {
    if (!tokens.has(me)) tokens.set(me, (await stack.login(me)).token)
    const lb = await stack.ok(
      'live',
      { action: 'leaderboard', roomId: room, limit: 20, ...(version === undefined ? {} : { version }) },
      tokens.get(me),
    )
    return { top: lb.entries.map((e: { userId: string }) => e.userId), rank: lb.me.rank ?? 0 }
  }

  const redis = await startRedis()
  if (!redis) throw new Error('the leaderboard bench needs redis-server, its reference (apt-get install redis-server)')
  const rows: Row[] = []
  try {
    const { rows: counts } = await pool.query(
      `SELECT c.sharer_id, c.invites, c.reached_seq, u.nickname FROM sharer_counts c JOIN users u ON u.id = c.sharer_id WHERE c.room_id = $1`,
      [room],
    )
    const load = redis.client.pipeline()
    for (const c of counts) {
      load.zadd('board', score(c.invites, Number(c.reached_seq)), c.sharer_id)
      load.hset('names', c.sharer_id, c.nickname)
    }
    await load.exec()
    const fromRedis = async (me: string): Promise<Board> => {
      const [[, top], [, rank]] = (await redis.client.pipeline().zrevrange('board', 0, 19).zrevrank('board', me).exec()) as [
        [null, string[]],
        [null, number | null],
      ]
      await redis.client.hmget('names', ...top)
      return { top, rank: rank === null ? 0 : rank + 1 }
    }

    // Every store, the same board, for sharers at the top, the middle, the bottom, and a viewer not on it.
    const { rows: order } = await pool.query('SELECT sharer_id FROM sharer_counts WHERE room_id = $1 ORDER BY invites DESC, reached_seq', [
      room,
    ])
    const probes = [order[0].sharer_id, order[Math.floor(order.length / 2)].sharer_id, order.at(-1).sharer_id, ME, 'bv1']
    const agree = async (when: string, freshVersion?: number) => {
      for (const me of probes) {
        const ref = await twoStatements(me)
        const others: Array<[string, Board]> = [
          ['one statement', await oneStatement(me)],
          ['Redis', await fromRedis(me)],
          ['the kept board', await service(me, freshVersion)],
          ['the API', await api(me, freshVersion)],
        ]
        for (const [name, b] of others) {
          if (!same(ref, b)) throw new Error(`${when}: ${name} disagrees with PostgreSQL for ${me}: ${show(b)} vs ${show(ref)}`)
        }
      }
    }
    await agree('at rest')

    // One reader at a time.
    const two = await timeEach(READS, async () => void (await twoStatements(ME)))
    const one = await timeEach(READS, async () => void (await oneStatement(ME)))
    const red = await timeEach(READS, async () => void (await fromRedis(ME)))
    await service(ME)
    const kept = await timeEach(READS * 10, async () => void (await service(ME)))
    const rebuildTimes: number[] = []
    const rebuild = await withCpu(undefined, async () => {
      for (let i = 0; i < 30; i++) {
        boards.clear()
        const t0 = performance.now()
        await service(ME)
        rebuildTimes.push(performance.now() - t0)
      }
    })
    rebuildTimes.sort((a, b) => a - b)
    const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`
    rows.push(
      {
        name: 'Redis sorted set: top 20 + my rank (reference)',
        value: `p50 ${ms(red.p50)}, p99 ${ms(red.p99)}`,
        note: `redis-server ${redis.version} on loopback, one client: ZREVRANGE + ZREVRANK in one pipeline, then HMGET of the 20 nicknames; ${READS} reads`,
      },
      {
        name: 'PostgreSQL, the two statements live.leaderboard ran before',
        value: `p50 ${ms(two.p50)}, p99 ${ms(two.p99)}`,
        note: `${ratio(two.p50, red.p50)} Redis at p50, ${ratio(two.p99, red.p99)} at p99; ${RECORDS.toLocaleString('en')} share records, ${SHARERS.toLocaleString('en')} sharers, one room`,
      },
      {
        name: 'PostgreSQL, one prepared statement (top 20 + my rank)',
        value: `p50 ${ms(one.p50)}, p99 ${ms(one.p99)}`,
        note: `${ratio(one.p50, red.p50)} Redis at p50, ${ratio(one.p99, red.p99)} at p99; my rank counted in two ranges of the rank index, index-only (vacuumed)`,
      },
      {
        name: 'live.leaderboard now: the board kept in the host',
        value: `p50 ${ms(kept.p50)}, p99 ${ms(kept.p99)}`,
        note: `${ratio(kept.p50, red.p50)} Redis at p50, ${ratio(kept.p99, red.p99)} at p99; the service as the host runs it (a lazily opened transaction that makes no query), ${READS * 10} reads in this process. A cache in the host, at most 1 s old (2 s while rebuilt, as the rule allows a credit 2 s to show), not a store: the like-for-like figure is the HTTP row below, the same call beside one that would also ask Redis`,
      },
      {
        name: 'its rebuild: one statement for the whole board',
        value: `p50 ${ms(percentile(rebuildTimes, 50))}, p99 ${ms(percentile(rebuildTimes, 99))}`,
        note: `${SHARERS.toLocaleString('en')} sharers in order, the top ${BOARD_NAMED}'s nicknames, the rank map; at most twice a second per room per host; ${cpuPer(rebuild.cpu, 30).replace('CPU per request', 'CPU per rebuild').replace(', load generator', ', this process (the host’s part)')}`,
      },
    )

    // The HTTP call beside a host that would ask Redis: the same call, plus one Redis read in series.
    await api(ME)
    const apiSamples: number[] = []
    const withRedis: number[] = []
    for (let i = 0; i < READS; i++) {
      const t0 = performance.now()
      await api(ME)
      const t1 = performance.now()
      await fromRedis(ME)
      const t2 = performance.now()
      apiSamples.push(t1 - t0)
      withRedis.push(t2 - t0)
    }
    apiSamples.sort((a, b) => a - b)
    withRedis.sort((a, b) => a - b)
    rows.push({
      name: 'live.leaderboard via HTTP API',
      value: `p50 ${ms(percentile(apiSamples, 50))}, p99 ${ms(percentile(apiSamples, 99))}`,
      note: `one client; beside it the same call followed by one Redis read (a host asking Redis would add that round trip to the same HTTP, session and validation work): p50 ${ms(percentile(withRedis, 50))}, p99 ${ms(percentile(withRedis, 99))}`,
    })

    // Under load: credits arrive (into PostgreSQL as live.enter writes them, and into Redis) while readers read.
    const { rows: more } = await pool.query(
      `INSERT INTO users (id, openid, nickname) SELECT 'bn' || g, 'bn' || g, '新观众' FROM generate_series(1, $1) g RETURNING id`,
      [Math.ceil((CREDITS_PER_S * LOAD_MS * 10) / 1000) + 1000],
    )
    let nextViewer = 0
    let credited = counts.reduce((s, c) => s + c.invites, 0)
    // The writer's own connection: the readers' pool must not starve it.
    const client = new pg.Client({ connectionString: stack.databaseUrl })
    await client.connect()
    const credit = async () => {
      const viewer = more[nextViewer++]!.id
      const sharer = `bs${1 + Math.floor(Math.random() * SHARERS)}`
      await client.query('BEGIN')
      await client.query('INSERT INTO share_records (room_id, viewer_id, sharer_id, created_at) VALUES ($1, $2, $3, now())', [
        room,
        viewer,
        sharer,
      ])
      const { rows: c } = await client.query(
        `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq) VALUES ($1, $2, 1, now(), nextval('sharer_reach_seq'))
           ON CONFLICT (room_id, sharer_id) DO UPDATE
             SET invites = sharer_counts.invites + 1, reached_at = EXCLUDED.reached_at, reached_seq = EXCLUDED.reached_seq
           RETURNING invites, reached_seq`,
        [room, sharer],
      )
      await client.query('COMMIT')
      await redis.client.zadd('board', score(c[0].invites, Number(c[0].reached_seq)), sharer)
      credited++
    }
    const whileCrediting = async <T>(work: () => Promise<T>): Promise<{ result: T; credits: number }> => {
      let stop = false
      let credits = 0
      const credits$ = (async () => {
        const started = performance.now()
        while (!stop) {
          await credit()
          credits++
          const wait = started + (credits * 1000) / CREDITS_PER_S - performance.now()
          if (wait > 0) await new Promise((r) => setTimeout(r, wait))
        }
      })()
      try {
        return { result: await work(), credits }
      } finally {
        stop = true
        await credits$
      }
    }
    const loaded = (name: string, r: Awaited<ReturnType<typeof paced>>, credits: number, cpu: string, vs?: typeof r) => ({
      name,
      value: `p50 ${ms(r.p50)}, p99 ${ms(r.p99)}`,
      note: `${r.perSecond.toFixed(0)} reads/s while ${credits} credits arrived (${CREDITS_PER_S}/s)${vs ? `; ${ratio(r.p50, vs.p50)} Redis at p50, ${ratio(r.p99, vs.p99)} at p99` : ''}; ${cpu}`,
    })
    const readers = `${CONCURRENCY} readers × ${READER_RATE}/s for ${LOAD_MS / 1000} s`
    console.log(`  under load: ${readers}, ${CREDITS_PER_S} credits/s…`)

    const redisCpu0 = cpuMsOf(redis.pid)
    const onRedis = await withCpu(undefined, () =>
      whileCrediting(() => paced(CONCURRENCY, READER_RATE, LOAD_MS, () => fromRedis(ME).then(() => undefined))),
    )
    const redisMs = cpuMsOf(redis.pid) - redisCpu0
    const perRead = (v: number, n: number) => `${(v / n).toFixed(3)} ms`
    const onKept = await withCpu(undefined, () =>
      whileCrediting(() => paced(CONCURRENCY, READER_RATE, LOAD_MS, () => service(ME, credited).then(() => undefined))),
    )
    const onSql = await withCpu(undefined, () =>
      whileCrediting(() => paced(CONCURRENCY, READER_RATE, LOAD_MS, () => oneStatement(ME).then(() => undefined))),
    )
    const redisLoad = onRedis.result.result
    rows.push(
      loaded(
        `Redis under load: ${readers}`,
        redisLoad,
        onRedis.result.credits,
        `CPU per read: redis-server ${perRead(redisMs, redisLoad.n)}, this process ${perRead(onRedis.cpu.loadMs, redisLoad.n)} (the writer's PostgreSQL credits included)`,
      ),
      loaded(
        'the board kept in the host, the same load',
        onKept.result.result,
        onKept.result.credits,
        `each read names the credits so far (as a poll would), so the board is rebuilt twice a second; CPU per read: this process ${perRead(onKept.cpu.loadMs, onKept.result.result.n)}, PostgreSQL ${perRead(onKept.cpu.pgMs, onKept.result.result.n)} (the rebuilds and the credits)`,
        redisLoad,
      ),
      loaded(
        'PostgreSQL one statement, the same load',
        onSql.result.result,
        onSql.result.credits,
        `${CONCURRENCY} connections; CPU per read: PostgreSQL ${perRead(onSql.cpu.pgMs, onSql.result.result.n)}, this process ${perRead(onSql.cpu.loadMs, onSql.result.result.n)}`,
        redisLoad,
      ),
    )

    // The API as fast as 64 clients go, while credits arrive; each client's poll has seen the credits so far.
    const viewers = await Promise.all(
      Array.from({ length: CONCURRENCY }, (_, i) => stack.login(`bench-board-reader-${i}`).then((r) => r.token)),
    )
    const apiTotal = Number(process.env.BENCH_BOARD_API_READS ?? 10_000)
    const onApi = await withCpu(stack.pid, () =>
      whileCrediting(() =>
        drive(apiTotal, CONCURRENCY, async (w) => {
          await stack.ok('live', { action: 'leaderboard', roomId: room, limit: 20, version: credited }, viewers[w])
        }),
      ),
    )
    rows.push({
      name: `live.leaderboard via HTTP API, ${CONCURRENCY} clients`,
      value: `${onApi.result.result.perSecond.toFixed(0)} reads/s`,
      note: `p50 ${ms(onApi.result.result.p50)}, p99 ${ms(onApi.result.result.p99)} while ${onApi.result.credits} credits arrived (${CREDITS_PER_S}/s); ${cpuPer(onApi.cpu, apiTotal)}; the board asks nothing of the database: what PostgreSQL does per call is the credits and, once per 10 s per reader, its session read (the host keeps shoppers' sessions)`,
    })

    // After the load: every store still gives the same board (a read naming the credits so far gets a fresh one).
    await new Promise((r) => setTimeout(r, 1100))
    await agree('after the load', credited)
    await client.end()
  } finally {
    await redis.stop()
    await db.close()
  }
  await pool.end()

  // What each viewer's 2-second poll costs when nothing changed: the answer's size and time.
  const viewer = await stack.login('bench-board-reader')
  const admin = (await stack.login('admin')).token
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '轮询压测', startsAt: new Date().toISOString() }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  await stack.ok('live', { action: 'enter', roomId }, viewer.token)
  const first = await stack.ok('live', { action: 'sync', roomId }, viewer.token)
  const unchanged = await stack.call('live', { action: 'sync', roomId, since: first.cursor }, viewer.token)
  const syncBytes = Buffer.byteLength(JSON.stringify(unchanged.body))
  const sync = await timeEach(READS, async () => {
    await stack.call('live', { action: 'sync', roomId, since: first.cursor }, viewer.token)
  })
  rows.push({
    name: 'unchanged live.sync (each viewer, every 2 s)',
    value: `${syncBytes} bytes`,
    note: `server round trip p50 ${ms(sync.p50)}, p99 ${ms(sync.p99)} (target ≤ 200 bytes)`,
  })
  return rows
}
