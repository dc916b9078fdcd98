/**
 * The live room's share poster for 朋友圈: a portrait card of 600×960 design px, drawn at 2× on a
 * canvas. The layout is pure (text wrapping, the status line, where each part goes) so it can be
 * tested without a canvas; `drawPoster` then makes the canvas calls, the same on weapp (canvas 2d
 * node) and H5 (an HTMLCanvasElement).
 */
import type { RoomView } from '../../../cloud/contract'

/** The poster in design px; the canvas is `SCALE` times that, so the saved image stays sharp. */
export const POSTER_WIDTH = 600
export const POSTER_HEIGHT = 960
export const SCALE = 2

const PAD = 40
/** The room's poster image (or the brand background) fills the top. */
export const IMAGE_BOX = { x: 0, y: 0, w: POSTER_WIDTH, h: 560 }
/** The mini-program code, bottom right. */
export const CODE_BOX = { x: 400, y: 772, w: 160, h: 160 }
/** The title runs the full width under the image, at most two lines. */
export const TITLE = { x: PAD, top: 592, width: POSTER_WIDTH - 2 * PAD, size: 36, lineHeight: 50, maxLines: 2 }
/** The column left of the code: the anchor's name and the hint. */
export const LEFT_COLUMN_WIDTH = CODE_BOX.x - PAD - 20
export const CODE_HINT = '长按识别小程序码，进入直播间'

const FONT = '"PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", sans-serif'
export const BRAND = { green: '#1f6f4a', greenLight: '#3f9a6e', live: '#e0413a', text: '#222222', muted: '#888888', line: '#eeeeee' }

/** Measures a string in the current font, in design px. */
export type Measure = (text: string) => number

/** Marks that may not begin a line in Chinese typesetting (避头点). */
const NO_LINE_START = /^[，。、；：？！）」』》〉】”’,.;:?!)\]}%…·]$/u

/**
 * Breaks `text` into at most `maxLines` lines no wider than `maxWidth`, character by character
 * (Chinese has no spaces to break at; a surrogate pair stays whole), never starting a line with a
 * closing mark. A text that needs more lines
 * ends its last line with … so that the line with the … still fits. Line breaks in the text count
 * as spaces.
 */
export function wrapText(text: string, maxWidth: number, maxLines: number, measure: Measure): string[] {
  const chars = Array.from(text.replace(/\s+/g, ' ').trim())
  const lines: string[] = []
  let line = ''
  let i = 0
  for (; i < chars.length && lines.length < maxLines; i++) {
    const next = line + chars[i]
    if (line !== '' && measure(next) > maxWidth) {
      const carried = Array.from(line)
      // A line never starts with a closing mark (，。、）…): the character before it goes down with it.
      if (NO_LINE_START.test(chars[i]!) && carried.length > 1) {
        const moved = carried.pop()!
        lines.push(carried.join('').trimEnd())
        line = moved + chars[i]
      } else {
        lines.push(line.trimEnd())
        line = chars[i] === ' ' ? '' : chars[i]!
      }
    } else {
      line = next
    }
  }
  if (lines.length < maxLines && line !== '') {
    lines.push(line)
    line = ''
  }
  const overflow = i < chars.length || line !== ''
  if (overflow && lines.length > 0) {
    let last = Array.from(lines[lines.length - 1]!)
    while (last.length > 0 && measure(`${last.join('').trimEnd()}…`) > maxWidth) last = last.slice(0, -1)
    lines[lines.length - 1] = `${last.join('').trimEnd()}…`
  }
  return lines
}

/** 12月3日 20:00 in China's time (UTC+8), whatever the device's zone: the poster is read in China. */
export function chinaTimeText(iso: string): string {
  const t = new Date(new Date(iso).getTime() + 8 * 3600_000)
  const pad = (n: number) => String(n).padStart(2, '0')
  return `${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${pad(t.getUTCHours())}:${pad(t.getUTCMinutes())}`
}

/**
 * The poster's status line, exactly what the room is: 直播中 · N 人看过 while live, the start time of
 * an upcoming room, 直播回放 for an ended room with its replay (直播已结束 without one).
 */
export function statusLine(room: Pick<RoomView, 'status' | 'viewerCount' | 'startsAt' | 'stream'>): string {
  if (room.status === 'live') return `直播中 · ${room.viewerCount} 人看过`
  if (room.status === 'upcoming') return `${chinaTimeText(room.startsAt)} 开播`
  return room.stream ? '直播回放' : '直播已结束'
}

export interface Rect {
  x: number
  y: number
  w: number
  h: number
}

/** The part of an image of `w`×`h` that covers `box` without stretching (centred crop), as drawImage's source rect. */
export function coverCrop(w: number, h: number, box: { w: number; h: number }): Rect {
  if (w <= 0 || h <= 0) return { x: 0, y: 0, w: Math.max(w, 0), h: Math.max(h, 0) }
  const scale = Math.max(box.w / w, box.h / h)
  const sw = box.w / scale
  const sh = box.h / scale
  return { x: (w - sw) / 2, y: (h - sh) / 2, w: sw, h: sh }
}

export interface TextLine {
  text: string
  x: number
  /** Top of the line box (textBaseline 'top'). */
  y: number
  font: string
  color: string
}

export interface PosterLayout {
  image: Rect
  code: Rect
  lines: TextLine[]
  /** The thin rule between the title block and the code block. */
  divider: { x: number; y: number; w: number }
}

export const fonts = {
  title: `bold ${TITLE.size}px ${FONT}`,
  status: `26px ${FONT}`,
  anchor: `26px ${FONT}`,
  hint: `22px ${FONT}`,
  brand: `bold 64px ${FONT}`,
}

/**
 * Where everything goes. `measure(font, text)` measures text in that font (the canvas's
 * measureText on the device; an estimate in tests).
 */
export function posterLayout(
  room: Pick<RoomView, 'title' | 'status' | 'viewerCount' | 'startsAt' | 'stream' | 'anchor'>,
  measure: (font: string, text: string) => number,
): PosterLayout {
  const lines: TextLine[] = []
  const title = wrapText(room.title, TITLE.width, TITLE.maxLines, (t) => measure(fonts.title, t))
  title.forEach((text, i) => lines.push({ text, x: TITLE.x, y: TITLE.top + i * TITLE.lineHeight, font: fonts.title, color: BRAND.text }))
  const statusTop = TITLE.top + Math.max(title.length, 1) * TITLE.lineHeight + 12
  lines.push({
    text: statusLine(room),
    x: PAD,
    y: statusTop,
    font: fonts.status,
    color: room.status === 'live' ? BRAND.live : BRAND.green,
  })
  const anchor = wrapText(`主播：${room.anchor.name}`, LEFT_COLUMN_WIDTH, 1, (t) => measure(fonts.anchor, t))[0] ?? ''
  lines.push({ text: anchor, x: PAD, y: CODE_BOX.y + 30, font: fonts.anchor, color: BRAND.text })
  for (const [i, text] of wrapText(CODE_HINT, LEFT_COLUMN_WIDTH, 2, (t) => measure(fonts.hint, t)).entries()) {
    lines.push({ text, x: PAD, y: CODE_BOX.y + 92 + i * 32, font: fonts.hint, color: BRAND.muted })
  }
  return { image: { ...IMAGE_BOX }, code: { ...CODE_BOX }, lines, divider: { x: PAD, y: CODE_BOX.y - 20, w: POSTER_WIDTH - 2 * PAD } }
}

/** The image sources drawPoster takes: an HTMLImageElement on H5, the canvas's Image on weapp. */
export interface PosterImage {
  width: number
  height: number
}

/** The few canvas 2d calls the poster makes (common to weapp's canvas 2d and the browser's). */
export interface Ctx2D {
  fillStyle: unknown
  strokeStyle: unknown
  lineWidth: number
  font: string
  textBaseline: string
  textAlign: string
  save(): void
  restore(): void
  scale(x: number, y: number): void
  fillRect(x: number, y: number, w: number, h: number): void
  beginPath(): void
  moveTo(x: number, y: number): void
  lineTo(x: number, y: number): void
  stroke(): void
  fillText(text: string, x: number, y: number): void
  measureText(text: string): { width: number }
  drawImage(img: never, dx: number, dy: number, dw: number, dh: number): void
  drawImage(img: never, sx: number, sy: number, sw: number, sh: number, dx: number, dy: number, dw: number, dh: number): void
  createLinearGradient(x0: number, y0: number, x1: number, y1: number): { addColorStop(offset: number, color: string): void }
}

/** A measure for posterLayout from a canvas context. */
export function canvasMeasure(ctx: Ctx2D): (font: string, text: string) => number {
  return (font, text) => {
    ctx.font = font
    return ctx.measureText(text).width
  }
}

/**
 * Draws the poster on a context already scaled to design px: the room's image (or the brand
 * background with the shop's 直播 mark when it has none), the text, and the mini-program code.
 */
export function drawPoster(ctx: Ctx2D, layout: PosterLayout, images: { poster: PosterImage | null; code: PosterImage }): void {
  ctx.fillStyle = '#ffffff'
  ctx.fillRect(0, 0, POSTER_WIDTH, POSTER_HEIGHT)
  const box = layout.image
  if (images.poster && images.poster.width > 0 && images.poster.height > 0) {
    const src = coverCrop(images.poster.width, images.poster.height, box)
    ctx.drawImage(images.poster as never, src.x, src.y, src.w, src.h, box.x, box.y, box.w, box.h)
  } else {
    const g = ctx.createLinearGradient(0, box.y, 0, box.y + box.h)
    g.addColorStop(0, BRAND.greenLight)
    g.addColorStop(1, BRAND.green)
    ctx.fillStyle = g
    ctx.fillRect(box.x, box.y, box.w, box.h)
    ctx.fillStyle = 'rgba(255,255,255,0.92)'
    ctx.font = fonts.brand
    ctx.textAlign = 'center'
    ctx.textBaseline = 'middle'
    ctx.fillText('直播间', box.x + box.w / 2, box.y + box.h / 2)
    ctx.textAlign = 'left'
  }
  ctx.textBaseline = 'top'
  ctx.textAlign = 'left'
  for (const line of layout.lines) {
    ctx.font = line.font
    ctx.fillStyle = line.color
    ctx.fillText(line.text, line.x, line.y)
  }
  ctx.strokeStyle = BRAND.line
  ctx.lineWidth = 2
  ctx.beginPath()
  ctx.moveTo(layout.divider.x, layout.divider.y)
  ctx.lineTo(layout.divider.x + layout.divider.w, layout.divider.y)
  ctx.stroke()
  // The whole code scaled into its box: no source rectangle, since an SVG code has no intrinsic size
  // of its own (only a viewBox) and a browser would cut a source rectangle from a default size.
  const c = layout.code
  ctx.drawImage(images.code as never, c.x, c.y, c.w, c.h)
}
