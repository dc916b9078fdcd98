/**
 * The customer page (admin.member) and the room report read by index, not whole tables: with
 * sequential scans off, each lookup's plan must use an index led by the looked-up column (on
 * PostgreSQL 15, with no btree skip scan, an Index Cond on a later column still reads the whole index).
 * The queries are those of members.repo (source, invites), shows.repo (the room's grants) and the
 * batched loads of admin.member's orders and coupon templates (desk.repo / coupon.repo `many`).
 */
import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { createTestDatabase, ROOT } from '../helpers/stack'

function migrateUp(databaseUrl: string) {
  const code = `import { runner } from 'node-pg-migrate'
    await runner({ databaseUrl: process.env.DB_URL, dir: 'cloud/db/migrations', migrationsTable: 'pgmigrations',
      direction: 'up', count: Infinity, checkOrder: true, log: () => undefined })`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, DB_URL: databaseUrl },
    stdio: 'pipe',
  })
}

const QUERIES: Record<string, string> = {
  'room_entries by user (first room entered)': `SELECT room_id, sharer_id, entered_at FROM room_entries WHERE user_id = 'u_x' ORDER BY entered_at LIMIT 1`,
  'share_records by sharer': `SELECT count(*)::int FROM share_records WHERE sharer_id = 'u_x'`,
  'deal_invites by inviter': `SELECT count(*)::int FROM deal_invites WHERE inviter_id = 'u_x'`,
  "the room's own grants by key, their coupons by grant": `SELECT uc.coupon_id, uc.status, uc.order_id
    FROM coupon_grants cg JOIN user_coupons uc ON uc.grant_id = cg.id
    WHERE cg.grant_key IN ('room-top3:' || 'lr_x', 'room-end:' || 'lr_x')`,
  'orders in one batch': `SELECT o.id FROM orders o JOIN users u ON u.id = o.user_id WHERE o.id = ANY(ARRAY['o_1', 'o_2']::text[])`,
  'coupon templates in one batch': `SELECT c.id FROM coupons c WHERE c.id = ANY(ARRAY['c_1', 'c_2']::text[])`,
}

test('customer page and room report lookups use an index led by their column', async () => {
  const url = await createTestDatabase()
  migrateUp(url)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    await db.query('SET enable_seqscan = off')
    const scans: Record<string, string> = {}
    for (const [name, sql] of Object.entries(QUERIES)) {
      const plan = (await db.query(`EXPLAIN ${sql}`)).rows.map((r) => r['QUERY PLAN']).join('\n')
      const nonLeading = /on (room_entries_pkey|share_records_sharer_idx|deal_invites_inviter_idx)\b/.test(plan)
      scans[name] = /Seq Scan/.test(plan) || !/Index Cond/.test(plan) || nonLeading ? plan : 'indexed'
    }
    expect(scans).toEqual(Object.fromEntries(Object.keys(QUERIES).map((k) => [k, 'indexed'])))
  } finally {
    await db.end()
  }
}, 120_000)
