/**
 * An avatar the shopper chose, made small enough to send in one call (the contract takes a JPG or
 * PNG of at most 40 KB): a 256 px JPEG, squeezed further when a busy photo is still too big.
 * On weapp the image is WeChat's temporary file (chooseAvatar); on H5 an image picked from the
 * device, drawn onto a canvas.
 */
import Taro from '@tarojs/taro'
import type { AvatarUpload } from '../../../cloud/contract'

/** The contract's AVATAR_MAX_BYTES (src/ takes only types from cloud/contract). */
const MAX_BYTES = 40_000
const SIDE = 256
const base64Bytes = (b64: string) => Math.floor((b64.length * 3) / 4) - (b64.endsWith('==') ? 2 : b64.endsWith('=') ? 1 : 0)

async function fromWeappFile(path: string): Promise<AvatarUpload> {
  for (const quality of [80, 60, 40]) {
    const { tempFilePath } = await Taro.compressImage({ src: path, quality, compressedWidth: SIDE, compressedHeight: SIDE })
    const base64 = await new Promise<string>((resolve, reject) =>
      Taro.getFileSystemManager().readFile({
        filePath: tempFilePath,
        encoding: 'base64',
        success: (r) => resolve(r.data as string),
        fail: reject,
      }),
    )
    if (base64Bytes(base64) <= MAX_BYTES) return { mime: 'image/jpeg', base64 }
  }
  throw new Error('avatar too large')
}

async function fromH5Url(url: string): Promise<AvatarUpload> {
  const img = await new Promise<HTMLImageElement>((resolve, reject) => {
    const el = new Image()
    el.onload = () => resolve(el)
    el.onerror = reject
    el.src = url
  })
  // The centred square of the picture, scaled to SIDE.
  const side = Math.min(img.naturalWidth, img.naturalHeight)
  const canvas = document.createElement('canvas')
  canvas.width = canvas.height = SIDE
  canvas.getContext('2d')!.drawImage(img, (img.naturalWidth - side) / 2, (img.naturalHeight - side) / 2, side, side, 0, 0, SIDE, SIDE)
  for (const quality of [0.85, 0.7, 0.5]) {
    const base64 = canvas.toDataURL('image/jpeg', quality).replace(/^data:image\/jpeg;base64,/, '')
    if (base64Bytes(base64) <= MAX_BYTES) return { mime: 'image/jpeg', base64 }
  }
  throw new Error('avatar too large')
}

/** The upload for an image path (a weapp temp file, or an H5 blob URL); throws when it can't be read. */
export function avatarUpload(path: string): Promise<AvatarUpload> {
  return process.env.TARO_ENV === 'weapp' ? fromWeappFile(path) : fromH5Url(path)
}
