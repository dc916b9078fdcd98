/** Images uploaded from the console: checked, resized to the sizes the mini-program shows, and stored. */
import { createHash } from 'node:crypto'
import type { UploadedImage } from '../../contract'
import { uploadKeys } from '../catalog/images.rules'
import type { Services } from '../context'
import { fail } from '../errors'

/** The types an upload may declare; the bytes are checked to really be one of them. */
export const UPLOAD_MIMES = ['image/jpeg', 'image/png', 'image/webp'] as const
/** The most bytes one upload may have (the console's route takes no more either: UPLOAD_LIMIT). */
export const MAX_UPLOAD_BYTES = 8 * 1024 * 1024

const refuse = (message: string) => fail('VALIDATION_FAILED', message, [{ path: 'image', message }])

/**
 * An upload's bytes and declared type checked (cheap, no decoding): refused with VALIDATION_FAILED
 * unless a type the shop stores, not empty and at most MAX_UPLOAD_BYTES.
 */
export function checkUpload(bytes: Uint8Array, mime: string): void {
  const declared = mime.split(';')[0]!.trim().toLowerCase()
  if (!(UPLOAD_MIMES as readonly string[]).includes(declared)) refuse('只支持 JPG、PNG 或 WebP 格式的图片')
  if (bytes.length === 0) refuse('图片为空')
  if (bytes.length > MAX_UPLOAD_BYTES) refuse('图片不能超过 8 MiB')
}

type Processor = Pick<Services, 'imageProcessor'>
type Store = Pick<Services, 'imageStore'>
/** An image decoded and resized into its two sizes, not stored yet. */
export type ProcessedImage = Extract<Awaited<ReturnType<Services['imageProcessor']['process']>>, { ok: true }>

/**
 * Decodes and resizes an image (CPU work: the host runs it outside any transaction, a few at a
 * time); refused with VALIDATION_FAILED when it is not an image we take.
 */
export async function processImage(services: Processor, bytes: Uint8Array): Promise<ProcessedImage> {
  const processed = await services.imageProcessor.process(bytes)
  return processed.ok ? processed : refuse(processed.reason)
}

/**
 * Keeps a processed image under the hash of the bytes as given (the same image twice is stored once
 * and answers the same URLs) and answers where its sizes are and the full size's dimensions.
 */
export async function keepImage(services: Store, bytes: Uint8Array, processed: ProcessedImage): Promise<UploadedImage> {
  const keys = uploadKeys(createHash('sha256').update(bytes).digest('hex').slice(0, 32))
  const [url, thumbUrl] = await Promise.all([
    services.imageStore.put(keys.full, processed.full.bytes, 'image/jpeg'),
    services.imageStore.put(keys.thumb, processed.thumb.bytes, 'image/jpeg'),
  ])
  return { url, thumbUrl, width: processed.full.width, height: processed.full.height }
}

/** The path every image of ours takes, uploads and the demo shop's art alike: processed, then kept. */
export async function storeImage(services: Processor & Store, bytes: Uint8Array): Promise<UploadedImage> {
  return keepImage(services, bytes, await processImage(services, bytes))
}
