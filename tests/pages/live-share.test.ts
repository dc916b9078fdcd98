/**
 * The live room's share poster on the built weapp in miniprogram-simulate, against a real seeded
 * stack: 分享 → 生成分享海报 draws the room and the code live.sharePoster gives this viewer, exports
 * the canvas, and 保存到相册 saves that file — or, with the album turned off, explains and opens the
 * settings; the first save waits for the privacy prompt. WeChat's canvas and album are played here
 * (the simulator has neither); the server is real.
 */
import fs from 'node:fs'
import path from 'node:path'
import { startStack, type Stack } from '../helpers/stack'
import { until } from '../helpers/wait'
import {
  appToken,
  DIST,
  elements,
  fakeWx,
  fire,
  loadPage,
  needPrivacyAuthorization,
  newLog,
  unloadPage,
  type LoadedPage,
  type WxLog,
} from '../helpers/weapp'

let stack: Stack
let roomId: string
let roomTitle: string
let log: WxLog
/** The viewer's answer to the next modal (its confirm button when true). */
let confirmModal = true
const env = () => ({ apiBase: stack.url, log, answerModal: () => confirmModal })

beforeAll(async () => {
  stack = await startStack({ seed: true })
  const { token } = await stack.login('lookup')
  const live = (await stack.ok('live', { action: 'list' }, token)).live[0]
  roomId = live.id
  roomTitle = live.title
}, 90_000)
afterAll(() => stack?.stop())
/** The parts of WeChat a test plays, put back after each test. */
const PLAYED = ['createSelectorQuery', 'canvasToTempFilePath', 'saveImageToPhotosAlbum', 'getSetting', 'openSetting']
let originals: Record<string, unknown> = {}
beforeEach(() => {
  log = newLog()
  confirmModal = true
})
afterEach(() => {
  for (const [k, v] of Object.entries(originals)) fakeWx()[k] = v
  originals = {}
})
const remember = () => {
  if (Object.keys(originals).length === 0) for (const k of PLAYED) originals[k] = fakeWx()[k]
}

/** What WeChat's canvas 2d did: the texts written, the images loaded and drawn, the file exported. */
interface CanvasRecord {
  texts: string[]
  loaded: string[]
  drawn: string[]
  exported: Array<{ canvas: unknown; destWidth: number; destHeight: number }>
}

const TEMP_FILE = 'wxfile://tmp/share-poster.jpg'

/** Plays WeChat's `<canvas type="2d">` node and canvasToTempFilePath for the page's canvas. */
function playCanvas(): CanvasRecord {
  const rec: CanvasRecord = { texts: [], loaded: [], drawn: [], exported: [] }
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    font: '16px sans-serif',
    textBaseline: 'alphabetic',
    textAlign: 'left',
    save() {},
    restore() {},
    scale() {},
    fillRect() {},
    beginPath() {},
    moveTo() {},
    lineTo() {},
    stroke() {},
    fillText: (t: string) => void rec.texts.push(t),
    measureText(t: string) {
      const size = Number(/(\d+)px/.exec(ctx.font)?.[1] ?? 16)
      return { width: Array.from(t).reduce((w, c) => w + (c.codePointAt(0)! >= 0x2e80 ? 1 : 0.55) * size, 0) }
    },
    drawImage: (img: { src: string }) => void rec.drawn.push(img.src),
    createLinearGradient: () => ({ addColorStop() {} }),
  }
  const node = {
    width: 300,
    height: 150,
    getContext: () => ctx,
    createImage() {
      const img: any = { width: 0, height: 0, onload: null, onerror: null }
      let src = ''
      Object.defineProperty(img, 'src', {
        get: () => src,
        set(v: string) {
          src = v
          rec.loaded.push(v)
          setTimeout(() => {
            img.width = 430
            img.height = 430
            img.onload?.()
          }, 5)
        },
      })
      return img
    },
  }
  fakeWx().createSelectorQuery = () => {
    let selected = ''
    const q: any = {
      in: () => q,
      select: (s: string) => ((selected = s), q),
      fields: () => q,
      boundingClientRect: () => q,
      exec: (cb: (res: unknown[]) => void) =>
        setTimeout(() => cb(selected === '#share-poster-canvas' ? [{ node, width: 300, height: 480 }] : []), 0),
    }
    return q
  }
  fakeWx().canvasToTempFilePath = (o: any) => {
    rec.exported.push({ canvas: o.canvas === node ? 'the page canvas' : o.canvas, destWidth: o.destWidth, destHeight: o.destHeight })
    o.success?.({ tempFilePath: TEMP_FILE, errMsg: 'canvasToTempFilePath:ok' })
    o.complete?.({})
  }
  return rec
}

/** Saves as WeChat does once allowed, recording the file. */
function playAlbum(saved: string[]) {
  fakeWx().saveImageToPhotosAlbum = (o: any) => {
    saved.push(o.filePath)
    o.success?.({ errMsg: 'saveImageToPhotosAlbum:ok' })
    o.complete?.({})
  }
}

async function openPoster(opts: { exportFails?: boolean } = {}): Promise<{ page: LoadedPage; rec: CanvasRecord }> {
  const page = loadPage('packages/live/room/index', { id: roomId }, env())
  remember()
  const rec = playCanvas()
  if (opts.exportFails) fakeWx().canvasToTempFilePath = (o: any) => o.fail?.({ errMsg: 'canvasToTempFilePath:fail canvas is empty' })
  await page.waitForText('人看过', '分享')
  page.tapText('分享')
  await page.waitForText('生成分享海报')
  page.tapText('生成分享海报')
  await page.waitForText('分享海报', opts.exportFails ? '海报生成失败，点击重试' : '保存到相册')
  return { page, rec }
}

/** The shown picture's src, from the page's data (Taro's base.wxml binds image src to a short key). */
function posterImageSrc(page: LoadedPage): string | undefined {
  const key = new RegExp(`<image [^>]*?src="{{(?:xs\\.b\\()?i\\.(p\\d+)`).exec(fs.readFileSync(path.join(DIST, 'base.wxml'), 'utf8'))![1]!
  let found: string | undefined
  const walk = (n: any) => {
    if (!n || typeof n !== 'object' || found !== undefined) return
    if (typeof n.cl === 'string' && n.cl.split(' ').includes('share-poster__image')) found = decodeURIComponent(n[key])
    for (const v of Object.values(n)) if (typeof v === 'object') walk(v)
  }
  walk(page.instance.data)
  return found
}

test('a poster that could not be made says so, and a tap tries again', async () => {
  const { page } = await openPoster({ exportFails: true })
  expect(page.text()).not.toContain('保存到相册')
  expect(log.requests.filter((r) => r.endsWith(' sharePoster'))).toHaveLength(1)
  playCanvas()
  page.tapText('海报生成失败，点击重试')
  await page.waitForText('保存到相册')
  expect(posterImageSrc(page)).toBe(TEMP_FILE)
  unloadPage(page)
}, 60_000)

test('生成分享海报 draws the room and this viewer’s code, shows the exported picture; 保存到相册 saves it', async () => {
  const { page, rec } = await openPoster()
  // The code drawn is the one the server made for this viewer as the sharer.
  const { code } = await stack.ok('live', { action: 'sharePoster', roomId }, appToken())
  expect(rec.loaded.some((src) => src.endsWith(code))).toBe(true)
  expect(rec.drawn.some((src) => src.endsWith(code))).toBe(true)
  const texts = rec.texts.join('\n')
  expect(texts).toContain(roomTitle.slice(0, 10))
  expect(texts).toMatch(/直播中 · \d+ 人看过/)
  expect(texts).toContain('长按识别小程序码，进入直播间')
  expect(rec.exported).toEqual([{ canvas: 'the page canvas', destWidth: 1200, destHeight: 1920 }])
  expect(posterImageSrc(page)).toBe(TEMP_FILE)

  const saved: string[] = []
  playAlbum(saved)
  page.tapText('保存到相册')
  await until(() => log.toasts.includes('已保存到相册，可分享到朋友圈'))
  expect(saved).toEqual([TEMP_FILE])
  expect(log.modals).toEqual([])

  // Closed, the sheet leaves nothing on the page.
  page.tapText('关闭')
  await until(() => !page.text().includes('保存到相册'))
  expect(elements(page).some((e) => /share-poster/.test(e.getAttribute('class') ?? ''))).toBe(false)
  unloadPage(page)
}, 60_000)

test('album turned off: a modal explains and opens the settings; allowed there, the poster is saved', async () => {
  const { page } = await openPoster()
  // The viewer's code for this room came once; opening the poster again drew it without asking again.
  expect(log.requests.filter((r) => r.endsWith(' sharePoster'))).toEqual([])
  const saved: string[] = []
  // The viewer refused the album before: WeChat fails the save at once with auth deny.
  fakeWx().getSetting = (o: any) => o.success?.({ authSetting: { 'scope.writePhotosAlbum': false }, errMsg: 'getSetting:ok' })
  fakeWx().saveImageToPhotosAlbum = (o: any) => o.fail?.({ errMsg: 'saveImageToPhotosAlbum:fail auth deny' })

  // 取消 in the modal: no settings page, nothing saved.
  confirmModal = false
  page.tapText('保存到相册')
  await until(() => log.modals!.length === 1)
  expect(log.modals![0]).toMatch(/^需要相册权限\|保存海报需要允许「保存到相册」/)
  await new Promise((r) => setTimeout(r, 100))
  expect(log.requests).not.toContain('wx.openSetting')

  // 去设置, where the viewer turns the album on: the poster is saved and the viewer told.
  confirmModal = true
  fakeWx().openSetting = (o: any) => {
    log.requests.push('wx.openSetting')
    playAlbum(saved)
    o.success?.({ authSetting: { 'scope.writePhotosAlbum': true }, errMsg: 'openSetting:ok' })
  }
  page.tapText('保存到相册')
  await until(() => log.toasts.includes('已保存到相册，可分享到朋友圈'))
  expect(log.modals).toHaveLength(2)
  expect(log.requests).toContain('wx.openSetting')
  expect(saved).toEqual([TEMP_FILE])
  unloadPage(page)
}, 60_000)

test('the first save waits for the privacy prompt: 拒绝 saves nothing, 同意 saves', async () => {
  const { page } = await openPoster()
  fakeWx().getSetting = (o: any) => o.success?.({ authSetting: {}, errMsg: 'getSetting:ok' })
  const saved: string[] = []
  fakeWx().saveImageToPhotosAlbum = (o: any) =>
    needPrivacyAuthorization('saveImageToPhotosAlbum', (answer) =>
      answer.event === 'agree'
        ? (saved.push(o.filePath), o.success({ errMsg: 'saveImageToPhotosAlbum:ok' }))
        : o.fail({ errMsg: 'saveImageToPhotosAlbum:fail privacy permission is not authorized' }),
    )
  page.tapText('保存到相册')
  await page.waitForText('用户隐私保护提示', '保存图片到相册前，请仔细阅读', '拒绝', '同意')
  page.tapText('拒绝')
  await until(() => !page.text().includes('用户隐私保护提示'))
  await new Promise((r) => setTimeout(r, 100))
  expect(saved).toEqual([])
  expect(log.modals).toEqual([])
  expect(log.toasts).not.toContain('保存失败，请重试')

  page.tapText('保存到相册')
  await page.waitForText('用户隐私保护提示')
  fire(
    elements(page).find((e) => e.id === 'privacy-agree' || (e.textContent ?? '').trim() === '同意')!,
    'agreeprivacyauthorization',
    {},
  )
  await until(() => log.toasts.includes('已保存到相册，可分享到朋友圈'))
  expect(saved).toEqual([TEMP_FILE])
  unloadPage(page)
}, 60_000)
