/** Images uploaded from the console: checked, resized to the sizes the mini-program shows, and stored. */
import { createHash } from 'node:crypto'
import type { UploadedImage } from '../../contract'
import { uploadKeys } from '../catalog/images.rules'
import type { AuthedCtx, Services } from '../context'
import { fail } from '../errors'

/** The types an upload may declare; the bytes are checked to really be one of them. */
export const UPLOAD_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const
/** The most bytes one upload may have (the console's route takes no more either: UPLOAD_LIMIT). */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024

const refuse = (message: string) => fail('VALIDATION_FAILED', message, [{ path: 'image', message }])

/** Stores one uploaded image (its bytes as sent, `mime` as declared) and answers where its sizes are. */
export async function uploadImage(ctx: AuthedCtx, bytes: Uint8Array, mime: string): Promise<UploadedImage> {
  const declared = mime.split(';')[0]!.trim().toLowerCase()
  if (!(UPLOAD_MIMES as readonly string[]).includes(declared)) refuse('只支持 JPG、PNG 或 WebP 格式的图片')
  if (bytes.length === 0) refuse('图片为空')
  if (bytes.length > MAX_UPLOAD_BYTES) refuse('图片不能超过 8 MiB')
  return storeImage(ctx, bytes)
}

/**
 * The path every image of ours takes, uploads and the demo shop's art alike: processed into its two
 * sizes, kept under the hash of the bytes as given (the same image twice is stored once and answers
 * the same URLs), the full size's dimensions answered.
 */
export async function storeImage(services: Pick<Services, 'imageProcessor' | 'imageStore'>, bytes: Uint8Array): Promise<UploadedImage> {
  const processed = await services.imageProcessor.process(bytes)
  if (!processed.ok) return refuse(processed.reason)
  const keys = uploadKeys(createHash('sha256').update(bytes).digest('hex').slice(0, 32))
  const [url, thumbUrl] = await Promise.all([
    services.imageStore.put(keys.full, processed.full.bytes, 'image/jpeg'),
    services.imageStore.put(keys.thumb, processed.thumb.bytes, 'image/jpeg'),
  ])
  return { url, thumbUrl, width: processed.full.width, height: processed.full.height }
}
