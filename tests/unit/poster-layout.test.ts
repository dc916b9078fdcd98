/** The live room's share poster: title wrapping at the poster's widths, the status line of each status, where each part goes. */
import type { RoomView } from '../../cloud/contract'
import {
  CODE_BOX,
  CODE_HINT,
  coverCrop,
  drawPoster,
  IMAGE_BOX,
  LEFT_COLUMN_WIDTH,
  POSTER_HEIGHT,
  POSTER_WIDTH,
  posterLayout,
  statusLine,
  TITLE,
  wrapText,
  type Ctx2D,
} from '../../src/features/live/poster-draw'

/** A font's width estimate: a Chinese character (and …, in a CJK font) is 1em, Latin and digits 0.55em. */
const sizeOf = (font: string) => Number(/(\d+)px/.exec(font)![1])
const width = (font: string, text: string) =>
  Array.from(text).reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 || c === '…' ? 1 : 0.55) * sizeOf(font), 0)
const titleFont = `bold ${TITLE.size}px sans-serif`
const measureTitle = (t: string) => width(titleFont, t)

const room = (over: Partial<RoomView> = {}) =>
  ({
    title: '明前龙井开采季 茶园直播',
    status: 'live',
    viewerCount: 128,
    startsAt: '2026-12-03T12:00:00.000Z',
    stream: { kind: 'video', url: '/media/files/demo-live.mp4' },
    anchor: { name: '好茶小铺', avatar: '' },
    ...over,
  }) as RoomView

describe('title wrapping at the poster width (520 px at 36 px: 14 Chinese characters a line)', () => {
  test('a title that fits stays one line, whole', () => {
    const title = '十四个字的标题十四个字的标题'
    expect(Array.from(title)).toHaveLength(14)
    expect(wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)).toEqual([title])
  })

  test('one character more breaks onto a second line, nothing lost', () => {
    const title = '十五个字的标题十五个字的标题呀'
    expect(wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)).toEqual(['十五个字的标题十五个字的标题', '呀'])
  })

  test('exactly two full lines: no ellipsis', () => {
    const title = '一二三四五六七八九十一二三四' + '五六七八九十一二三四五六七八'
    expect(wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)).toEqual([
      '一二三四五六七八九十一二三四',
      '五六七八九十一二三四五六七八',
    ])
  })

  test('a longer title (the 40 characters a room may have) stops at two lines ending with …, each line within the width', () => {
    const title = '春茶上新直播专场明前龙井碧螺春白茶大红袍普洱一次喝遍还有茶器专场好礼相送不停快来'
    expect(Array.from(title)).toHaveLength(40)
    const lines = wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)
    expect(lines).toEqual(['春茶上新直播专场明前龙井碧螺', '春白茶大红袍普洱一次喝遍还…'])
    for (const l of lines) expect(measureTitle(l)).toBeLessThanOrEqual(TITLE.width)
  })

  test('Latin text and digits are narrower and fill more of a line; spaces do not start a line', () => {
    const title = 'Tea Live 2026 明前龙井 Special Edition 限量 100 罐 Hangzhou West Lake Longjing'
    const lines = wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)
    expect(lines).toHaveLength(2)
    expect(lines[1]!.endsWith('…')).toBe(true)
    for (const l of lines) {
      expect(measureTitle(l)).toBeLessThanOrEqual(TITLE.width)
      expect(l).toBe(l.trim())
    }
    expect(lines[0]!.length).toBeGreaterThan(14)
  })

  test('a line never starts with a closing mark: the character before it goes down with it', () => {
    // The 15th character is ，: it may not open the second line.
    const title = '春茶品鉴明前龙井现场冲泡西湖，带你走进核心产区'
    const lines = wrapText(title, TITLE.width, TITLE.maxLines, measureTitle)
    expect(lines).toEqual(['春茶品鉴明前龙井现场冲泡西', '湖，带你走进核心产区'])
    for (const l of lines) expect(measureTitle(l)).toBeLessThanOrEqual(TITLE.width)
  })

  test('line breaks in a title count as spaces; an emoji is never cut in half', () => {
    expect(wrapText('上新\n直播', TITLE.width, 2, measureTitle)).toEqual(['上新 直播'])
    const lines = wrapText('🍵'.repeat(40), TITLE.width, 2, measureTitle)
    for (const l of lines) expect(l.replace(/…$/, '')).toMatch(/^(🍵)+$/u)
  })
})

describe('the status line says exactly what the room is', () => {
  test('live: 直播中 with how many have watched', () => {
    expect(statusLine(room({ status: 'live', viewerCount: 128 }))).toBe('直播中 · 128 人看过')
    expect(statusLine(room({ status: 'live', viewerCount: 0 }))).toBe('直播中 · 0 人看过')
  })

  test("upcoming: the start in China's time, whatever the device's zone", () => {
    expect(statusLine(room({ status: 'upcoming', startsAt: '2026-12-03T12:00:00.000Z' }))).toBe('12月3日 20:00 开播')
    // 16:30 UTC on New Year's Eve is already 1 January in China.
    expect(statusLine(room({ status: 'upcoming', startsAt: '2026-12-31T16:30:00.000Z' }))).toBe('1月1日 00:30 开播')
    expect(statusLine(room({ status: 'upcoming', startsAt: '2027-03-09T01:05:00.000Z' }))).toBe('3月9日 09:05 开播')
  })

  test('ended: 直播回放 when the replay plays, 直播已结束 when there is none', () => {
    expect(statusLine(room({ status: 'ended' }))).toBe('直播回放')
    expect(statusLine(room({ status: 'ended', stream: null }))).toBe('直播已结束')
  })
})

describe('where the parts go', () => {
  const inside = (x: number, y: number) => x >= 0 && x <= POSTER_WIDTH && y >= 0 && y <= POSTER_HEIGHT

  test.each([
    ['a one-line title', '春茶直播'],
    ['a two-line title', '春茶上新直播专场明前龙井碧螺春白茶大红袍普洱一次喝遍还有茶器专场好礼相送不停快来'],
  ])('%s: title, status, anchor, hint and code never overlap and stay on the poster', (_name, title) => {
    const layout = posterLayout(room({ title, anchor: { name: '茶艺师小王', avatar: '' } }), width)
    const texts = layout.lines.map((l) => ({ ...l, bottom: l.y + sizeOf(l.font), right: l.x + width(l.font, l.text) }))
    // In order down the poster, below the image, each line below the one before.
    expect(texts[0]!.y).toBeGreaterThanOrEqual(IMAGE_BOX.y + IMAGE_BOX.h)
    for (let i = 1; i < texts.length; i++) expect(texts[i]!.y).toBeGreaterThanOrEqual(texts[i - 1]!.bottom)
    for (const t of texts) {
      expect(inside(t.x, t.y) && inside(t.right, t.bottom)).toBe(true)
      // Beside or above the code, never on it.
      const besideCode = t.right <= CODE_BOX.x
      const aboveCode = t.bottom <= CODE_BOX.y
      expect(besideCode || aboveCode).toBe(true)
    }
    const status = texts.find((t) => t.text.startsWith('直播中'))!
    expect(status.bottom).toBeLessThanOrEqual(layout.divider.y)
    expect(texts.map((t) => t.text)).toContain('主播：茶艺师小王')
    expect(texts.map((t) => t.text).join('')).toContain(CODE_HINT)
    expect(inside(CODE_BOX.x + CODE_BOX.w, CODE_BOX.y + CODE_BOX.h)).toBe(true)
  })

  test('a long anchor name is cut with … inside the column left of the code', () => {
    const layout = posterLayout(room({ anchor: { name: '好茶小铺西湖龙井官方直营店', avatar: '' } }), width)
    const anchor = layout.lines.find((l) => l.text.startsWith('主播：'))!
    expect(anchor.text.endsWith('…')).toBe(true)
    expect(width(anchor.font, anchor.text)).toBeLessThanOrEqual(LEFT_COLUMN_WIDTH)
  })

  test('the room image covers its box without stretching: the longer side is cropped, centred', () => {
    // The same shape as the box: all of it.
    expect(coverCrop(1200, 1120, IMAGE_BOX)).toEqual({ x: 0, y: 0, w: 1200, h: 1120 })
    // A 2:1 banner: the sides go.
    const wide = coverCrop(1000, 500, IMAGE_BOX)
    expect(wide.h).toBeCloseTo(500)
    expect(wide.w / wide.h).toBeCloseTo(IMAGE_BOX.w / IMAGE_BOX.h)
    expect(wide.x).toBeCloseTo((1000 - wide.w) / 2)
    // A tall photo: top and bottom go.
    const tall = coverCrop(600, 1200, IMAGE_BOX)
    expect(tall.w).toBeCloseTo(600)
    expect(tall.y).toBeCloseTo((1200 - tall.h) / 2)
  })
})

describe('drawPoster', () => {
  function recorder() {
    const calls: string[] = []
    const ctx = {
      fillStyle: '',
      strokeStyle: '',
      lineWidth: 1,
      font: '',
      textBaseline: '',
      textAlign: '',
      save: () => undefined,
      restore: () => undefined,
      scale: () => undefined,
      fillRect: (...a: number[]) => calls.push(`fillRect ${a.join(',')}`),
      beginPath: () => undefined,
      moveTo: () => undefined,
      lineTo: () => undefined,
      stroke: () => undefined,
      fillText: (t: string) => calls.push(`text ${t}`),
      measureText: (t: string) => ({ width: width(ctx.font, t) }),
      drawImage: (img: { name: string }, ...a: number[]) => calls.push(`image ${img.name} -> ${a.slice(-4).join(',')}`),
      createLinearGradient: () => ({ addColorStop: () => calls.push('gradient') }),
    }
    return { ctx: ctx as unknown as Ctx2D, calls }
  }
  const code = { name: 'code', width: 430, height: 430 }

  test("with the room's image: the image fills the top, then the texts and the code in its box", () => {
    const { ctx, calls } = recorder()
    drawPoster(ctx, posterLayout(room(), width), { poster: { name: 'poster', width: 1200, height: 600 } as never, code: code as never })
    expect(calls).toContain(`image poster -> ${IMAGE_BOX.x},${IMAGE_BOX.y},${IMAGE_BOX.w},${IMAGE_BOX.h}`)
    expect(calls).not.toContain('gradient')
    expect(calls).toContain('text 直播中 · 128 人看过')
    expect(calls.at(-1)).toBe(`image code -> ${CODE_BOX.x},${CODE_BOX.y},${CODE_BOX.w},${CODE_BOX.h}`)
  })

  test('without an image: the plain brand background, nothing made up', () => {
    const { ctx, calls } = recorder()
    drawPoster(ctx, posterLayout(room({ status: 'ended' }), width), { poster: null, code: code as never })
    expect(calls).toContain('gradient')
    expect(calls).toContain('text 直播间')
    expect(calls).toContain('text 直播回放')
    expect(calls.filter((c) => c.startsWith('image'))).toEqual([`image code -> ${CODE_BOX.x},${CODE_BOX.y},${CODE_BOX.w},${CODE_BOX.h}`])
  })
})
