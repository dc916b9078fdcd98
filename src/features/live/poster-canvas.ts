/**
 * The platform half of the share poster: finds the Taro `<Canvas type="2d">` node, loads the
 * images onto it, draws (poster-draw.ts) and exports the picture — weapp: canvasToTempFilePath with
 * the canvas node (a temp file that saveImageToPhotosAlbum can save); H5: the canvas's toDataURL.
 */
import Taro from '@tarojs/taro'
import type { RoomView } from '../../../cloud/contract'
import { assetUrl } from '../../lib/asset-url'
import { canvasMeasure, drawPoster, POSTER_HEIGHT, POSTER_WIDTH, posterLayout, SCALE, type Ctx2D, type PosterImage } from './poster-draw'

/** What the canvas 2d node offers on both platforms (weapp's Canvas, the browser's HTMLCanvasElement). */
interface CanvasNode {
  width: number
  height: number
  getContext(type: '2d'): unknown
  /** weapp only: an Image bound to this canvas. */
  createImage?: () => LoadableImage
  /** H5 only. */
  toDataURL?: (type?: string, quality?: number) => string
}

interface LoadableImage extends PosterImage {
  src: string
  crossOrigin?: string | null
  onload: (() => void) | null
  onerror: ((e: unknown) => void) | null
}

const IMAGE_TIMEOUT_MS = 10_000

/** The canvas node under `#id`, once it is rendered (a few tries: the sheet mounts it just before). */
async function findCanvas(id: string): Promise<CanvasNode> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const node = await new Promise<CanvasNode | null>((resolve) => {
      try {
        Taro.createSelectorQuery()
          .select(`#${id}`)
          .fields({ node: true, size: true })
          .exec((res: Array<{ node?: CanvasNode } | null>) => resolve(res?.[0]?.node ?? null))
      } catch {
        resolve(null)
      }
    })
    if (node && typeof node.getContext === 'function') return node
    if (process.env.TARO_ENV === 'h5') {
      // Taro's H5 canvas is a <taro-canvas-core> around the real <canvas>.
      const el = document.getElementById(id)
      const canvas = el?.tagName.toLowerCase() === 'canvas' ? el : el?.querySelector('canvas')
      if (canvas) return canvas as unknown as CanvasNode
    }
    await new Promise((r) => setTimeout(r, 50))
  }
  throw new Error('share poster: canvas not found')
}

/** Where the canvas can read an image from: cloud files are downloaded first (weapp), host paths made absolute. */
async function imageSource(src: string): Promise<string> {
  if (process.env.TARO_ENV === 'weapp' && src.startsWith('cloud://')) {
    const res = await Taro.cloud.downloadFile({ fileID: src })
    return res.tempFilePath
  }
  return assetUrl(src)
}

function loadImage(canvas: CanvasNode, src: string): Promise<LoadableImage> {
  return new Promise((resolve, reject) => {
    const img: LoadableImage = canvas.createImage ? canvas.createImage() : (new Image() as unknown as LoadableImage)
    // H5: a cross-origin image without CORS would taint the canvas; asked with CORS it fails to load instead.
    if (!canvas.createImage) img.crossOrigin = 'anonymous'
    const timer = setTimeout(() => reject(new Error(`share poster: image timed out: ${src}`)), IMAGE_TIMEOUT_MS)
    img.onload = () => {
      clearTimeout(timer)
      resolve(img)
    }
    img.onerror = () => {
      clearTimeout(timer)
      reject(new Error(`share poster: image failed: ${src}`))
    }
    img.src = src
  })
}

/**
 * Draws the room's poster with its mini-program `code` on the canvas `#canvasId` and answers the
 * picture: a temp file path (weapp) or a data URL (H5). Fails when the code can't be drawn; a room
 * image that can't be loaded gives way to the brand background.
 */
export async function renderPoster(canvasId: string, room: RoomView, code: string): Promise<string> {
  const canvas = await findCanvas(canvasId)
  const [poster, codeImage] = await Promise.all([
    room.poster
      ? imageSource(room.poster)
          .then((src) => loadImage(canvas, src))
          .catch(() => null)
      : Promise.resolve(null),
    imageSource(code).then((src) => loadImage(canvas, src)),
  ])
  // Sized only now, all images in: resizing clears a canvas.
  canvas.width = POSTER_WIDTH * SCALE
  canvas.height = POSTER_HEIGHT * SCALE
  const ctx = canvas.getContext('2d') as Ctx2D
  ctx.save()
  ctx.scale(SCALE, SCALE)
  drawPoster(ctx, posterLayout(room, canvasMeasure(ctx)), { poster, code: codeImage })
  ctx.restore()
  if (process.env.TARO_ENV === 'h5' && canvas.toDataURL) return canvas.toDataURL('image/jpeg', 0.92)
  const res = await Taro.canvasToTempFilePath({
    canvas: canvas as unknown as Taro.Canvas,
    x: 0,
    y: 0,
    width: canvas.width,
    height: canvas.height,
    destWidth: canvas.width,
    destHeight: canvas.height,
    fileType: 'jpg',
    quality: 0.92,
  })
  return res.tempFilePath
}

function errMsg(e: unknown): string {
  return typeof e === 'object' && e && 'errMsg' in e ? String((e as { errMsg: unknown }).errMsg) : String(e)
}

/** The outcome of 保存到相册, for the sheet to tell the viewer. */
export type SaveOutcome = 'saved' | 'denied' | 'cancelled' | 'failed'

/**
 * Saves the poster to the album (weapp). When the viewer has turned the album off
 * (scope.writePhotosAlbum denied), a modal says why it is needed and opens the settings; turned
 * on there, the poster is saved at once.
 */
export async function savePosterToAlbum(filePath: string): Promise<SaveOutcome> {
  const save = async (): Promise<SaveOutcome | 'auth'> => {
    try {
      await Taro.saveImageToPhotosAlbum({ filePath })
      return 'saved'
    } catch (e) {
      const msg = errMsg(e)
      // Refused in the privacy prompt: the prompt (or its note) already told the viewer.
      if (/privacy/i.test(msg)) return 'cancelled'
      if (/auth|authorize|permission/i.test(msg)) return 'auth'
      if (/cancel/i.test(msg)) return 'cancelled'
      return 'failed'
    }
  }
  const setting = await Taro.getSetting().catch(() => null)
  const first = setting?.authSetting?.['scope.writePhotosAlbum'] === false ? 'auth' : await save()
  if (first !== 'auth') return first
  const ask = await Taro.showModal({
    title: '需要相册权限',
    content: '保存海报需要允许「保存到相册」，请在设置中打开后再保存',
    confirmText: '去设置',
    cancelText: '取消',
  }).catch(() => null)
  if (!ask?.confirm) return 'denied'
  const opened = await Taro.openSetting().catch(() => null)
  if (!opened?.authSetting?.['scope.writePhotosAlbum']) return 'denied'
  const again = await save()
  return again === 'auth' ? 'denied' : again
}
