/**
 * The CloudBase bundles as CloudBase runs them: `exports.main(event)` with the real wx-server-sdk,
 * whose getWXContext() reads the caller from the runtime's WX_* environment. The caller is the
 * context's OPENID, never a field of the event.
 */
import { execFileSync } from 'node:child_process'
import path from 'node:path'
import { buildCloudFunctions, OUT_DIR } from '../../cloud/deploy/build'
import { ROOT, startStack, type Stack } from '../helpers/stack'

let stack: Stack

beforeAll(async () => {
  stack = await startStack({ seed: true })
  await buildCloudFunctions(['auth', 'catalog', 'admin'])
}, 120_000)
afterAll(() => stack?.stop())

/** Runs one invocation of a bundled function in a fresh node, as the CloudBase runtime would. */
function invokeCloud(name: string, event: object, openid: string | null, env: Record<string, string> = {}) {
  const script = `require(${JSON.stringify(path.join(OUT_DIR, name, 'index.js'))}).main(${JSON.stringify(event)}, {})
    .then((r) => r, (e) => ({ thrown: String(e) }))
    // CloudBase freezes the container once main resolves; here the process ends instead of idling on the pool.
    .then((r) => process.stdout.write(JSON.stringify(r), () => process.exit(0)))`
  const out = execFileSync(process.execPath, ['-e', script], {
    env: {
      PATH: process.env.PATH,
      NODE_PATH: path.join(ROOT, 'node_modules'), // where CloudBase would have installed wx-server-sdk
      DATABASE_URL: stack.databaseUrl,
      ...(openid ? { WX_CONTEXT_KEYS: 'WX_OPENID,WX_APPID', WX_OPENID: openid, WX_APPID: 'wx0000000000000000' } : {}),
      ...env,
    },
  })
  return JSON.parse(out.toString())
}

test('the caller is the OPENID of the WeChat context', async () => {
  const res = invokeCloud('auth', { action: 'me', userInfo: { openId: 'ignored' } }, 'o_cloud_user')
  expect(res).toMatchObject({ ok: true, data: { user: { isAdmin: false, isNewCustomer: true } } })
  const again = invokeCloud('auth', { action: 'me' }, 'o_cloud_user')
  expect(again.data.user.id).toBe(res.data.user.id)
})

test('the same handlers answer the same envelope: catalog paging, admin refusal, bad input', () => {
  const list = invokeCloud('catalog', { action: 'list', limit: 3 }, 'o_cloud_user')
  expect(list.ok).toBe(true)
  expect(list.data.items).toHaveLength(3)
  expect(typeof list.data.nextCursor).toBe('string')

  const refused = invokeCloud('admin', { action: 'createProduct', title: 'x', priceFen: 1, stock: 1 }, 'o_cloud_user')
  expect(refused).toMatchObject({ ok: false, error: { code: 'FORBIDDEN' } })

  const admin = invokeCloud('admin', { action: 'createProduct', title: '云端上新', priceFen: 100, stock: 1 }, 'o_boss', {
    ADMIN_OPENIDS: 'o_boss',
  })
  expect(admin.ok).toBe(true)

  const bad = invokeCloud('catalog', { action: 'list', limit: 'many' }, 'o_cloud_user')
  expect(bad).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
})

test('without a WeChat context there is no caller, and dev login is off inside CloudBase', () => {
  expect(invokeCloud('catalog', { action: 'list' }, null)).toMatchObject({ ok: false, error: { code: 'UNAUTHENTICATED' } })
  expect(invokeCloud('auth', { action: 'devLogin', openid: 'admin' }, 'o_cloud_user')).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN' },
  })
})

test('auth.login is refused inside CloudBase (403): the caller is already the OPENID of the context', () => {
  expect(invokeCloud('auth', { action: 'login', code: '081Kq4Ga1MSox41ufFGa1elxLA3Kq4GM' }, 'o_cloud_user')).toMatchObject({
    ok: false,
    error: { code: 'FORBIDDEN', message: '云开发环境由微信提供身份，无需登录' },
  })
})
