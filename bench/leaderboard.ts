/**
 * The share leaderboard at scale: 1,000,000 share records from 10,000 sharers in one room. Top 20
 * plus my rank from PostgreSQL (the statements the API runs), through the HTTP API, and, where
 * Debian's `redis-server` is installed, from a Redis sorted set holding the same counts: the
 * reference of a store built for leaderboards. Both answers are checked to be the same board.
 */
import { spawn, spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import Redis from 'ioredis'
import pg from 'pg'
import { freePort } from '../cloud/host/postgres'
import type { Stack } from '../tests/helpers/stack'
import { ms, timeEach, type Row } from './lib'

const RECORDS = Number(process.env.BENCH_RECORDS ?? 1_000_000)
const SHARERS = 10_000
const READS = 1000
const ME = 'bs4242'

const TOP_SQL = `SELECT c.sharer_id, u.nickname, c.invites FROM sharer_counts c JOIN users u ON u.id = c.sharer_id
  WHERE c.room_id = $1 ORDER BY c.invites DESC, c.reached_seq ASC LIMIT 20`
const RANK_SQL = `SELECT me.invites, 1 + (SELECT count(*)::int FROM sharer_counts o WHERE o.room_id = me.room_id
  AND (o.invites > me.invites OR (o.invites = me.invites AND o.reached_seq < me.reached_seq))) AS rank
  FROM sharer_counts me WHERE me.room_id = $1 AND me.sharer_id = $2`

interface Board {
  top: string[]
  rank: number
}

/** A throwaway redis-server on a free loopback port, or null when none is installed. */
async function startRedis(): Promise<{ client: Redis; version: string; stop: () => Promise<void> } | null> {
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
    async stop() {
      client.disconnect()
      child.kill('SIGTERM')
      await new Promise((r) => child.once('exit', r))
      fs.rmSync(dir, { recursive: true, force: true })
    },
  }
}

export async function benchLeaderboard(stack: Stack): Promise<Row[]> {
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: 4 })
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
  await pool.query('ANALYZE share_records; ANALYZE sharer_counts')

  let sqlBoard: Board = { top: [], rank: 0 }
  const sql = await timeEach(READS, async () => {
    const top = await pool.query(TOP_SQL, [room])
    const me = await pool.query(RANK_SQL, [room, ME])
    sqlBoard = { top: top.rows.map((r) => r.sharer_id), rank: me.rows[0].rank }
  })
  const viewer = await stack.login('bench-board-reader')
  let apiBoard: Board = { top: [], rank: 0 }
  const api = await timeEach(READS, async () => {
    const lb = await stack.ok('live', { action: 'leaderboard', roomId: room }, viewer.token)
    apiBoard = { top: lb.entries.map((e: { userId: string }) => e.userId), rank: 0 }
  })
  if (apiBoard.top.join() !== sqlBoard.top.join()) throw new Error('the API and SQL boards differ')

  const rows: Row[] = [
    {
      name: 'PostgreSQL: top 20 + my rank',
      value: `p50 ${ms(sql.p50)}, p99 ${ms(sql.p99)}`,
      note: `${RECORDS.toLocaleString('en')} share records, ${SHARERS.toLocaleString('en')} sharers, one room; the two statements the API runs, ${READS} reads`,
    },
    {
      name: 'live.leaderboard via HTTP API',
      value: `p50 ${ms(api.p50)}, p99 ${ms(api.p99)}`,
      note: 'same room, one client: auth, both statements, the HTTP round trip',
    },
  ]

  const redis = await startRedis()
  if (!redis) {
    rows.push({
      name: 'Redis sorted set: top 20 + my rank',
      value: 'not measured',
      note: '`redis-server` is not installed (apt-get install redis-server)',
    })
  } else {
    try {
      // The same counts in a sorted set: invites first, then who reached them first (a lower sequence
      // number ranks higher), packed into one score that a double holds exactly.
      const { rows: counts } = await pool.query(
        `SELECT c.sharer_id, c.invites, c.reached_seq, u.nickname FROM sharer_counts c JOIN users u ON u.id = c.sharer_id WHERE c.room_id = $1`,
        [room],
      )
      const load = redis.client.pipeline()
      for (const c of counts) {
        load.zadd('board', c.invites * 2 ** 32 - Number(c.reached_seq), c.sharer_id)
        load.hset('names', c.sharer_id, c.nickname)
      }
      await load.exec()
      let redisBoard: Board = { top: [], rank: 0 }
      const times = await timeEach(READS, async () => {
        const [[, top], [, rank]] = (await redis.client
          .pipeline()
          .zrevrange('board', 0, 19, 'WITHSCORES')
          .zrevrank('board', ME)
          .exec()) as [[null, string[]], [null, number]]
        const ids = top.filter((_, i) => i % 2 === 0)
        await redis.client.hmget('names', ...ids)
        redisBoard = { top: ids, rank: rank + 1 }
      })
      if (redisBoard.top.join() !== sqlBoard.top.join() || redisBoard.rank !== sqlBoard.rank)
        throw new Error(`Redis and PostgreSQL disagree: rank ${redisBoard.rank} vs ${sqlBoard.rank}`)
      rows.push(
        {
          name: 'Redis sorted set: top 20 + my rank',
          value: `p50 ${ms(times.p50)}, p99 ${ms(times.p99)}`,
          note: `redis-server ${redis.version} on loopback: ZREVRANGE + ZREVRANK in one pipeline, then HMGET of the 20 nicknames; the same board and rank as PostgreSQL`,
        },
        {
          name: 'ratio PostgreSQL / Redis (p50)',
          value: `${(sql.p50 / times.p50).toFixed(1)}×`,
          note: `p99 ${(sql.p99 / times.p99).toFixed(1)}×; both well inside a 2 s poll`,
        },
      )
    } finally {
      await redis.stop()
    }
  }
  await pool.end()

  // What each viewer's 2-second poll costs when nothing changed: the answer's size and time.
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
