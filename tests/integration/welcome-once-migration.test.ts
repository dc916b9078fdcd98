/**
 * Migration 047 keys the helper's welcome coupon by campaign and helper: helps counted before it name
 * the coupon they were granted, the earliest of each helper's coupons in a campaign takes the
 * campaign's key (so that helper gets no other), later ones keep their task's key; and it undoes
 * cleanly (down restores the task keys and drops the column and the group campaigns' trigger).
 */
import { execFileSync } from 'node:child_process'
import fs from 'node:fs'
import path from 'node:path'
import pg from 'pg'
import { createTestDatabase, ROOT } from '../helpers/stack'

/** node-pg-migrate in a child process (an ES module jest can't load), as the host runs it. */
function migrations(databaseUrl: string, direction: 'up' | 'down', count: number | 'all') {
  const code = `import { runner } from 'node-pg-migrate'
    await runner({ databaseUrl: process.env.DB_URL, dir: 'cloud/db/migrations', migrationsTable: 'pgmigrations',
      direction: '${direction}', count: ${count === 'all' ? 'Infinity' : count}, checkOrder: true, log: () => undefined })`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, DB_URL: databaseUrl },
  })
}

const MIGRATION = '1700000000047_join_gate_welcome_once'
const UP_TO_046 = fs.readdirSync(path.join(ROOT, 'cloud/db/migrations')).filter((f) => f.endsWith('.sql') && f < `${MIGRATION}.sql`).length

test('welcome coupons granted per task before 047: the earliest per helper and campaign takes the campaign key; down restores', async () => {
  const url = await createTestDatabase()
  migrations(url, 'up', UP_TO_046)
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    await db.query(
      `INSERT INTO users (id, openid, nickname) VALUES ('u_s1', 's1', '甲'), ('u_s2', 's2', '乙'), ('u_f', 'f', '好友'), ('u_g', 'g', '另一位')`,
    )
    await db.query(`INSERT INTO coupons (id, title, kind, value_fen, stock, per_user_limit, valid_from, valid_to)
      VALUES ('cp_w', '欢迎券', 'fixed', 500, 0, 1, now() - interval '1 day', now() + interval '30 days'),
             ('cp_r', '奖励券', 'fixed', 500, 0, 1, now() - interval '1 day', now() + interval '30 days')`)
    await db.query(`INSERT INTO assist_campaigns (id, title, face, reward_coupon_id, helps_needed, task_hours, helper_coupon_id, starts_at, ends_at)
      VALUES ('ac_1', '助力', 'coupon', 'cp_r', 3, 24, 'cp_w', now() - interval '1 hour', now() + interval '2 days')`)
    await db.query(`INSERT INTO assist_tasks (id, campaign_id, starter_id, helps_needed, helps, started_at, expires_at)
      VALUES ('at_1', 'ac_1', 'u_s1', 3, 2, now(), now() + interval '1 day'), ('at_2', 'ac_1', 'u_s2', 3, 1, now(), now() + interval '1 day')`)
    await db.query(`INSERT INTO assist_helps (task_id, helper_id, counted, was_new, at)
      VALUES ('at_1', 'u_f', true, false, now()), ('at_2', 'u_f', true, false, now()), ('at_1', 'u_g', true, true, now())`)
    // The farm: u_f collected one per task; u_g one.
    await db.query(`INSERT INTO user_coupons (id, coupon_id, user_id, valid_from, valid_to, grant_key) VALUES
      ('uc_f1', 'cp_w', 'u_f', now(), now() + interval '7 days', ':assist-help:at_1:u_f'),
      ('uc_f2', 'cp_w', 'u_f', now(), now() + interval '7 days', ':assist-help:at_2:u_f'),
      ('uc_g1', 'cp_w', 'u_g', now(), now() + interval '7 days', ':assist-help:at_1:u_g')`)

    migrations(url, 'up', 1)
    expect((await db.query(`SELECT name FROM pgmigrations ORDER BY id DESC LIMIT 1`)).rows[0].name).toBe(MIGRATION)
    const helps = await db.query(`SELECT task_id, helper_id, welcome_coupon_id FROM assist_helps ORDER BY task_id, helper_id`)
    expect(helps.rows).toEqual([
      { task_id: 'at_1', helper_id: 'u_f', welcome_coupon_id: 'uc_f1' },
      { task_id: 'at_1', helper_id: 'u_g', welcome_coupon_id: 'uc_g1' },
      { task_id: 'at_2', helper_id: 'u_f', welcome_coupon_id: 'uc_f2' },
    ])
    const keys = async () => (await db.query(`SELECT id, grant_key FROM user_coupons ORDER BY id`)).rows
    expect(await keys()).toEqual([
      { id: 'uc_f1', grant_key: ':assist-help:ac_1:u_f' },
      { id: 'uc_f2', grant_key: ':assist-help:at_2:u_f' },
      { id: 'uc_g1', grant_key: ':assist-help:ac_1:u_g' },
    ])
    // The campaign's key is taken: the same grant again gives nothing.
    const again = await db.query(`INSERT INTO user_coupons (coupon_id, user_id, valid_from, valid_to, grant_key)
      VALUES ('cp_w', 'u_f', now(), now() + interval '7 days', ':assist-help:ac_1:u_f') ON CONFLICT (coupon_id, grant_key) DO NOTHING RETURNING id`)
    expect(again.rows).toEqual([])

    migrations(url, 'down', 1)
    expect(await keys()).toEqual([
      { id: 'uc_f1', grant_key: ':assist-help:at_1:u_f' },
      { id: 'uc_f2', grant_key: ':assist-help:at_2:u_f' },
      { id: 'uc_g1', grant_key: ':assist-help:at_1:u_g' },
    ])
    const gone = await db.query(`SELECT
      EXISTS (SELECT 1 FROM information_schema.columns WHERE table_name = 'assist_helps' AND column_name = 'welcome_coupon_id') AS col,
      EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'group_campaigns_gate') AS trg`)
    expect(gone.rows).toEqual([{ col: false, trg: false }])
    migrations(url, 'up', 'all')
    expect(await keys()).toEqual([
      { id: 'uc_f1', grant_key: ':assist-help:ac_1:u_f' },
      { id: 'uc_f2', grant_key: ':assist-help:at_2:u_f' },
      { id: 'uc_g1', grant_key: ':assist-help:ac_1:u_g' },
    ])
  } finally {
    await db.end()
  }
}, 120_000)
