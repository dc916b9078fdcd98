/**
 * Migration 031 (guides) rolls back after a guide signed in: audit_log is append-only, so the guide's
 * sign-in entry (actor_role 'guide') stays as history and 031's down keeps 'guide' in the log's role
 * check; the staff role itself goes. Up again afterwards works.
 */
import { execFileSync } from 'node:child_process'
import pg from 'pg'
import { createTestDatabase, ROOT } from '../helpers/stack'

function migrations(databaseUrl: string, direction: 'up' | 'down', count: number | 'all') {
  const code = `import { runner } from 'node-pg-migrate'
    await runner({ databaseUrl: process.env.DB_URL, dir: 'cloud/db/migrations', migrationsTable: 'pgmigrations',
      direction: '${direction}', count: ${count === 'all' ? 'Infinity' : count}, checkOrder: true, log: () => undefined })`
  execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
    cwd: ROOT,
    env: { ...process.env, DB_URL: databaseUrl },
    stdio: 'pipe',
  })
}

test('after a guide signed in, migrating down past 031 keeps their audit entry, removes the role, and up works again', async () => {
  const url = await createTestDatabase()
  migrations(url, 'up', 'all')
  const db = new pg.Client({ connectionString: url })
  await db.connect()
  try {
    await db.query(`INSERT INTO users (id, openid, nickname) VALUES ('u_owner', 'owner', '店主'), ('u_guide', 'guide', '导购小王')`)
    await db.query(`INSERT INTO staff (user_id, role, granted_by, created_at) VALUES ('u_guide', 'guide', 'u_owner', now())`)
    // What appendAudit writes for the guide's console sign-in.
    await db.query(`INSERT INTO audit_log (at, actor_id, actor_name, actor_role, action, target, detail)
      VALUES (now(), 'u_guide', '导购小王', 'guide', 'auth.consoleLogin', 'user:u_guide', '{"via":"scan"}')`)
    const applied = (await db.query<{ name: string }>(`SELECT name FROM pgmigrations ORDER BY id`)).rows.map((r) => r.name)
    const downs = applied.length - applied.findIndex((n) => n.startsWith('1700000000031_'))
    let error = ''
    try {
      migrations(url, 'down', downs)
    } catch (e) {
      error = String((e as { stderr?: Buffer }).stderr ?? e)
    }
    expect(error).toBe('')
    const left = (await db.query<{ name: string }>(`SELECT name FROM pgmigrations ORDER BY id DESC LIMIT 1`)).rows[0]!.name
    expect(left < '1700000000031').toBe(true)
    expect((await db.query(`SELECT actor_role FROM audit_log WHERE actor_id = 'u_guide'`)).rows).toEqual([{ actor_role: 'guide' }])
    expect((await db.query(`SELECT 1 FROM staff WHERE user_id = 'u_guide'`)).rowCount).toBe(0)
    await expect(
      db.query(`INSERT INTO staff (user_id, role, granted_by, created_at) VALUES ('u_guide', 'guide', 'u_owner', now())`),
    ).rejects.toThrow(/staff_role_check/)
    migrations(url, 'up', 'all')
    expect((await db.query(`SELECT name FROM pgmigrations`)).rowCount).toBe(applied.length)
  } finally {
    await db.end()
  }
}, 180_000)
