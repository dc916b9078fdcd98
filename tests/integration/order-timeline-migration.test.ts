/**
 * Migration 020 gives orders placed before the timeline existed their story from their own columns,
 * and undoes cleanly: migrated up, taken down (orders of every kind are then written as the code
 * before it wrote them), and up again.
 */
import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { createTestDatabase, ROOT } from '../helpers/stack'

/**
 * Runs node-pg-migrate (an ES module, which jest can't load) in a child process, as the host does:
 * every migration up, or one step up or down.
 */
function migrations(databaseUrl: string, direction: 'up' | 'down', count: number | 'all') {
  const code = `import { runner } from 'node-pg-migrate'
    await runner({ databaseUrl: process.env.DB_URL, dir: 'cloud/db/migrations', migrationsTable: 'pgmigrations',
      direction: '${direction}', count: ${count === 'all' ? 'Infinity' : count}, checkOrder: true, log: () => undefined })`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, DB_URL: databaseUrl },
  })
}

test('existing orders get one event per status their columns show, each by whom it must have been', async () => {
  const url = await createTestDatabase()
  migrations(url, 'up', 'all')
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    // The last migration is this one (down 1 takes back only it).
    expect((await db.query(`SELECT name FROM pgmigrations ORDER BY id DESC LIMIT 1`)).rows[0].name).toBe('1700000000020_order_desk')
    migrations(url, 'down', 1)
    expect((await db.query(`SELECT to_regclass('order_events') AS t`)).rows[0].t).toBeNull()
    await db.query(`INSERT INTO users (id, openid, nickname) VALUES ('u_old', 'old', '老顾客')`)
    const t0 = '2026-11-01T02:00:00Z'
    const at = (minutes: number) => new Date(Date.parse(t0) + minutes * 60_000).toISOString()
    const orders: Array<[string, string, Record<string, unknown>]> = [
      ['o_pending', 'pending_payment', {}],
      ['o_paid', 'paid', { paid_at: at(1) }],
      ['o_shipped', 'shipped', { paid_at: at(1), shipped_at: at(60), carrier: '顺丰速运', tracking_no: 'SF1234567890' }],
      [
        'o_done',
        'completed',
        { paid_at: at(1), shipped_at: at(60), carrier: '中通快递', tracking_no: 'ZT1234567890', completed_at: at(600) },
      ],
      ['o_gave_up', 'cancelled', { cancelled_at: at(5), cancel_reason: '买家取消' }],
      ['o_timeout', 'cancelled', { cancelled_at: at(15), cancel_reason: '超时未支付' }],
      ['o_approved', 'refunded', { paid_at: at(1), refund_reason: '买多了', refunded_at: at(100) }],
      [
        'o_merchant',
        'refunded',
        {
          paid_at: at(1),
          shipped_at: at(60),
          carrier: '顺丰速运',
          tracking_no: 'SF0000000001',
          refunded_at: at(900),
          merchant_refund_reason: '缺货',
        },
      ],
    ]
    for (const [id, status, cols] of orders) {
      const names = [
        'id',
        'user_id',
        'status',
        'idempotency_key',
        'goods_fen',
        'payable_fen',
        'created_at',
        'pay_deadline',
        ...Object.keys(cols),
      ]
      const values = [id, 'u_old', status, `key-${id}`, 990, 990, t0, at(15), ...Object.values(cols)]
      await db.query(`INSERT INTO orders (${names.join(', ')}) VALUES (${names.map((_, i) => `$${i + 1}`).join(', ')})`, values)
    }
  } finally {
    await db.end()
  }
  migrations(url, 'up', 1)

  const check = new pg.Client({ connectionString: url })
  await check.connect()
  try {
    const { rows } = await check.query(
      `SELECT order_id, to_char(at AT TIME ZONE 'UTC', 'HH24:MI') AS at, from_status, to_status, actor_kind, actor_id, note
       FROM order_events ORDER BY id`,
    )
    const story = (id: string) =>
      rows.filter((r) => r.order_id === id).map((r) => [r.at, r.from_status, r.to_status, r.actor_kind, r.actor_id, r.note])
    const placed = ['02:00', null, 'pending_payment', 'shopper', 'u_old', null]
    const paid = ['02:01', 'pending_payment', 'paid', 'system', null, null]
    expect(story('o_pending')).toEqual([placed])
    expect(story('o_paid')).toEqual([placed, paid])
    expect(story('o_shipped')).toEqual([placed, paid, ['03:00', 'paid', 'shipped', 'staff', null, '顺丰速运 SF1234567890']])
    expect(story('o_done')).toEqual([
      placed,
      paid,
      ['03:00', 'paid', 'shipped', 'staff', null, '中通快递 ZT1234567890'],
      ['12:00', 'shipped', 'completed', 'shopper', 'u_old', null],
    ])
    expect(story('o_gave_up')).toEqual([placed, ['02:05', 'pending_payment', 'cancelled', 'shopper', 'u_old', '买家取消']])
    expect(story('o_timeout')).toEqual([placed, ['02:15', 'pending_payment', 'cancelled', 'system', null, '超时未支付']])
    expect(story('o_approved')).toEqual([placed, paid, ['03:40', 'refund_requested', 'refunded', 'staff', null, null]])
    expect(story('o_merchant')).toEqual([
      placed,
      paid,
      ['03:00', 'paid', 'shipped', 'staff', null, '顺丰速运 SF0000000001'],
      ['17:00', 'shipped', 'refunded', 'staff', null, '缺货'],
    ])
    // From now on the trigger writes them: a change made outside the services is the system's.
    await check.query(`UPDATE orders SET status = 'completed', completed_at = now() WHERE id = 'o_shipped'`)
    const { rows: after } = await check.query(
      `SELECT from_status, to_status, actor_kind, actor_id FROM order_events WHERE order_id = 'o_shipped' ORDER BY id DESC LIMIT 1`,
    )
    expect(after).toEqual([{ from_status: 'shipped', to_status: 'completed', actor_kind: 'system', actor_id: null }])
  } finally {
    await check.end()
  }
}, 60_000)
