import { shareTitle, startText } from '../../src/features/live/share-title'

describe("a room's share card", () => {
  const room = { title: '秋茶品鉴', startsAt: '2026-12-01T12:00:00.000Z' }

  it('says the start in China time (UTC+8), as the poster does, whatever the phone’s zone', () => {
    // 12:00 UTC is 20:00 in Shanghai; 16:30 UTC on Dec 1 is already Dec 2 in China.
    expect(startText('2026-12-01T12:00:00.000Z')).toBe('12月1日 20:00')
    expect(startText('2026-12-01T16:30:00.000Z')).toBe('12月2日 00:30')
    expect(startText('2026-12-31T23:05:00.000Z')).toBe('1月1日 07:05')
    expect(shareTitle({ ...room, status: 'upcoming' })).toBe('直播预告｜秋茶品鉴 12月1日 20:00 开播')
  })

  it('says what the room is, nothing more', () => {
    expect(shareTitle({ ...room, status: 'live' })).toBe('正在直播｜秋茶品鉴')
    expect(shareTitle({ ...room, status: 'ended' })).toBe('直播回放｜秋茶品鉴')
    expect(shareTitle(null)).toBe('好茶小铺直播间')
  })
})
