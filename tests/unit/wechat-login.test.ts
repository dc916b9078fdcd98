/**
 * code2Session against a fetch that plays WeChat: the request it makes, and how each answer maps
 * (an OPENID, a refused code, WeChat failing), which the sandbox shares.
 */
import { code2SessionResult, wechatLogin } from '../../cloud/adapters/login/wechat'

function fakeFetch(answer: () => Response | Promise<Response>) {
  const urls: URL[] = []
  const fn = (async (url: string | URL) => {
    urls.push(new URL(String(url)))
    return answer()
  }) as typeof fetch
  return { fn, urls }
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'text/plain' } })
const login = (fetchFn: typeof fetch) => wechatLogin({ appId: 'wx0123456789abcdef', appSecret: 's3cr3t-app-secret' }, fetchFn)

test('a good code is exchanged at jscode2session for the OPENID', async () => {
  const wx = fakeFetch(() => json({ openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o', session_key: 'tiihtNczf5v6AKRyjwEUhQ==' }))
  expect(await login(wx.fn).code2Session('081Kq4Ga1MSox41ufFGa1elxLA3Kq4GM')).toEqual({
    ok: true,
    openid: 'oUpF8uMuAJO_M2pxb1Q9zNjWeS6o',
  })
  const url = wx.urls[0]!
  expect(`${url.origin}${url.pathname}`).toBe('https://api.weixin.qq.com/sns/jscode2session')
  expect(Object.fromEntries(url.searchParams)).toEqual({
    appid: 'wx0123456789abcdef',
    secret: 's3cr3t-app-secret',
    js_code: '081Kq4Ga1MSox41ufFGa1elxLA3Kq4GM',
    grant_type: 'authorization_code',
  })
})

test.each([
  [40029, 'INVALID_CODE'],
  [40163, 'CODE_USED'],
  [45011, 'RATE_LIMITED'],
  [40226, 'BLOCKED'],
])('errcode %i refuses the code as %s', async (errcode, reason) => {
  const wx = fakeFetch(() => json({ errcode, errmsg: 'refused, rid: 1' }))
  expect(await login(wx.fn).code2Session('c')).toEqual({ ok: false, reason })
})

test('WeChat busy (-1), an unknown errcode, an answer without openid, or not JSON is a failure, not a refusal', async () => {
  for (const body of [{ errcode: -1, errmsg: 'system error' }, { errcode: 40013, errmsg: 'invalid appid' }, { session_key: 'x' }]) {
    await expect(login(fakeFetch(() => json(body)).fn).code2Session('c')).rejects.toThrow(/code2Session failed/)
  }
  await expect(login(fakeFetch(() => new Response('<html>502</html>')).fn).code2Session('c')).rejects.toThrow(/other than JSON/)
})

test('a network failure or an HTTP error throws without the secret in the message', async () => {
  const down = fakeFetch(() => {
    throw new TypeError('fetch failed')
  })
  const err = await login(down.fn)
    .code2Session('c')
    .catch((e: Error) => e)
  expect(err).toBeInstanceOf(Error)
  expect((err as Error).message).toMatch(/unreachable: fetch failed/)
  expect((err as Error).message).not.toContain('s3cr3t')
  await expect(login(fakeFetch(() => json({}, 503)).fn).code2Session('c')).rejects.toThrow(/HTTP 503/)
})

test('the mapping the sandbox shares: errcode 0 with an openid is the openid', () => {
  expect(code2SessionResult({ openid: 'o1' })).toEqual({ ok: true, openid: 'o1' })
  expect(code2SessionResult({ errcode: 0, openid: 'o1' })).toEqual({ ok: true, openid: 'o1' })
  expect(code2SessionResult({ errcode: 40163 })).toEqual({ ok: false, reason: 'CODE_USED' })
})
