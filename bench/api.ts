/**
 * API against raw SQL: order placements, coupon claims and share credits through the HTTP API with
 * 64 concurrent clients, each against the raw statements doing the same work on the same database,
 * measured in the same run. Each run ends by checking that no limit broke (zero oversell, zero
 * over-claim, every credit counted).
 */
import { randomUUID } from 'node:crypto'
import pg from 'pg'
import { startStack, type Stack } from '../tests/helpers/stack'
import { CONCURRENCY, cpuPer, drive, withCpu, type CpuUse, type Row } from './lib'

const ORDERS = Number(process.env.BENCH_ORDERS ?? 4000)

type Run = Awaited<ReturnType<typeof drive>>

/** The three rows of one comparison: the API, the raw statements doing the same work, the ratio. */
function versus(
  api: { name: string; unit: string; run: Run; outcome: string },
  raw: { name: string; unit: string; run: Run },
  why: string,
): Row[] {
  const latency = (r: Run) => `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`
  return [
    { name: api.name, value: `${api.run.perSecond.toFixed(0)} ${api.unit}`, note: `${latency(api.run)}; ${api.outcome}` },
    { name: raw.name, value: `${raw.run.perSecond.toFixed(0)} ${raw.unit}`, note: latency(raw.run) },
    { name: 'ratio API / raw', value: `${((api.run.perSecond / raw.run.perSecond) * 100).toFixed(1)} %`, note: why },
  ]
}

export async function benchOrders(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const hot = await stack.ok('admin', { action: 'createProduct', title: '压测爆款', priceFen: 990, stock: ORDERS }, admin)
  // One order per buyer, as a crowd on a hot product is: a shopper's own order rate and unpaid orders are limited.
  const buyers = await Promise.all(Array.from({ length: ORDERS + 200 }, (_, i) => stack.login(`bench-buyer-${i}`).then((r) => r.token)))
  let i = 0
  let refused = 0
  const { result: api, cpu: apiCpu } = await withCpu(stack.pid, () =>
    drive(ORDERS + 200, CONCURRENCY, async () => {
      const r = await stack.call(
        'order',
        { action: 'create', items: [{ productId: hot.productId, qty: 1 }], idempotencyKey: randomUUID() },
        buyers[i++],
      )
      if (r.status !== 200) refused++
    }),
  )

  // The raw statement doing the same stock work, on the same database, from as many connections.
  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows } = await pool.query(`INSERT INTO products (title) VALUES ('raw') RETURNING id`)
  const { rows: sku } = await pool.query(`INSERT INTO skus (product_id, price_fen, stock) VALUES ($1, 990, $2) RETURNING id`, [
    rows[0].id,
    ORDERS,
  ])
  await Promise.all(Array.from({ length: CONCURRENCY }, () => pool.query('SELECT 1')))
  const { result: raw, cpu: rawCpu } = await withCpu(undefined, () =>
    drive(ORDERS + 200, CONCURRENCY, async () => {
      await pool.query('UPDATE skus SET stock = stock - 1 WHERE id = $1 AND stock >= 1', [sku[0].id])
    }),
  )
  const [{ sold, left }] = (
    await pool.query(
      `SELECT (SELECT coalesce(sum(qty), 0)::int FROM order_items WHERE product_id = $1) AS sold,
              (SELECT stock FROM skus WHERE product_id = $1) AS left`,
      [hot.productId],
    )
  ).rows
  await pool.end()
  if (sold !== ORDERS || left !== 0 || refused !== 200)
    throw new Error(`oversell check failed: sold ${sold}, left ${left}, refused ${refused}`)
  return withCpuNotes(
    versus(
      {
        name: 'order.create via HTTP API',
        unit: 'orders/s',
        run: api,
        outcome: `${ORDERS} sold of ${ORDERS}, 200 refused OUT_OF_STOCK, 0 oversold`,
      },
      { name: 'raw conditional UPDATE (same DB)', unit: 'updates/s', run: raw },
      'each order: auth, validation, pricing, order row with its lines and rate token, then the stock and COMMIT in one round trip',
    ),
    [apiCpu, rawCpu],
    ORDERS + 200,
  )
}

/** Adds the CPU per request of the API run and of the raw run to their rows (the ratio row keeps its note). */
function withCpuNotes(rows: Row[], [api, raw]: [CpuUse, CpuUse], n: number): Row[] {
  return rows.map((r, i) => (i < 2 ? { ...r, note: `${r.note}; ${cpuPer(i === 0 ? api : raw, n)}` } : r))
}

/**
 * Coupon claims: 64 clients racing for one coupon through the HTTP API, on a coupon whose stock is one
 * row (goal 2: against the raw conditional UPDATE of one row) and on one of the same stock in slots
 * (goal 3: past the single hot row, against the same raw UPDATE), each checked for zero over-claim.
 */
export async function benchClaims(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const claims = ORDERS
  const create = (s: Stack, token: string) =>
    s.ok(
      'admin',
      { action: 'createCoupon', title: '压测券', kind: 'fixed', valueFen: 100, thresholdFen: 0, stock: claims, perUserLimit: 1 },
      token,
    )
  // The one-row coupon is created by a second host on the same database whose coupons never get
  // slots (COUPON_SLOTS=1); the slotted one by the bench's host (coupons of 2,000 and more: 8 slots).
  // A coupon keeps the slots it was created with, so both are claimed through the same host.
  const plain = await startStack({ databaseUrl: stack.databaseUrl, env: { CONTRACT_CHECK_OUTPUTS: '0', COUPON_SLOTS: '1' } })
  let oneRow: string
  try {
    oneRow = (await create(plain, (await plain.login('admin')).token)).couponId
  } finally {
    await plain.stop()
  }
  const slotted = (await create(stack, admin)).couponId as string

  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const [{ slots: oneRowSlots }, { slots }] = (
    await pool.query('SELECT slots FROM coupons WHERE id = ANY($1) ORDER BY slots', [[oneRow, slotted]])
  ).rows
  if (oneRowSlots !== 1 || slots < 2) throw new Error(`expected one row and slots, got ${oneRowSlots} and ${slots}`)

  // One claim per user: fresh users signed in ahead of the timed runs.
  const claimRun = async (couponId: string, prefix: string) => {
    const tokens: string[] = []
    let n = 0
    await drive(claims + 200, CONCURRENCY, async () => {
      const k = n++
      tokens[k] = (await stack.login(`${prefix}-${k}`)).token
    })
    let i = 0
    let refused = 0
    const { result, cpu } = await withCpu(stack.pid, () =>
      drive(claims + 200, CONCURRENCY, async () => {
        const r = await stack.call('coupon', { action: 'claim', couponId }, tokens[i++])
        if (r.status !== 200) {
          if ((r.body as { error?: { code?: string } }).error?.code !== 'COUPON_SOLD_OUT') throw new Error(JSON.stringify(r.body))
          refused++
        }
      }),
    )
    // Zero over-claim: every claim a held coupon, the figure the console reads (coupon.repo CLAIMED) equal to it, nobody over the limit.
    const [{ held, claimed, over }] = (
      await pool.query(
        `SELECT (SELECT count(*)::int FROM user_coupons WHERE coupon_id = $1) AS held,
                (SELECT CASE WHEN c.slots = 1 THEN c.claimed ELSE (SELECT sum(s.claimed)::int FROM coupon_slots s WHERE s.coupon_id = c.id) END
                 FROM coupons c WHERE c.id = $1) AS claimed,
                (SELECT count(*)::int FROM (SELECT user_id FROM user_coupons WHERE coupon_id = $1 GROUP BY user_id HAVING count(*) > 1) x) AS over`,
        [couponId],
      )
    ).rows
    if (held !== claims || claimed !== claims || refused !== 200 || over !== 0)
      throw new Error(`over-claim check failed: held ${held}, claimed ${claimed}, refused ${refused}, over limit ${over}`)
    return { run: result, cpu: cpuPer(cpu, claims + 200) }
  }
  const one = await claimRun(oneRow, 'bench-claimer')
  const many = await claimRun(slotted, 'bench-slot-claimer')

  // The claim's statement alone, without HTTP, the session or the coupon read: BEGIN, coupon_claim and
  // COMMIT in one round trip (as the host sends it last), on a fresh one-row coupon and a fresh one in
  // slots, from as many connections: what the database does past the single hot row.
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bcl' || g, 'bcl' || g, '压测' FROM generate_series(1, $1) g`, [
    2 * (claims + 200),
  ])
  let nextUser = 0
  const statementRun = async (couponId: string) => {
    const [{ valid_to: validTo }] = (await pool.query('SELECT valid_to FROM coupons WHERE id = $1', [couponId])).rows
    let taken = 0
    const { result, cpu } = await withCpu(undefined, () =>
      drive(claims + 200, CONCURRENCY, async () => {
        const client = await pool.connect()
        const lit = (v: unknown) => client.escapeLiteral(v instanceof Date ? v.toISOString() : String(v))
        try {
          await client.query(
            `BEGIN; SELECT user_coupon_id FROM coupon_claim(${lit(couponId)}, ${lit(`bcl${++nextUser}`)}, 1, now(), ${lit(validTo)}, now(), true, true); COMMIT`,
          )
          taken++
        } catch (err) {
          if ((err as { code?: string }).code !== 'WS409') throw err
          await client.query('ROLLBACK')
        } finally {
          client.release()
        }
      }),
    )
    const [{ claimed }] = (await pool.query('SELECT count(*)::int AS claimed FROM user_coupons WHERE coupon_id = $1', [couponId])).rows
    if (taken !== claims || claimed !== claims) throw new Error(`over-claim check failed (statement): ${taken} taken, ${claimed} held`)
    return { run: result, cpu: cpuPer(cpu, claims + 200) }
  }
  const plainAgain = await startStack({ databaseUrl: stack.databaseUrl, env: { CONTRACT_CHECK_OUTPUTS: '0', COUPON_SLOTS: '1' } })
  let oneRowBare: string
  try {
    oneRowBare = (await create(plainAgain, (await plainAgain.login('admin')).token)).couponId
  } finally {
    await plainAgain.stop()
  }
  const oneStatement = await statementRun(oneRowBare)
  const manyStatement = await statementRun((await create(stack, admin)).couponId)

  // The raw statement on one hot row, on the same database, from as many connections.
  const { rows } = await pool.query(
    `INSERT INTO coupons (title, kind, value_fen, stock, per_user_limit, valid_from, valid_to)
     VALUES ('raw', 'fixed', 100, $1, 1, now() - interval '1 day', now() + interval '1 day') RETURNING id`,
    [claims],
  )
  const { result: raw, cpu: rawCpu } = await withCpu(stack.pid, () =>
    drive(claims + 200, CONCURRENCY, async () => {
      await pool.query('UPDATE coupons SET claimed = claimed + 1 WHERE id = $1 AND claimed < stock', [rows[0].id])
    }),
  )
  await pool.end()

  const latency = (r: Run) => `p50 ${r.p50.toFixed(1)} ms, p99 ${r.p99.toFixed(1)} ms`
  const ratio = (r: Run) => `${((r.perSecond / raw.perSecond) * 100).toFixed(1)} %`
  const outcome = `${claims} of ${claims} claimed, 200 refused COUPON_SOLD_OUT, 0 over-claimed`
  return [
    {
      name: 'coupon.claim via HTTP API, stock in one row',
      value: `${one.run.perSecond.toFixed(0)} claims/s`,
      note: `${latency(one.run)}; ${outcome}; ${one.cpu}`,
    },
    {
      name: 'raw conditional UPDATE of one row (same DB)',
      value: `${raw.perSecond.toFixed(0)} updates/s`,
      note: `${latency(raw)}; ${cpuPer(rawCpu, claims + 200)}`,
    },
    {
      name: 'ratio API / raw, one row',
      value: ratio(one.run),
      note: 'each claim: session, coupon read, then one statement (stock, count, coupon, chip) sent with its COMMIT',
    },
    {
      name: `coupon.claim via HTTP API, stock in ${slots} slots`,
      value: `${many.run.perSecond.toFixed(0)} claims/s`,
      note: `${latency(many.run)}; ${outcome}; ${many.cpu}`,
    },
    {
      name: `ratio API in ${slots} slots / raw one row`,
      value: ratio(many.run),
      note: 'the same claim, its unit from a slot picked at random (falling over to the others when empty)',
    },
    {
      name: 'claim statement alone, one row (same DB)',
      value: `${oneStatement.run.perSecond.toFixed(0)} claims/s (${ratio(oneStatement.run)} of raw)`,
      note: `${latency(oneStatement.run)}; BEGIN, coupon_claim, COMMIT in one round trip; ${outcome}; ${oneStatement.cpu}`,
    },
    {
      name: `claim statement alone, ${slots} slots (same DB)`,
      value: `${manyStatement.run.perSecond.toFixed(0)} claims/s (${ratio(manyStatement.run)} of raw)`,
      note: `${latency(manyStatement.run)}; the same, its unit from a slot; ${outcome}; ${manyStatement.cpu}`,
    },
  ]
}

export async function benchCredits(stack: Stack): Promise<Row[]> {
  const admin = (await stack.login('admin')).token
  const startsAt = new Date().toISOString()
  const { roomId } = await stack.ok('admin', { action: 'createLiveRoom', title: '压测直播间', startsAt }, admin)
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const entries = Number(process.env.BENCH_ENTRIES ?? 3000)
  const sharers = await Promise.all(
    Array.from({ length: CONCURRENCY }, (_, i) => stack.login(`bench-sharer-${i}`).then((r) => r.user.id as string)),
  )
  const viewers = await Promise.all(
    Array.from({ length: entries }, (_, i) => stack.login(`bench-viewer-${i}`).then((r) => r.token as string)),
  )
  let n = 0
  const api = await drive(entries, CONCURRENCY, async (w) => {
    await stack.ok('live', { action: 'enter', roomId, sharerId: sharers[w] }, viewers[n++])
  })

  const pool = new pg.Pool({ connectionString: stack.databaseUrl, max: CONCURRENCY })
  const { rows: raw } = await pool.query(`INSERT INTO live_rooms (title, starts_at, status) VALUES ('raw', now(), 'live') RETURNING id`)
  const rawRoom = raw[0].id as string
  await pool.query(`INSERT INTO users (id, openid, nickname) SELECT 'bu' || g, 'bu' || g, '压测' FROM generate_series(1, $1) g`, [entries])
  let m = 0
  const rawRun = await drive(entries, CONCURRENCY, async (w) => {
    const viewer = `bu${++m}`
    const client = await pool.connect()
    try {
      await client.query('BEGIN')
      await client.query('INSERT INTO room_entries (room_id, user_id, sharer_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING', [
        rawRoom,
        viewer,
        sharers[w],
      ])
      await client.query('INSERT INTO share_records (room_id, viewer_id, sharer_id) VALUES ($1, $2, $3)', [rawRoom, viewer, sharers[w]])
      await client.query(
        `INSERT INTO sharer_counts (room_id, sharer_id, invites, reached_at, reached_seq) VALUES ($1, $2, 1, now(), nextval('sharer_reach_seq'))
         ON CONFLICT (room_id, sharer_id) DO UPDATE SET invites = sharer_counts.invites + 1, reached_at = now(), reached_seq = EXCLUDED.reached_seq`,
        [rawRoom, sharers[w]],
      )
      await client.query('COMMIT')
    } finally {
      client.release()
    }
  })
  const [{ credited }] = (await pool.query('SELECT count(*)::int AS credited FROM share_records WHERE room_id = $1', [roomId])).rows
  if (credited !== entries) throw new Error(`credit check failed: ${credited} of ${entries}`)

  await pool.end()
  return versus(
    {
      name: 'live.enter with a credit via HTTP API',
      unit: 'credits/s',
      run: api,
      outcome: `${CONCURRENCY} concurrent viewers, ${CONCURRENCY} sharers; ${credited} credited of ${entries}`,
    },
    { name: 'raw entry + share record + count (same DB)', unit: 'credits/s', run: rawRun },
    'each credit: the entry as one statement sent alone, the room view from the host’s cache; the load generator is fetch (the live section measures the same call with node:http and CPU columns)',
  )
}
