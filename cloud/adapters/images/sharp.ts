import sharp from 'sharp'
import type { ImageProcessor, ImageSize } from '../../core/services.ports'

/** Larger images are refused: 40 megapixels is beyond any phone's photo, and decoding one costs ~160 MB. */
export const MAX_IMAGE_PIXELS = 40_000_000
/** The gallery and detail size: at most this wide (never enlarged). */
export const FULL_WIDTH = 750
/** The lists' size: a square, cropped to cover. */
export const THUMB_SIZE = 360
const QUALITY = 82
const ACCEPTED = new Set(['jpeg', 'png', 'webp'])
const WHITE = { r: 255, g: 255, b: 255 }

async function jpeg(pipeline: sharp.Sharp): Promise<ImageSize> {
  const { data, info } = await pipeline.flatten({ background: WHITE }).jpeg({ quality: QUALITY }).toBuffer({ resolveWithObject: true })
  return { bytes: data, width: info.width, height: info.height }
}

/**
 * The image processor on sharp (libvips). The header is read first: only a still JPEG, PNG or WebP
 * of at most MAX_IMAGE_PIXELS is decoded. Output carries no metadata (sharp keeps none unless asked),
 * is turned upright by its EXIF orientation, and a transparent PNG or WebP is laid on white.
 */
export function sharpImages(): ImageProcessor {
  return {
    async process(bytes) {
      const input = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
      let meta: sharp.Metadata
      try {
        meta = await sharp(input).metadata()
      } catch {
        return { ok: false, reason: '无法识别的图片，请上传 JPG、PNG 或 WebP 格式' }
      }
      if (!meta.format || !ACCEPTED.has(meta.format)) return { ok: false, reason: '只支持 JPG、PNG 或 WebP 格式的图片' }
      if ((meta.pages ?? 1) > 1) return { ok: false, reason: '不支持动图，请上传静态图片' }
      const { width = 0, height = 0 } = meta
      if (width < 1 || height < 1) return { ok: false, reason: '无法识别的图片，请上传 JPG、PNG 或 WebP 格式' }
      if (width * height > MAX_IMAGE_PIXELS) return { ok: false, reason: '图片尺寸过大（不能超过 4000 万像素）' }
      // sharp's default failOn ('warning'): a truncated or corrupt file is refused rather than shown half grey.
      const source = () => sharp(input, { limitInputPixels: MAX_IMAGE_PIXELS }).autoOrient()
      try {
        const [full, thumb] = await Promise.all([
          jpeg(source().resize({ width: FULL_WIDTH, withoutEnlargement: true })),
          jpeg(source().resize(THUMB_SIZE, THUMB_SIZE, { fit: 'cover' })),
        ])
        return { ok: true, full, thumb }
      } catch {
        return { ok: false, reason: '图片已损坏，无法读取' }
      }
    },
  }
}
