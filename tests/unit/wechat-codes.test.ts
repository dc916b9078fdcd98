/**
 * Mini-program codes on a self-hosted server against a fake WeChat on 127.0.0.1: the stable access
 * token asked once for many codes (and once for codes asked at once), renewed once on 40001/42001
 * and before it expires, errcode answers thrown without the token or the secret, and the PNG kept in
 * the uploads folder and served as image/png.
 */
import fs from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import os from 'node:os'
import path from 'node:path'
import Fastify from 'fastify'
import { fileImages } from '../../cloud/adapters/images/file-store'
import { codeKey, wxacodeHttpPosters, type WxacodeHttpConfig } from '../../cloud/adapters/poster/wechat-http'
import { stableTokens } from '../../cloud/adapters/wechat/stable-token'
import { serveUploads } from '../../cloud/host/uploads'

const APP_ID = 'wx0123456789abcdef'
const SECRET = 's3cr3t-app-secret'
const CONSOLE_PAGE = 'packages/user/console-login/index'
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64')

interface Fake {
  url: string
  tokenRequests: Array<Record<string, unknown>>
  codeRequests: Array<{ token: string | null; body: Record<string, unknown> }>
  /** Tokens WeChat no longer takes (answers 40001 for them). */
  revoked: Set<string>
  /** The next code answers: an errcode, or a PNG when empty. */
  codeErrors: Array<{ errcode: number; errmsg: string }>
  expiresIn: number
  /** As WeChat's stable token: the plain mode answers the current token again; force_refresh makes a new one. */
  sticky: boolean
  close(): Promise<void>
}

async function fakeWeChat(): Promise<Fake> {
  let issued = 0
  const fake: Omit<Fake, 'url' | 'close'> = {
    tokenRequests: [],
    codeRequests: [],
    revoked: new Set(),
    codeErrors: [],
    expiresIn: 7200,
    sticky: false,
  }
  const server = http.createServer((req, res) => {
    let text = ''
    req.on('data', (c) => (text += c))
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake')
      const json = (body: unknown): void =>
        void res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body))
      const body = JSON.parse(text || '{}') as Record<string, unknown>
      if (req.method === 'POST' && url.pathname === '/cgi-bin/stable_token') {
        fake.tokenRequests.push(body)
        if (body.appid !== APP_ID || body.secret !== SECRET) return json({ errcode: 40125, errmsg: 'invalid appsecret' })
        // A little later than the request, as over a network: callers asking meanwhile must wait for this one.
        const next = fake.sticky && !body.force_refresh && issued > 0 ? issued : ++issued
        return void setTimeout(() => json({ access_token: `token-${next}`, expires_in: fake.expiresIn }), 20)
      }
      if (req.method === 'POST' && url.pathname === '/wxa/getwxacodeunlimit') {
        const token = url.searchParams.get('access_token')
        fake.codeRequests.push({ token, body })
        const refuse = () => json({ errcode: 40001, errmsg: 'invalid credential, access_token is invalid or not latest' })
        // A scene starting "slow" is refused late, after another caller has renewed the token.
        if (!token || fake.revoked.has(token)) return void (String(body.scene).startsWith('slow') ? setTimeout(refuse, 150) : refuse())
        const error = fake.codeErrors.shift()
        if (error) return json(error)
        return void res.writeHead(200, { 'content-type': 'image/png' }).end(PNG)
      }
      return void res.writeHead(404).end()
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return Object.assign(fake as Fake, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  })
}

let wx: Fake
let dir: string
let clock: number
beforeEach(async () => {
  wx = await fakeWeChat()
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'wxcode-'))
  clock = Date.parse('2026-12-01T10:00:00Z')
})
afterEach(async () => {
  await wx.close()
  fs.rmSync(dir, { recursive: true, force: true })
})

const codes = (opts: WxacodeHttpConfig & { secret?: string; origin?: string } = {}) => {
  const tokens = stableTokens({ appId: APP_ID, appSecret: opts.secret ?? SECRET, apiBase: wx.url }, fetch, () => clock)
  return wxacodeHttpPosters(tokens, fileImages(dir, opts.origin ?? ''), { apiBase: wx.url, ...opts })
}

test('the stable token is asked once for several codes, and each code is asked with what WeChat needs', async () => {
  const posters = codes()
  const urls = [
    await posters.codeFor(CONSOLE_PAGE, 'ct_0123456789abcdef'),
    await posters.codeFor('packages/deal/index', 'd1.u2'),
    await posters.codeFor('packages/live/room/index', 'r3.u4'),
  ]
  expect(wx.tokenRequests).toEqual([{ grant_type: 'client_credential', appid: APP_ID, secret: SECRET, force_refresh: false }])
  expect(wx.codeRequests.map((r) => r.token)).toEqual(['token-1', 'token-1', 'token-1'])
  expect(wx.codeRequests[0]!.body).toEqual({
    scene: 'ct_0123456789abcdef',
    page: CONSOLE_PAGE,
    check_path: false,
    width: 430,
    env_version: 'release',
  })
  expect(new Set(urls).size).toBe(3)
  for (const url of urls) expect(url).toMatch(/^\/media\/uploads\/codes\/[0-9a-f]{64}\.png$/)
})

test('codes asked at once share one token request', async () => {
  const posters = codes()
  const urls = await Promise.all(Array.from({ length: 8 }, (_, i) => posters.codeFor(CONSOLE_PAGE, `ct_${i}`)))
  expect(new Set(urls).size).toBe(8)
  expect(wx.tokenRequests).toHaveLength(1)
  expect(wx.codeRequests).toHaveLength(8)
})

test('WX_CODE_ENV_VERSION reaches WeChat, and a code of another version is another file', async () => {
  const trial = await codes({ envVersion: 'trial' }).codeFor(CONSOLE_PAGE, 'ct_1')
  const release = await codes().codeFor(CONSOLE_PAGE, 'ct_1')
  expect(wx.codeRequests.map((r) => r.body.env_version)).toEqual(['trial', 'release'])
  expect(trial).not.toBe(release)
  expect(trial).toBe(`/media/uploads/${codeKey('trial', CONSOLE_PAGE, 'ct_1')}`)
})

test('a token WeChat refuses (40001) is renewed once and the code asked again', async () => {
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_a')
  wx.revoked.add('token-1')
  const url = await posters.codeFor(CONSOLE_PAGE, 'ct_b')
  expect(url).toMatch(/\.png$/)
  expect(wx.tokenRequests).toHaveLength(2)
  expect(wx.codeRequests.map((r) => r.token)).toEqual(['token-1', 'token-1', 'token-2'])
  // The renewed token is kept for what follows.
  await posters.codeFor(CONSOLE_PAGE, 'ct_c')
  expect(wx.tokenRequests).toHaveLength(2)
})

test('codes refused at once for the same token renew it once between them', async () => {
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_warm')
  wx.revoked.add('token-1')
  const urls = await Promise.all(Array.from({ length: 6 }, (_, i) => posters.codeFor(CONSOLE_PAGE, `ct_race_${i}`)))
  expect(new Set(urls).size).toBe(6)
  expect(wx.tokenRequests).toHaveLength(2)
  expect(wx.codeRequests.filter((r) => r.token === 'token-2')).toHaveLength(6)
})

test('a code refused after another caller renewed the token takes the renewed one, asking no third token', async () => {
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_warm')
  wx.revoked.add('token-1')
  const urls = await Promise.all([posters.codeFor(CONSOLE_PAGE, 'ct_fast'), posters.codeFor(CONSOLE_PAGE, 'slow_1')])
  expect(urls.every((u) => u.endsWith('.png'))).toBe(true)
  expect(wx.tokenRequests).toHaveLength(2)
  expect(
    wx.codeRequests
      .filter((r) => r.token === 'token-2')
      .map((r) => r.body.scene)
      .sort(),
  ).toEqual(['ct_fast', 'slow_1'])
})

test('when the plain stable_token answers the refused token again, it is asked once in force mode', async () => {
  wx.sticky = true
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_a')
  wx.revoked.add('token-1')
  await expect(posters.codeFor(CONSOLE_PAGE, 'ct_b')).resolves.toMatch(/\.png$/)
  expect(wx.tokenRequests.map((r) => r.force_refresh)).toEqual([false, false, true])
  expect(wx.codeRequests.map((r) => r.token)).toEqual(['token-1', 'token-1', 'token-2'])
})

test('42001 (expired) renews too; a token refused again after renewing is an error, not a loop', async () => {
  const posters = codes()
  wx.codeErrors.push({ errcode: 42001, errmsg: 'access_token expired' })
  await expect(posters.codeFor(CONSOLE_PAGE, 'ct_x')).resolves.toMatch(/\.png$/)
  expect(wx.tokenRequests).toHaveLength(2)

  wx.codeErrors.push({ errcode: 40001, errmsg: 'invalid credential' }, { errcode: 40001, errmsg: 'invalid credential' })
  await expect(posters.codeFor(CONSOLE_PAGE, 'ct_y')).rejects.toThrow(/getwxacodeunlimit failed: errcode 40001/)
  expect(wx.tokenRequests).toHaveLength(3)
})

test('the token is renewed 5 minutes before it expires, not before', async () => {
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_1')
  clock += (7200 - 300 - 1) * 1000
  await posters.codeFor(CONSOLE_PAGE, 'ct_2')
  expect(wx.tokenRequests).toHaveLength(1)
  clock += 2 * 1000
  await posters.codeFor(CONSOLE_PAGE, 'ct_3')
  expect(wx.tokenRequests).toHaveLength(2)
  expect(wx.codeRequests.at(-1)!.token).toBe('token-2')
})

test('an errcode answer is thrown with its errcode, keeps no file, and says neither the token nor the secret', async () => {
  const posters = codes()
  wx.codeErrors.push({ errcode: 41030, errmsg: 'invalid page rid: 6751' })
  const err = (await posters.codeFor('packages/nope/index', 'x').catch((e: Error) => e)) as Error
  expect(err).toBeInstanceOf(Error)
  expect(err.message).toBe('getwxacodeunlimit failed: errcode 41030 invalid page rid: 6751')
  expect(err.message).not.toContain('token-1')
  expect(fs.existsSync(path.join(dir, 'codes'))).toBe(false)

  // A wrong secret: stable_token's errcode, without the secret.
  const bad = (await codes({ secret: 'wrong-secret' })
    .codeFor(CONSOLE_PAGE, 'x')
    .catch((e: Error) => e)) as Error
  expect(bad.message).toBe('stable_token failed: errcode 40125 invalid appsecret')
  expect(bad.message).not.toContain('wrong-secret')
})

test('a scene over 32 characters is refused before asking WeChat', async () => {
  await expect(codes().codeFor(CONSOLE_PAGE, 'x'.repeat(33))).rejects.toThrow(/at most 32/)
  expect(wx.tokenRequests).toHaveLength(0)
})

test('WeChat unreachable is an error that does not carry the token', async () => {
  const posters = codes()
  await posters.codeFor(CONSOLE_PAGE, 'ct_1')
  await wx.close()
  const err = (await posters.codeFor(CONSOLE_PAGE, 'ct_2').catch((e: Error) => e)) as Error
  expect(err.message).toMatch(/^getwxacodeunlimit unreachable/)
  expect(err.message).not.toContain('token-1')
  wx = await fakeWeChat() // for afterEach
})

test('the PNG is kept under codes/ and served by the host as image/png; the same code again asks WeChat no more', async () => {
  const posters = codes()
  const url = await posters.codeFor(CONSOLE_PAGE, 'ct_0123456789abcdef')
  expect(url).toBe(`/media/uploads/${codeKey('release', CONSOLE_PAGE, 'ct_0123456789abcdef')}`)
  expect(fs.readFileSync(path.join(dir, url.slice('/media/uploads/'.length)))).toEqual(PNG)
  expect(await posters.codeFor(CONSOLE_PAGE, 'ct_0123456789abcdef')).toBe(url)
  expect(wx.codeRequests).toHaveLength(1)

  const app = Fastify()
  serveUploads(app, dir)
  const host = await app.listen({ port: 0, host: '127.0.0.1' })
  try {
    const res = await fetch(`${host}${url}`)
    expect(res.status).toBe(200)
    expect(res.headers.get('content-type')).toBe('image/png')
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable')
    expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
    // Only names of the codes' shape: no other file under codes/, no other extension.
    fs.writeFileSync(path.join(dir, 'codes', 'notes.txt'), 'x')
    for (const other of ['/media/uploads/codes/notes.txt', url.replace('.png', '.jpg'), '/media/uploads/codes/%2e%2e%2fcodes.png']) {
      expect((await fetch(`${host}${other}`)).status).toBe(404)
    }
  } finally {
    await app.close()
  }
})

test('with MEDIA_BASE_URL the code is answered by its absolute URL', async () => {
  const url = await codes({ origin: 'https://media.example.com' }).codeFor(CONSOLE_PAGE, 'ct_1')
  expect(url).toMatch(/^https:\/\/media\.example\.com\/media\/uploads\/codes\/[0-9a-f]{64}\.png$/)
})
