/**
 * Addresses and the shopper's profile on a real PostgreSQL: a phone must be a mainland mobile, each
 * refused field is named, an address is edited only by its owner, and a nickname or avatar reaches
 * other shoppers only after the content check — a refused one changes nothing.
 */
import { crc32 } from 'node:zlib'
import { SANDBOX_REJECT_MARKER } from '../../cloud/adapters/media/sandbox'
import { sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let admin: string

beforeAll(async () => {
  stack = await startStack()
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const fields = { name: '王小明', phone: '13800138000', province: '浙江省', city: '杭州市', district: '西湖区', detail: '龙井路 1 号' }
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64')
/** A PNG tEXt chunk carrying `text`. */
const textChunk = (text: string) => {
  const body = Buffer.concat([Buffer.from('tEXt'), Buffer.from(`Comment\0${text}`, 'latin1')])
  const head = Buffer.alloc(4)
  head.writeUInt32BE(body.length - 4)
  const crc = Buffer.alloc(4)
  crc.writeUInt32BE(crc32(body))
  return Buffer.concat([head, body, crc])
}
const addressCount = async (userId: string) =>
  (await sql(stack, 'SELECT count(*)::int AS n FROM addresses WHERE user_id = $1', [userId]))[0].n

test('a phone must be an 11-digit mainland mobile; each refused field is named and nothing is saved', async () => {
  const { token, user } = await stack.login('addr-phone')
  for (const phone of ['12345', '12800138000', '1380013800', '138001380001', 'call me']) {
    const r = await stack.call('address', { action: 'save', ...fields, phone }, token)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      ok: false,
      error: {
        code: 'VALIDATION_FAILED',
        message: '请填写 11 位手机号（1 开头）',
        details: [{ path: 'phone', message: '请填写 11 位手机号（1 开头）' }],
      },
    })
  }
  const tooLong = await stack.call('address', { action: 'save', ...fields, name: '王'.repeat(21), detail: '路'.repeat(121) }, token)
  expect(tooLong.status).toBe(400)
  expect(tooLong.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '收货人姓名 1-20 字' } })
  expect((tooLong.body as any).error.details).toEqual([
    { path: 'name', message: '收货人姓名 1-20 字' },
    { path: 'detail', message: '详细地址最多 120 字' },
  ])
  const blank = await stack.call('address', { action: 'save', ...fields, province: ' ', city: '' }, token)
  expect((blank.body as any).error.details).toEqual([
    { path: 'province', message: '请选择省份' },
    { path: 'city', message: '请选择城市' },
  ])
  expect(await addressCount(user.id)).toBe(0)
  // Spaces, dashes and a +86 prefix are how people write a number: taken, stored as the bare 11 digits.
  const { address } = await stack.ok('address', { action: 'save', ...fields, phone: '+86 138-0013-8000' }, token)
  expect(address.phone).toBe('13800138000')
  // Full-width digits, as a Chinese keyboard may type them, are folded to ASCII.
  const wide = await stack.ok('address', { action: 'save', ...fields, id: address.id, phone: '１３９ １２３４ ５６７８' }, token)
  expect(wide.address.phone).toBe('13912345678')
  // Exactly at the limits is fine.
  await stack.ok('address', { action: 'save', ...fields, name: '王'.repeat(20), detail: '路'.repeat(120), id: address.id }, token)
})

test('an address is edited in place by its owner only; another user\u2019s id is NOT_FOUND and changes nothing', async () => {
  const a = await stack.login('addr-owner')
  const b = await stack.login('addr-stranger')
  const { address } = await stack.ok('address', { action: 'save', ...fields }, a.token)
  const edited = await stack.ok(
    'address',
    { action: 'save', ...fields, id: address.id, detail: '龙井路 2 号', phone: '13912345678' },
    a.token,
  )
  expect(edited.address).toMatchObject({ id: address.id, detail: '龙井路 2 号', phone: '13912345678', isDefault: true })
  expect(await addressCount(a.user.id)).toBe(1)

  const r = await stack.call('address', { action: 'save', ...fields, id: address.id, name: '张三' }, b.token)
  expect(r.status).toBe(404)
  expect(r.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND' } })
  expect(await addressCount(b.user.id)).toBe(0)
  const { items } = await stack.ok('address', { action: 'list' }, a.token)
  expect(items).toEqual([{ ...fields, id: address.id, detail: '龙井路 2 号', phone: '13912345678', isDefault: true }])
  // Removing someone else's address is NOT_FOUND too, as editing it is, and removes nothing.
  const removed = await stack.call('address', { action: 'remove', id: address.id }, b.token)
  expect(removed.status).toBe(404)
  expect(removed.body).toMatchObject({ ok: false, error: { code: 'NOT_FOUND', message: '地址不存在' } })
  expect(await addressCount(a.user.id)).toBe(1)
  await stack.ok('address', { action: 'remove', id: address.id }, a.token)
  expect(await addressCount(a.user.id)).toBe(0)
})

test('a nickname the content check refuses changes nothing, the avatar sent with it included', async () => {
  const { token, user } = await stack.login('profile-bad')
  expect(user.nickname).toMatch(/^微信用户/)
  expect(user.avatarUrl).toBeNull()
  const r = await stack.call(
    'user',
    { action: 'updateProfile', nickname: '加微信领红包', avatar: { mime: 'image/png', base64: PNG.toString('base64') } },
    token,
  )
  expect(r.status).toBe(409)
  expect(r.body).toMatchObject({
    ok: false,
    error: { code: 'CONTENT_REJECTED', message: '昵称含有不适宜的内容，请换一个', details: [{ path: 'nickname' }] },
  })
  const [row] = await sql(stack, 'SELECT nickname, avatar_url FROM users WHERE id = $1', [user.id])
  expect(row).toEqual({ nickname: user.nickname, avatar_url: null })
  expect(await sql(stack, 'SELECT 1 FROM user_avatars WHERE user_id = $1', [user.id])).toHaveLength(0)

  const long = await stack.call('user', { action: 'updateProfile', nickname: '茶'.repeat(21) }, token)
  expect(long.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '昵称 1-20 字', details: [{ path: 'nickname' }] },
  })
  expect((await stack.call('user', { action: 'updateProfile' }, token)).body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '请修改昵称或头像' },
  })
})

test('an avatar is a real JPG or PNG that passes the image check; it is served from the URL the profile names', async () => {
  const { token, user } = await stack.login('profile-avatar')
  // Not the image it says it is, or too big: refused before any check.
  const fake = await stack.call(
    'user',
    { action: 'updateProfile', avatar: { mime: 'image/png', base64: Buffer.from('<svg/>').toString('base64') } },
    token,
  )
  expect(fake.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', details: [{ path: 'avatar' }] } })
  const big = await stack.call('user', { action: 'updateProfile', avatar: { mime: 'image/jpeg', base64: 'A'.repeat(60_000) } }, token)
  expect(big.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message: '头像图片不能超过 40 KB' } })
  // An image the check flags: refused, nothing stored.
  // The marker in a text chunk before IEND: a whole PNG the check then flags.
  const flagged = Buffer.concat([PNG.subarray(0, -12), textChunk(SANDBOX_REJECT_MARKER), PNG.subarray(-12)])
  const refused = await stack.call(
    'user',
    { action: 'updateProfile', nickname: '品茶人', avatar: { mime: 'image/png', base64: flagged.toString('base64') } },
    token,
  )
  expect(refused.body).toMatchObject({ ok: false, error: { code: 'CONTENT_REJECTED', message: '头像图片未通过安全检测，请换一张' } })
  expect(await sql(stack, 'SELECT nickname, avatar_url FROM users WHERE id = $1', [user.id])).toEqual([
    { nickname: user.nickname, avatar_url: null },
  ])
  expect(await sql(stack, 'SELECT 1 FROM user_avatars WHERE user_id = $1', [user.id])).toHaveLength(0)

  const ok = await stack.ok(
    'user',
    { action: 'updateProfile', nickname: '  品茶人  ', avatar: { mime: 'image/png', base64: PNG.toString('base64') } },
    token,
  )
  expect(ok.user).toMatchObject({ id: user.id, nickname: '品茶人' })
  expect(ok.user.avatarUrl).toMatch(new RegExp(`^/media/avatars/${user.id}/[0-9a-f]{32}\\.png$`))
  const res = await fetch(`${stack.url}${ok.user.avatarUrl}`)
  expect(res.status).toBe(200)
  expect(res.headers.get('content-type')).toBe('image/png')
  expect(Buffer.from(await res.arrayBuffer())).toEqual(PNG)
  expect((await fetch(`${stack.url}/media/avatars/${user.id}/${'0'.repeat(32)}.png`)).status).toBe(404)
  expect((await stack.ok('auth', { action: 'me' }, token)).user).toMatchObject({ nickname: '品茶人', avatarUrl: ok.user.avatarUrl })
})

test('other shoppers see the chosen nickname: in comments and on the share leaderboard', async () => {
  const { roomId } = await stack.ok(
    'admin',
    {
      action: 'createLiveRoom',
      title: '春茶品鉴直播',
      startsAt: new Date(Date.now() + 3600_000).toISOString(),
      streamUrl: '/media/demo.mp4',
    },
    admin,
  )
  await stack.ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin)
  const sharer = await stack.login('nick-sharer')
  const viewer = await stack.login('nick-viewer')
  await stack.ok('user', { action: 'updateProfile', nickname: '西湖茶客' }, sharer.token)
  await stack.ok('live', { action: 'enter', roomId }, sharer.token)
  await stack.ok('live', { action: 'enter', roomId, sharerId: sharer.user.id }, viewer.token)
  const { comment } = await stack.ok('live', { action: 'comment', roomId, text: '明前龙井还有吗？' }, sharer.token)
  expect(comment.nickname).toBe('西湖茶客')
  const synced = await stack.ok('live', { action: 'sync', roomId }, viewer.token)
  expect(synced.comments.map((c: any) => [c.nickname, c.text])).toEqual([['西湖茶客', '明前龙井还有吗？']])
  const board = await stack.ok('live', { action: 'leaderboard', roomId }, viewer.token)
  expect(board.entries).toEqual([{ rank: 1, userId: sharer.user.id, nickname: '西湖茶客', invites: 1 }])
})

test('hidden, control and bidi characters are dropped from names; empty or staff-like ones are refused and nothing is stored', async () => {
  const { token, user } = await stack.login('people-text')
  for (const [nickname, message] of [
    ['\u200b\u200b', '请填写昵称'],
    ['\u202e店长', '昵称不能冒充店铺工作人员'],
    ['店长', '昵称不能冒充店铺工作人员'],
    ['官方客服', '昵称不能冒充店铺工作人员'],
  ]) {
    const r = await stack.call('user', { action: 'updateProfile', nickname }, token)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED', message, details: [{ path: 'nickname', message }] } })
  }
  expect(await sql(stack, 'SELECT nickname FROM users WHERE id = $1', [user.id])).toEqual([{ nickname: user.nickname }])
  const cleaned = await stack.ok('user', { action: 'updateProfile', nickname: 'a\u0007b\nc' }, token)
  expect(cleaned.user.nickname).toBe('abc')
  expect(await sql(stack, 'SELECT nickname FROM users WHERE id = $1', [user.id])).toEqual([{ nickname: 'abc' }])

  for (const name of ['\u200b', '\u202e\u202c']) {
    const r = await stack.call('address', { action: 'save', ...fields, name }, token)
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'name', message: '请填写收货人姓名' }] },
    })
  }
  const blankDetail = await stack.call('address', { action: 'save', ...fields, detail: '\u200b\n' }, token)
  expect(blankDetail.body).toMatchObject({ ok: false, error: { details: [{ path: 'detail', message: '请填写详细地址' }] } })
  expect(await addressCount(user.id)).toBe(0)
  const saved = []
  for (const name of ['\u0007bell', '王\n小明', '\u202e反转'])
    saved.push((await stack.ok('address', { action: 'save', ...fields, name, detail: '龙井路\u200b 1 号\n301' }, token)).address)
  expect(saved.map((a) => [a.name, a.detail])).toEqual([
    ['bell', '龙井路 1 号 301'],
    ['王小明', '龙井路 1 号 301'],
    ['反转', '龙井路 1 号 301'],
  ])
  expect(await sql(stack, 'SELECT name, detail FROM addresses WHERE user_id = $1 ORDER BY created_at', [user.id])).toEqual(
    saved.map((a) => ({ name: a.name, detail: a.detail })),
  )
})

test('an avatar must be a whole JPEG or PNG: one that only starts like an image is refused and not stored', async () => {
  const { token, user } = await stack.login('avatar-whole')
  const html = Buffer.from('<html><script>alert(1)</script></html>')
  const jpegHead = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), html])
  const pngHead = Buffer.concat([PNG.subarray(0, 8), html])
  const pngNoEnd = PNG.subarray(0, -12)
  for (const [mime, bytes] of [
    ['image/jpeg', jpegHead],
    ['image/png', pngHead],
    ['image/png', pngNoEnd],
    ['image/png', Buffer.concat([PNG, html])],
  ] as const) {
    const r = await stack.call('user', { action: 'updateProfile', avatar: { mime, base64: bytes.toString('base64') } }, token)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', message: '头像图片数据有误', details: [{ path: 'avatar', message: '头像图片数据有误' }] },
    })
  }
  expect(await sql(stack, 'SELECT 1 FROM user_avatars WHERE user_id = $1', [user.id])).toHaveLength(0)
  // A JPEG that ends as one does is taken.
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(64, 7), Buffer.from([0xff, 0xd9])])
  const ok = await stack.ok('user', { action: 'updateProfile', avatar: { mime: 'image/jpeg', base64: jpeg.toString('base64') } }, token)
  expect(ok.user.avatarUrl).toMatch(/\.jpg$/)
})

test('refused nicknames do not use up the edit limit; attempts have a limit of their own', async () => {
  const { token } = await stack.login('profile-limits')
  // Ten names the content check refuses, then a good one: saved.
  for (let i = 0; i < 10; i++) {
    const r = await stack.call('user', { action: 'updateProfile', nickname: `加微信领红包${i}` }, token)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'CONTENT_REJECTED' } })
  }
  expect((await stack.ok('user', { action: 'updateProfile', nickname: '品茶人' }, token)).user.nickname).toBe('品茶人')
  // Saved edits: 5 at once (one used above), then refused.
  for (let i = 1; i < 5; i++) await stack.ok('user', { action: 'updateProfile', nickname: `品茶人${i}` }, token)
  const sixth = await stack.call('user', { action: 'updateProfile', nickname: '品茶人5' }, token)
  expect(sixth.body).toMatchObject({ ok: false, error: { code: 'RATE_LIMITED', message: '修改太频繁，请稍后再试' } })
  // Attempts: 16 so far; 10 more at once pass the 20 a minute (one refills every 3 s): the last are refused before any check.
  const flood = await Promise.all(
    Array.from({ length: 10 }, (_, i) => stack.call('user', { action: 'updateProfile', nickname: `加微信领红包${i}` }, token)),
  )
  const codes = flood.map((r) => (r.body as any).error.code)
  expect(codes.filter((c) => c === 'RATE_LIMITED').length).toBeGreaterThanOrEqual(5)
  expect(codes.filter((c) => c === 'CONTENT_REJECTED').length).toBeGreaterThanOrEqual(4)
})
