import { offerState } from '../../cloud/core/coupon/coupon.rules'
import { decodeSync, encodeSync } from '../../cloud/core/live/live.service'
import {
  maskName,
  parseShareScene,
  peopleTextOut,
  replayUrlAtEnd,
  roomSharePath,
  shareScene,
  streamUrlProblem,
} from '../../cloud/core/live/room.rules'

describe('room rules', () => {
  test('stream and replay addresses: http(s) or our own path for video, also rtmp for a push stream, finderUserName|feedId for 视频号', () => {
    for (const ok of ['https://cdn.example.com/a.mp4', 'http://x.cn/v.m3u8', '/media/demo.mp4']) {
      expect(streamUrlProblem('video', ok)).toBeNull()
      expect(streamUrlProblem('replay', ok)).toBeNull()
      expect(streamUrlProblem('live-player', ok)).toBeNull()
    }
    expect(streamUrlProblem('live-player', 'rtmp://push.example.com/live/abc')).toBeNull()
    expect(streamUrlProblem('channels', 'sphABC123|export/UzFfAgtgekIEAQAAAAAA')).toBeNull()
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,<b>x</b>',
      'file:///etc/passwd',
      '//evil.example.com/a.mp4',
      'demo.mp4',
      'https://',
      'https://a b',
    ]) {
      expect(streamUrlProblem('video', bad)).toBe('视频地址需以 http:// 或 https:// 开头')
      expect(streamUrlProblem('replay', bad)).toBe('回放地址需以 http:// 或 https:// 开头')
      expect(streamUrlProblem('live-player', bad)).toBe('直播流地址需以 http://、https:// 或 rtmp:// 开头')
    }
    expect(streamUrlProblem('video', 'rtmp://push.example.com/live')).not.toBeNull()
    for (const bad of ['sph123', 'sph123|', '|feed', 'a|b|c', 'javascript:alert(1)', 'a b|c']) {
      expect(streamUrlProblem('channels', bad)).toBe('视频号直播请填写「视频号ID|直播 feedId」，用竖线 | 隔开')
    }
  })

  test('an ended room keeps its video as the replay; a live stream leaves none', () => {
    expect(replayUrlAtEnd({ streamKind: 'video', streamUrl: '/media/demo.mp4' })).toBe('/media/demo.mp4')
    expect(replayUrlAtEnd({ streamKind: 'live-player', streamUrl: 'rtmp://x/live' })).toBeNull()
    expect(replayUrlAtEnd({ streamKind: 'channels', streamUrl: 'sph123' })).toBeNull()
    expect(replayUrlAtEnd({ streamKind: null, streamUrl: null })).toBeNull()
  })

  test('a winner is shown as first character, *, last character', () => {
    expect(maskName('茶友小王')).toBe('茶*王')
    expect(maskName('茶小友')).toBe('茶*友')
    expect(maskName('茶友')).toBe('茶*')
    expect(maskName('茶')).toBe('*')
    expect(maskName('')).toBe('*')
    expect(maskName('Alice')).toBe('A*e')
    // Code points, not UTF-16 halves: an emoji or a rare character is one character.
    expect(maskName('😀喝茶🍵')).toBe('😀*🍵')
    expect(maskName('𠮷野')).toBe('𠮷*')
    // Hidden characters are no characters: they neither show nor count.
    expect(maskName('\u200b茶\u202e友\u2066')).toBe('茶*')
    expect(maskName('\u200b')).toBe('*')
  })

  test("people's text on the way out drops what a reader can't see, as peopleText does on the way in", () => {
    expect(peopleTextOut(' 茶友\u200b小王\n ')).toBe('茶友小王')
    expect(peopleTextOut('王\t小明')).toBe('王 小明')
    expect(peopleTextOut('\u202e\ufeff')).toBe('')
  })

  test('the share scene packs a room and a sharer in 32 characters and unpacks them again', () => {
    const roomId = 'r_0123456789abcdef'
    const sharerId = 'u_fedcba9876543210'
    const scene = shareScene(roomId, sharerId)!
    expect(scene).toBe('0123456789abcdeffedcba9876543210')
    expect(scene.length).toBeLessThanOrEqual(32)
    expect(parseShareScene(scene)).toEqual({ roomId, sharerId })
    expect(roomSharePath(roomId, sharerId)).toBe('packages/live/room/index?id=r_0123456789abcdef&sharerId=u_fedcba9876543210')
    // Ids of another shape can't be packed, and other text names nobody.
    expect(shareScene('dc_0123456789abcdef', sharerId)).toBeNull()
    expect(shareScene(roomId, 'u_short')).toBeNull()
    for (const bad of ['', '0123456789abcdef', '0123456789abcdeffedcba987654321', '0123456789ABCDEFfedcba9876543210', `${scene}0`])
      expect(parseShareScene(bad)).toBeNull()
  })

  test('the sync cursor round-trips; a five- or six-part cursor of an earlier build is a fresh sync; anything else is refused', () => {
    const c = {
      version: 7,
      viewerVersion: 3,
      commentId: 1234567,
      credits: 5,
      likes: 99999,
      viewers: 42,
      edge: Date.parse('2026-12-01T10:00:15.250Z'),
    }
    expect(decodeSync(encodeSync(c))).toEqual(c)
    expect(decodeSync(encodeSync({ ...c, edge: 0 }))).toEqual({ ...c, edge: 0 })
    expect(decodeSync(undefined)).toBeNull()
    expect(decodeSync('7.ya3.5.255r.16')).toBeNull()
    expect(decodeSync('7.3.ya3.5.255r.16')).toBeNull()
    for (const bad of ['x', '1.2.3.4.5.6.7.8', '1.2.3.4.-5.6.7', '1..3.4.5.6.7', '1.2.3.4.5.6.zzzzzzzzzzzz', '1.2.3.4.5.6.7 '])
      expect(() => decodeSync(bad)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }))
  })

  test("a coupon's state: a shop coupon ignores its rooms, a room-only one follows its room", () => {
    const now = new Date('2026-12-01T10:00:00Z')
    const base = {
      mine: 0,
      perUserLimit: 1,
      claimed: 0,
      stock: 10,
      validFrom: new Date('2026-11-30T00:00:00Z'),
      validTo: new Date('2026-12-30T00:00:00Z'),
      roomId: null,
      roomStatus: null,
    }
    expect(offerState(base, now)).toBe('claimable')
    expect(offerState({ ...base, mine: 1 }, now)).toBe('claimed')
    expect(offerState({ ...base, claimed: 10 }, now)).toBe('sold_out')
    expect(offerState({ ...base, validFrom: new Date('2026-12-02T00:00:00Z') }, now)).toBe('not_started')
    expect(offerState({ ...base, validTo: new Date('2026-12-01T09:00:00Z') }, now)).toBe('ended')
    const roomOnly = { ...base, roomId: 'r_0123456789abcdef' }
    expect(offerState({ ...roomOnly, roomStatus: 'live' }, now)).toBe('claimable')
    expect(offerState({ ...roomOnly, roomStatus: 'upcoming' }, now)).toBe('not_started')
    expect(offerState({ ...roomOnly, roomStatus: 'ended' }, now)).toBe('ended')
    expect(offerState({ ...roomOnly, roomStatus: 'ended', claimed: 10 }, now)).toBe('ended')
    // The one who claimed it still sees 已领取: the coupon is theirs.
    expect(offerState({ ...roomOnly, roomStatus: 'ended', mine: 1 }, now)).toBe('claimed')
  })
})
