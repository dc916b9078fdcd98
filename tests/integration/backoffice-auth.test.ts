/**
 * The console's sign-in (scan a code, confirm on the phone, the console's poll gets an httpOnly
 * cookie), its CSRF check, the once-link, sign-out, and the audit log. Over HTTP against the real host.
 */
import fs from 'node:fs'
import http from 'node:http'
import os from 'node:os'
import path from 'node:path'
import zlib from 'node:zlib'
import pg from 'pg'
import sharp from 'sharp'
import { csrfTokenOf } from '../../cloud/core/auth/console-login.service'
import { cookieSecureOf } from '../../cloud/host/console-routes'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'

// The console's build, empty until a test puts one there.
const adminDir = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-admin-'))

let stack: Stack
let db: pg.Client
let owner: string
let shopper: string
let service: { token: string; user: any }

beforeAll(async () => {
  stack = await startStack({ env: { ADMIN_DIR: adminDir } })
  db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  owner = (await stack.login('admin', '店主')).token
  shopper = (await stack.login('shopper-1', '小林')).token
  await stack.ok('admin', { action: 'setStaff', openid: 'service-1', role: 'service' }, owner)
  service = await stack.login('service-1', '客服小王')
}, 90_000)
afterAll(async () => {
  await db?.end()
  await stack?.stop()
  fs.rmSync(adminDir, { recursive: true, force: true })
})

/** A raw request to the host: its status, headers and JSON (or text) body. */
async function request(method: string, pathname: string, opts: { body?: unknown; headers?: Record<string, string> } = {}) {
  const res = await fetch(`${stack.url}${pathname}`, {
    method,
    redirect: 'manual',
    headers: { ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}), ...opts.headers },
    body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
  })
  const text = await res.text()
  let json: any = null
  try {
    json = JSON.parse(text)
  } catch {
    // a page, not JSON
  }
  return { status: res.status, headers: res.headers, json, text }
}

/**
 * A POST that declares `length` bytes and sends only its headers: the host must refuse it on the
 * declared length alone, before reading a byte of the body.
 */
function declaredPost(pathname: string, length: number, headers: Record<string, string>): Promise<{ status: number; json: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${stack.url}${pathname}`,
      { method: 'POST', headers: { ...headers, 'content-length': String(length) } },
      (res) => {
        let text = ''
        res.setEncoding('utf8')
        res.on('data', (d) => (text += d))
        res.on('end', () => {
          req.destroy()
          resolve({ status: res.statusCode!, json: JSON.parse(text) })
        })
      },
    )
    req.on('error', reject)
    req.flushHeaders()
  })
}

/** The once-link the host printed after it started listening. */
const onceLinkOf = (host: Stack) => until(() => /\/admin\/login\/once\?token=([A-Za-z0-9_.-]+)/.exec(host.output())?.[1])

const cookieHeader = (setCookie: string) => setCookie.split(';')[0]!

const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36'

/** A ticket as a browser asks for it (Chrome on Windows unless another User-Agent is given). */
async function newTicket(userAgent = CHROME_WINDOWS) {
  const r = await request('POST', '/admin/api/fn/auth', { body: { action: 'consoleTicket' }, headers: { 'user-agent': userAgent } })
  expect(r.status).toBe(200)
  return r.json.data as { ticket: string; secret: string; page: string; scene: string; codeImage: string; expiresAt: string }
}

const poll = (t: { ticket: string; secret: string }) =>
  request('POST', '/admin/api/login/poll', { body: { ticket: t.ticket, secret: t.secret } })

/** Ticket, scan and confirm as `token`'s user, then the poll that redeems it: the cookie and the session. */
async function signIn(token: string) {
  const t = await newTicket()
  await stack.ok('auth', { action: 'consoleScan', ticket: t.scene }, token)
  await stack.ok('auth', { action: 'consoleConfirm', ticket: t.scene, approve: true }, token)
  const r = await poll(t)
  expect(r.json.data.status).toBe('confirmed')
  return { cookie: cookieHeader(r.headers.get('set-cookie')!), session: r.json.data.session, ticket: t }
}

const audit = async (action: string) =>
  (await db.query('SELECT actor_id, actor_role, action, target, detail FROM audit_log WHERE action = $1 ORDER BY seq', [action])).rows

describe('the console sign-in', () => {
  test('ticket → scan → confirm → poll: an httpOnly cookie on /admin and the session, used on /admin/api/fn with the CSRF header', async () => {
    const t = await newTicket()
    expect(t.page).toBe('packages/user/console-login/index')
    expect(t.scene).toBe(t.ticket)
    expect(t.ticket.length).toBeLessThanOrEqual(32)
    expect(new Date(t.expiresAt).getTime() - Date.now()).toBeGreaterThan(170_000)
    // The sandbox's code is a QR code of the H5 page the phone opens, the ticket as its scene.
    const coded = new URL(t.codeImage, stack.url).searchParams.get('text')!
    expect(coded).toBe(`${stack.url}/#/packages/user/console-login/index?scene=${encodeURIComponent(t.ticket)}`)
    expect((await request('GET', t.codeImage)).status).toBe(200)
    const scene = new URL(coded.replace('/#/', '/')).searchParams.get('scene')!

    expect((await poll(t)).json.data).toEqual({ status: 'waiting', session: null })
    const scanned = await stack.ok('auth', { action: 'consoleScan', ticket: scene }, owner)
    // The phone sees where the sign-in will happen: the browser that asked for the code.
    expect(scanned).toEqual({ status: 'scanned', role: 'owner', expiresAt: t.expiresAt, device: 'Chrome 浏览器 · Windows · 127.0.0.1' })
    expect((await poll(t)).json.data).toEqual({ status: 'scanned', session: null })
    expect(await stack.ok('auth', { action: 'consoleConfirm', ticket: scene, approve: true }, owner)).toEqual({ status: 'confirmed' })

    const redeemed = await poll(t)
    expect(redeemed.status).toBe(200)
    expect(redeemed.json.data.status).toBe('confirmed')
    expect(redeemed.json.data.session).toMatchObject({ user: { nickname: '店主', role: 'owner' } })
    const setCookie = redeemed.headers.get('set-cookie')!
    expect(setCookie).toMatch(/^weshop_console=[A-Za-z0-9_-]+;/)
    expect(setCookie).toMatch(/; Path=\/admin(;|$)/)
    expect(setCookie).toMatch(/; HttpOnly/)
    expect(setCookie).toMatch(/; SameSite=Strict/)
    expect(setCookie).not.toMatch(/Secure/)
    const cookie = cookieHeader(setCookie)
    const csrf = redeemed.json.data.session.csrfToken as string
    // Redeemed once: the next poll says so and starts nothing.
    const again = await poll(t)
    expect(again.json.data).toEqual({ status: 'used', session: null })
    expect(again.headers.get('set-cookie')).toBeNull()

    const session = await request('GET', '/admin/api/session', { headers: { cookie } })
    expect(session.status).toBe(200)
    expect(session.json.data).toEqual(redeemed.json.data.session)

    const me = await request('POST', '/admin/api/fn/admin', { body: { action: 'staff' }, headers: { cookie, 'x-csrf-token': csrf } })
    expect(me.status).toBe(200)
    expect(me.json.data.items.map((s: any) => s.role)).toEqual(['owner', 'service'])
    const noCsrf = await request('POST', '/admin/api/fn/admin', { body: { action: 'staff' }, headers: { cookie } })
    expect(noCsrf.status).toBe(403)
    expect(noCsrf.json.error).toEqual({ code: 'FORBIDDEN', message: '安全校验失败，请刷新页面后重试' })
    const badCsrf = await request('POST', '/admin/api/fn/admin', {
      body: { action: 'staff' },
      headers: { cookie, 'x-csrf-token': csrf.slice(1) + 'x' },
    })
    expect(badCsrf.status).toBe(403)
    // The cookie is no identity on the app's API.
    const onApi = await request('POST', '/api/fn/admin', { body: { action: 'staff' }, headers: { cookie } })
    expect(onApi.status).toBe(401)
    // The sign-in is in the audit log.
    expect(await audit('auth.consoleLogin')).toContainEqual(
      expect.objectContaining({ actor_id: session.json.data.user.id, actor_role: 'owner', detail: { via: 'scan' } }),
    )
  })

  test('a bearer token works on /admin/api/fn without a CSRF header', async () => {
    const r = await request('POST', '/admin/api/fn/admin', { body: { action: 'staff' }, headers: { authorization: `Bearer ${owner}` } })
    expect(r.status).toBe(200)
  })

  test('a shopper can neither scan nor confirm (403), and the ticket stays waiting', async () => {
    const t = await newTicket()
    const scan = await stack.call('auth', { action: 'consoleScan', ticket: t.ticket }, shopper)
    expect(scan.status).toBe(403)
    const confirm = await stack.call('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, shopper)
    expect(confirm.status).toBe(403)
    expect(confirm.body).toMatchObject({ ok: false, error: { code: 'FORBIDDEN', message: '仅店铺员工可以登录商家后台' } })
    expect((await poll(t)).json.data).toEqual({ status: 'waiting', session: null })
    const unknown = await stack.call('auth', { action: 'consoleScan', ticket: 'x'.repeat(24) }, owner)
    expect(unknown.status).toBe(404)
  })

  test('staff other than the owner sign in with their own role; the session is theirs', async () => {
    const { session } = await signIn(service.token)
    expect(session.user).toEqual({ id: service.user.id, nickname: '客服小王', role: 'service' })
  })

  test('two polls at once redeem a confirmed ticket once: one session, one cookie', async () => {
    const t = await newTicket()
    await stack.ok('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, owner)
    const before = (await db.query(`SELECT count(*)::int AS n FROM sessions WHERE kind = 'console'`)).rows[0].n
    const polls = await Promise.all([poll(t), poll(t), poll(t), poll(t)])
    expect(polls.map((p) => p.status)).toEqual([200, 200, 200, 200])
    expect(polls.filter((p) => p.json.data.session !== null)).toHaveLength(1)
    expect(polls.filter((p) => p.headers.get('set-cookie') !== null)).toHaveLength(1)
    expect(polls.filter((p) => p.json.data.status === 'used')).toHaveLength(3)
    const after = (await db.query(`SELECT count(*)::int AS n FROM sessions WHERE kind = 'console'`)).rows[0].n
    expect(after).toBe(before + 1)
  })

  test('two confirms at once decide once; a second answer gets the status as it is', async () => {
    const t = await newTicket()
    const answers = await Promise.all([
      stack.call('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: false }, owner),
      stack.call('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, service.token),
    ])
    const statuses = answers.map((a) => a.body.ok && a.body.data.status).sort()
    // Whichever landed first decided; the other read it back.
    expect([
      ['confirmed', 'confirmed'],
      ['rejected', 'rejected'],
    ]).toContainEqual(statuses)
  })

  test('a rejected ticket never redeems', async () => {
    const t = await newTicket()
    await stack.ok('auth', { action: 'consoleScan', ticket: t.ticket }, owner)
    expect(await stack.ok('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: false }, owner)).toEqual({ status: 'rejected' })
    expect(await stack.ok('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, owner)).toEqual({ status: 'rejected' })
    const r = await poll(t)
    expect(r.json.data).toEqual({ status: 'rejected', session: null })
    expect(r.headers.get('set-cookie')).toBeNull()
  })

  test('an expired ticket can be neither confirmed nor redeemed', async () => {
    const waiting = await newTicket()
    const confirmed = await newTicket()
    await stack.ok('auth', { action: 'consoleConfirm', ticket: confirmed.ticket, approve: true }, owner)
    // Three minutes pass.
    await db.query(`UPDATE console_tickets SET expires_at = now() - interval '1 second' WHERE id = ANY($1)`, [
      [waiting.ticket, confirmed.ticket],
    ])
    expect(await stack.ok('auth', { action: 'consoleScan', ticket: waiting.ticket }, owner)).toMatchObject({ status: 'expired' })
    expect(await stack.ok('auth', { action: 'consoleConfirm', ticket: waiting.ticket, approve: true }, owner)).toEqual({
      status: 'expired',
    })
    expect((await poll(waiting)).json.data).toEqual({ status: 'expired', session: null })
    const late = await poll(confirmed)
    expect(late.json.data).toEqual({ status: 'expired', session: null })
    expect(late.headers.get('set-cookie')).toBeNull()
  })

  test('a wrong secret learns nothing (404) and redeems nothing', async () => {
    const t = await newTicket()
    await stack.ok('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, owner)
    const wrong = await poll({ ticket: t.ticket, secret: 'not-the-secret-at-all' })
    expect(wrong.status).toBe(404)
    expect((await poll(t)).json.data.status).toBe('confirmed')
  })

  test('opening the once-link (GET, as a link preview does) uses nothing; its button (POST) signs in once, then 410', async () => {
    const { rows } = await db.query(`SELECT id FROM users WHERE openid = 'admin'`)
    expect(rows).toHaveLength(1)
    // The link `npm start` printed for this host.
    const link = await onceLinkOf(stack)
    // Opened twice (a chat app's preview, then the owner): a page with the button, no cookie.
    for (let i = 0; i < 2; i++) {
      const opened = await request('GET', `/admin/login/once?token=${link}`)
      expect(opened.status).toBe(200)
      expect(opened.text).toContain('进入商家后台')
      expect(opened.text).toContain('<form method="post" action="/admin/login/once">')
      expect(opened.headers.get('set-cookie')).toBeNull()
    }
    const enter = () =>
      fetch(`${stack.url}/admin/login/once`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: link }).toString(),
      })
    // The button pressed in several tabs at once: exactly one signs in.
    const answers = await Promise.all(Array.from({ length: 4 }, enter))
    expect(answers.map((a) => a.status).sort()).toEqual([303, 410, 410, 410])
    const first = answers.find((a) => a.status === 303)!
    expect(first.headers.get('location')).toBe('/admin/')
    const cookie = cookieHeader(first.headers.get('set-cookie')!)
    const session = await request('GET', '/admin/api/session', { headers: { cookie } })
    expect(session.json.data.user).toMatchObject({ id: rows[0].id, role: 'owner' })
    const second = answers.find((a) => a.status === 410)!
    expect(await second.text()).toContain('链接已失效，请在后台登录页扫码登录')
    expect(second.headers.get('set-cookie')).toBeNull()
    // Once used, opening it says so too.
    const spent = await request('GET', `/admin/login/once?token=${link}`)
    expect(spent.status).toBe(410)
    expect(spent.text).toContain('链接已失效，请在后台登录页扫码登录')
    expect((await request('GET', '/admin/login/once?token=nonsense')).status).toBe(410)
  })

  test('刷新二维码 withdraws the pending code: the phone confirming the old one is told it has expired', async () => {
    const old = await newTicket()
    expect((await stack.ok('auth', { action: 'consoleScan', ticket: old.ticket }, owner)).status).toBe('scanned')
    // A wrong secret withdraws nothing.
    await stack.ok('auth', { action: 'consoleTicket', replaces: { ticket: old.ticket, secret: 'not-the-secret-at-all' } })
    expect((await poll(old)).json.data.status).toBe('scanned')
    const fresh = await stack.ok('auth', { action: 'consoleTicket', replaces: { ticket: old.ticket, secret: old.secret } })
    expect(fresh.ticket).not.toBe(old.ticket)
    expect(await stack.ok('auth', { action: 'consoleConfirm', ticket: old.ticket, approve: true }, owner)).toEqual({ status: 'expired' })
    expect((await poll(old)).json.data).toEqual({ status: 'expired', session: null })
    // The new one works.
    await stack.ok('auth', { action: 'consoleScan', ticket: fresh.ticket }, owner)
    await stack.ok('auth', { action: 'consoleConfirm', ticket: fresh.ticket, approve: true }, owner)
    expect((await poll(fresh)).json.data.status).toBe('confirmed')
  })

  test('logout ends the session and clears the cookie; it needs the CSRF header', async () => {
    const { cookie, session } = await signIn(owner)
    const forged = await request('POST', '/admin/api/logout', { body: {}, headers: { cookie } })
    expect(forged.status).toBe(403)
    expect((await request('GET', '/admin/api/session', { headers: { cookie } })).status).toBe(200)
    const out = await request('POST', '/admin/api/logout', { body: {}, headers: { cookie, 'x-csrf-token': session.csrfToken } })
    expect(out.status).toBe(200)
    expect(out.headers.get('set-cookie')).toMatch(/^weshop_console=;.*Path=\/admin/)
    const after = await request('GET', '/admin/api/session', { headers: { cookie } })
    expect(after.status).toBe(401)
    const call = await request('POST', '/admin/api/fn/admin', {
      body: { action: 'staff' },
      headers: { cookie, 'x-csrf-token': session.csrfToken },
    })
    expect(call.status).toBe(401)
    expect(await audit('auth.consoleLogout')).toContainEqual(expect.objectContaining({ actor_id: session.user.id, actor_role: 'owner' }))
  })

  test('a role taken away ends what the console session may do at the next call', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'anchor-1', role: 'anchor' }, owner)
    const anchor = await stack.login('anchor-1', '主播阿杰')
    const { cookie, session } = await signIn(anchor.token)
    const headers = { cookie, 'x-csrf-token': session.csrfToken }
    const room = { action: 'createLiveRoom', title: '春茶直播', startsAt: new Date(Date.now() + 3_600_000).toISOString() }
    expect((await request('POST', '/admin/api/fn/admin', { body: room, headers })).status).toBe(200)
    await stack.ok('admin', { action: 'setStaff', openid: 'anchor-1', role: null }, owner)
    expect((await request('POST', '/admin/api/fn/admin', { body: room, headers })).status).toBe(401)
    expect((await request('GET', '/admin/api/session', { headers: { cookie } })).status).toBe(401)
    // The session itself is gone: giving the role back does not revive it without a scan.
    const sessions = async () =>
      (await db.query(`SELECT count(*)::int AS n FROM sessions WHERE user_id = $1 AND kind = 'console'`, [session.user.id])).rows[0].n
    expect(await sessions()).toBe(0)
    await stack.ok('admin', { action: 'setStaff', openid: 'anchor-1', role: 'anchor' }, owner)
    expect((await request('GET', '/admin/api/session', { headers: { cookie } })).status).toBe(401)
    expect((await request('POST', '/admin/api/fn/admin', { body: room, headers })).status).toBe(401)
    // Their app session stays (the role is read at each call).
    expect((await stack.ok('auth', { action: 'me' }, anchor.token)).user.role).toBe('anchor')
  })

  test('any role change ends the console sessions; setting the same role again does not', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'mover-1', role: 'operator' }, owner)
    const mover = await stack.login('mover-1', '阿动')
    const first = await signIn(mover.token)
    await stack.ok('admin', { action: 'setStaff', openid: 'mover-1', role: 'operator' }, owner)
    expect((await request('GET', '/admin/api/session', { headers: { cookie: first.cookie } })).status).toBe(200)
    await stack.ok('admin', { action: 'setStaff', openid: 'mover-1', role: 'service' }, owner)
    expect((await request('GET', '/admin/api/session', { headers: { cookie: first.cookie } })).status).toBe(401)
    // A new scan signs in with the new role.
    expect((await signIn(mover.token)).session.user.role).toBe('service')
  })

  test('a ticket confirmed by someone whose role is then taken away never redeems, even once the role is back', async () => {
    await stack.ok('admin', { action: 'setStaff', openid: 'leaver-1', role: 'service' }, owner)
    const leaver = await stack.login('leaver-1', '阿离')
    const t = await newTicket()
    await stack.ok('auth', { action: 'consoleConfirm', ticket: t.ticket, approve: true }, leaver.token)
    await stack.ok('admin', { action: 'setStaff', openid: 'leaver-1', role: null }, owner)
    await stack.ok('admin', { action: 'setStaff', openid: 'leaver-1', role: 'service' }, owner)
    const late = await poll(t)
    expect(late.json.data).toEqual({ status: 'rejected', session: null })
    expect(late.headers.get('set-cookie')).toBeNull()

    // The poll itself checks too: a confirmer found without a role at the poll rejects the ticket for good.
    const u = await newTicket()
    await stack.ok('auth', { action: 'consoleConfirm', ticket: u.ticket, approve: true }, leaver.token)
    await db.query(`DELETE FROM staff WHERE user_id = $1`, [leaver.user.id])
    expect((await poll(u)).json.data).toEqual({ status: 'rejected', session: null })
    await db.query(`INSERT INTO staff (user_id, role, granted_by, created_at) VALUES ($1, 'service', $1, now())`, [leaver.user.id])
    const again = await poll(u)
    expect(again.json.data).toEqual({ status: 'rejected', session: null })
    expect(again.headers.get('set-cookie')).toBeNull()
  })

  test('the phone is told which browser asked for the code; a code from elsewhere shows elsewhere', async () => {
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1'
    const mac = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15'
    const edge =
      'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0'
    const cases: Array<[string, string]> = [
      [iphone, 'Safari 浏览器 · iOS · 127.0.0.1'],
      [mac, 'Safari 浏览器 · macOS · 127.0.0.1'],
      [edge, 'Edge 浏览器 · Windows · 127.0.0.1'],
      ['curl/8.5.0', '未知浏览器 · 未知系统 · 127.0.0.1'],
    ]
    for (const [ua, device] of cases) {
      const t = await newTicket(ua)
      expect((await stack.ok('auth', { action: 'consoleScan', ticket: t.ticket }, owner)).device).toBe(device)
    }
  })

  test("an app's 30-day token is no console cookie; as a bearer it still works (API clients)", async () => {
    const cookie = `weshop_console=${owner}`
    const headers = { cookie, 'x-csrf-token': csrfTokenOf(owner) }
    const call = await request('POST', '/admin/api/fn/admin', { body: { action: 'staff' }, headers })
    expect(call.status).toBe(401)
    expect((await request('GET', '/admin/api/session', { headers: { cookie } })).status).toBe(401)
    // A logout with it ends nothing: the app session is still good.
    expect((await request('POST', '/admin/api/logout', { body: {}, headers })).status).toBe(200)
    expect((await stack.call('auth', { action: 'me' }, owner)).status).toBe(200)
    const bearer = await request('POST', '/admin/api/fn/admin', {
      body: { action: 'staff' },
      headers: { authorization: `Bearer ${owner}` },
    })
    expect(bearer.status).toBe(200)
  })

  test('no page of another site may frame the console: /admin pages and API answers say so', async () => {
    const answers = [
      await request('GET', '/admin/'),
      await request('GET', '/admin/orders'),
      await request('GET', '/admin/api/session'),
      await request('POST', '/admin/api/fn/admin', { body: { action: 'staff' }, headers: { authorization: `Bearer ${owner}` } }),
      await request('POST', '/admin/api/nowhere', { body: {} }),
      await request('GET', '/admin/login/once?token=nonsense'),
    ]
    for (const a of answers) {
      expect(a.headers.get('x-frame-options')).toBe('DENY')
      expect(a.headers.get('content-security-policy')).toBe("frame-ancestors 'none'")
    }
  })

  test('the cookie is Secure in production (dev login off) unless COOKIE_SECURE=0, and anywhere with COOKIE_SECURE=1', () => {
    expect(cookieSecureOf({}, false)).toBe(true)
    expect(cookieSecureOf({ COOKIE_SECURE: '0' }, false)).toBe(false)
    expect(cookieSecureOf({}, true)).toBe(false)
    expect(cookieSecureOf({ COOKIE_SECURE: '1' }, true)).toBe(true)
  })

  test('unknown console API paths are 404 envelopes; /admin without a build says how to build it', async () => {
    expect((await request('POST', '/admin/api/nothing', { body: {} })).json.error.code).toBe('NOT_FOUND')
    const redirect = await request('GET', '/admin')
    expect(redirect.status).toBe(302)
    expect(redirect.headers.get('location')).toBe('/admin/')
    const missing = await request('GET', '/admin/')
    expect(missing.status).toBe(503)
    expect(missing.text).toContain('npm run build:admin')
  })

  test('the built console is served at /admin/, its index.html for client routes', async () => {
    fs.mkdirSync(path.join(adminDir, 'assets'), { recursive: true })
    fs.writeFileSync(path.join(adminDir, 'index.html'), '<!doctype html><title>商家后台</title><div id="root"></div>')
    fs.writeFileSync(path.join(adminDir, 'assets', 'app.js'), 'console.log("console")')
    const index = await request('GET', '/admin/')
    expect(index.status).toBe(200)
    expect(index.text).toContain('商家后台')
    const route = await request('GET', '/admin/orders/o_123')
    expect(route.status).toBe(200)
    expect(route.headers.get('content-type')).toMatch(/text\/html/)
    expect(route.text).toContain('商家后台')
    const script = await request('GET', '/admin/assets/app.js')
    expect(script.status).toBe(200)
    expect(script.headers.get('content-type')).toMatch(/javascript/)
    expect(script.text).toBe('console.log("console")')
    // Content-named assets are kept for good; a browser that takes brotli gets the build's copy.
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    fs.writeFileSync(path.join(adminDir, 'assets', 'app.js.br'), zlib.brotliCompressSync('console.log("console")'))
    const compressed = await fetch(`${stack.url}/admin/assets/app.js`, { headers: { 'accept-encoding': 'br' } })
    expect(compressed.headers.get('content-encoding')).toBe('br')
    expect(await compressed.text()).toBe('console.log("console")')
    // A chunk an old tab asks for after a new build is a 404, never the app's HTML in its place.
    const gone = await request('GET', '/admin/assets/old-chunk.js')
    expect(gone.status).toBe(404)
    expect(gone.text).not.toContain('商家后台')
    // Nothing outside the build.
    const outside = await request('GET', '/admin/..%2f..%2fetc%2fpasswd')
    expect(outside.text).not.toContain('root:')
  })

  test('upload: signed-in owners and operators only, images only, up to 8 MiB, CSRF with the cookie', async () => {
    // A photo-sized image, as a merchant uploads one.
    const png = await sharp({ create: { width: 1200, height: 900, channels: 3, background: { r: 120, g: 160, b: 90 } } })
      .png()
      .toBuffer()
    const upload = (body: Buffer, headers: Record<string, string>) =>
      fetch(`${stack.url}/admin/api/upload`, { method: 'POST', headers, body }).then(async (r) => ({
        status: r.status,
        json: (await r.json()) as any,
      }))
    expect((await upload(png, { 'content-type': 'image/png' })).status).toBe(401)
    expect((await upload(png, { 'content-type': 'image/png', authorization: `Bearer ${shopper}` })).status).toBe(403)
    expect((await upload(png, { 'content-type': 'image/png', authorization: `Bearer ${service.token}` })).status).toBe(403)
    const gif = await upload(png, { 'content-type': 'image/gif', authorization: `Bearer ${owner}` })
    expect(gif.status).toBe(400)
    expect(gif.json.error.message).toBe('图片须为 JPEG、PNG 或 WebP 格式')
    const huge = await declaredPost('/admin/api/upload', 8 * 1024 * 1024 + 1, {
      'content-type': 'image/jpeg',
      authorization: `Bearer ${owner}`,
    })
    expect(huge.status).toBe(400)
    expect(huge.json.error.message).toBe('图片不能超过 8 MiB')
    const { cookie, session } = await signIn(owner)
    expect((await upload(png, { 'content-type': 'image/png', cookie })).status).toBe(403)
    // Past every check of the route, the image goes to the media service (its own tests cover what it
    // stores): stored and audited, or (while that service is a stub) failed, and then not audited.
    const before = (await audit('admin.upload')).length
    const ok = await upload(png, { 'content-type': 'image/png', cookie, 'x-csrf-token': session.csrfToken })
    expect([200, 500]).toContain(ok.status)
    const entries = await audit('admin.upload')
    expect(entries).toHaveLength(ok.status === 200 ? before + 1 : before)
    if (ok.status === 200) {
      expect(entries[entries.length - 1]).toMatchObject({
        actor_role: 'owner',
        target: `image:${ok.json.data.url}`.slice(0, 100),
        detail: { mime: 'image/png', bytes: png.length },
      })
    }
  })
})

describe('a host reached over HTTPS (COOKIE_SECURE=1), fresh', () => {
  let secure: Stack
  beforeAll(async () => {
    secure = await startStack({ env: { COOKIE_SECURE: '1' } })
  }, 90_000)
  afterAll(() => secure?.stop())

  test('the cookie is Secure', async () => {
    const link = await onceLinkOf(secure)
    const res = await fetch(`${secure.url}/admin/login/once`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `token=${encodeURIComponent(link)}`,
    })
    expect(res.status).toBe(303)
    expect(res.headers.get('set-cookie')).toMatch(/; Secure/)
  })

  test('tickets asked for at once from one address: 30 answered, the rest 429', async () => {
    const answers = await Promise.all(
      Array.from({ length: 45 }, () =>
        fetch(`${secure.url}/admin/api/fn/auth`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ action: 'consoleTicket' }),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as any })),
      ),
    )
    const ok = answers.filter((a) => a.status === 200).length
    // A burst of 30; at most one more refilled while the race runs (one every 6 s).
    expect(ok).toBeGreaterThanOrEqual(30)
    expect(ok).toBeLessThanOrEqual(31)
    const refused = answers.filter((a) => a.status === 429)
    expect(refused).toHaveLength(45 - ok)
    expect(refused[0]!.json.error).toEqual({ code: 'RATE_LIMITED', message: '获取登录码太频繁，请稍后再试' })
  })
})

describe('the audit log', () => {
  test('each staff write appears with actor, role, action and target; reads and refused calls do not', async () => {
    const { couponId } = await stack.ok(
      'admin',
      { action: 'createCoupon', title: '满100减10', kind: 'fixed', valueFen: 1000, thresholdFen: 10000, stock: 100, perUserLimit: 1 },
      owner,
    )
    const { productId } = await stack.ok(
      'admin',
      { action: 'createProduct', title: '明前龙井', priceFen: 9900, stock: 5, description: '好'.repeat(500) },
      owner,
    )
    await stack.ok('admin', { action: 'updateProduct', productId, title: '明前龙井 2025' }, owner)
    const before = (await db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n
    // Reads, refusals and failures leave nothing.
    await stack.ok('admin', { action: 'staff' }, owner)
    await stack.ok('admin', { action: 'auditLog' }, owner)
    expect((await stack.call('admin', { action: 'createProduct', title: '', priceFen: 1, stock: 1 }, owner)).status).toBe(400)
    expect((await stack.call('admin', { action: 'createProduct', title: '越权', priceFen: 100, stock: 1 }, service.token)).status).toBe(403)
    expect((await stack.call('admin', { action: 'updateProduct', productId: 'p_missing', title: 'x' }, owner)).body.ok).toBe(false)
    expect((await db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(before)

    const page = await stack.ok('admin', { action: 'auditLog' }, owner)
    const ownerId = (await stack.ok('auth', { action: 'me' }, owner)).user.id
    expect(page.items.slice(0, 3).map((e: any) => [e.action, e.target, e.actorId, e.actorRole, e.actorName])).toEqual([
      ['admin.updateProduct', `product:${productId}`, ownerId, 'owner', '店主'],
      ['admin.createProduct', `product:${productId}`, ownerId, 'owner', '店主'],
      ['admin.createCoupon', `coupon:${couponId}`, ownerId, 'owner', '店主'],
    ])
    // Long text is cut to 200 characters.
    const created = page.items[1]
    expect(created.detail.title).toBe('明前龙井')
    expect(Array.from(created.detail.description as string)).toHaveLength(201)
  })

  test("an entry keeps the actor's name at the time: renaming oneself later does not rewrite it", async () => {
    const ownerId = (await stack.ok('auth', { action: 'me' }, owner)).user.id
    await stack.ok('admin', { action: 'setStaff', openid: 'renamer-1', role: 'operator' }, owner)
    const renamer = await stack.login('renamer-1', '运营小李')
    const { productId } = await stack.ok('admin', { action: 'createProduct', title: '正山小种', priceFen: 9900, stock: 5 }, renamer.token)
    // The operator renames themself to the owner's name.
    await stack.login('renamer-1', '店主')
    const page = await stack.ok('admin', { action: 'auditLog', actorId: renamer.user.id }, owner)
    expect(page.items.map((e: any) => [e.action, e.target, e.actorName, e.actorRole])).toEqual([
      ['admin.createProduct', `product:${productId}`, '运营小李', 'operator'],
    ])
    // What they write from now on is under the new name; the owner's own entries stay the owner's.
    await stack.ok('admin', { action: 'updateProduct', productId, title: '正山小种 新茶' }, renamer.token)
    const after = await stack.ok('admin', { action: 'auditLog', actorId: renamer.user.id }, owner)
    expect(after.items.map((e: any) => e.actorName)).toEqual(['店主', '运营小李'])
    expect(after.items[0].actorId).not.toBe(ownerId)
  })

  test('auditLog pages newest first with a cursor and filters by action and actor', async () => {
    for (let i = 0; i < 3; i++) await stack.ok('admin', { action: 'setStaff', openid: `op-${i}`, role: 'operator' }, owner)
    // More than a page (50 entries).
    for (let i = 0; i < 50; i++) await stack.ok('admin', { action: 'setStaff', openid: `many-${i}`, role: 'service' }, owner)
    const all: any[] = []
    let cursor: string | null = null
    do {
      const page: any = await stack.ok('admin', { action: 'auditLog', cursor }, owner)
      all.push(...page.items)
      cursor = page.nextCursor
    } while (cursor)
    const ats = all.map((e) => e.at)
    expect([...ats].sort().reverse()).toEqual(ats)
    expect(all.length).toBeGreaterThan(50)
    expect(new Set(all.map((e) => e.id)).size).toBe(all.length)
    const ownerId = (await stack.ok('auth', { action: 'me' }, owner)).user.id
    const sets = await stack.ok('admin', { action: 'auditLog', actionName: 'admin.setStaff' }, owner)
    expect(sets.items).toHaveLength(50)
    expect(sets.items[0].target).toBe('openid:many-49')
    const rest = await stack.ok('admin', { action: 'auditLog', actionName: 'admin.setStaff', cursor: sets.nextCursor }, owner)
    const targets = [...sets.items, ...rest.items].map((e: any) => e.target)
    expect([...sets.items, ...rest.items].every((e: any) => e.action === 'admin.setStaff')).toBe(true)
    expect(targets).toEqual(expect.arrayContaining(['openid:op-0', 'openid:op-1', 'openid:op-2', 'openid:service-1', 'openid:anchor-1']))
    const byService = await stack.ok('admin', { action: 'auditLog', actorId: service.user.id }, owner)
    expect(byService.items.length).toBeGreaterThan(0)
    expect(byService.items.every((e: any) => e.actorId === service.user.id)).toBe(true)
    const byOwner = await stack.ok('admin', { action: 'auditLog', actorId: ownerId, actionName: 'auth.consoleLogin' }, owner)
    expect(byOwner.items.every((e: any) => e.actorId === ownerId && e.action === 'auth.consoleLogin')).toBe(true)
  })

  test('UPDATE, DELETE and TRUNCATE of audit_log fail in SQL', async () => {
    await expect(db.query(`UPDATE audit_log SET action = 'x'`)).rejects.toThrow(/append-only/)
    await expect(db.query(`DELETE FROM audit_log`)).rejects.toThrow(/append-only/)
    await expect(db.query(`TRUNCATE audit_log`)).rejects.toThrow(/append-only/)
    expect((await db.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBeGreaterThan(0)
  })
})
