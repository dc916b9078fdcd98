/** Images uploaded from the console: checked, resized to the sizes the mini-program shows, and stored. */
import type { UploadedImage } from '../../contract'
import type { AuthedCtx } from '../context'

/** Stores one uploaded image (its bytes as sent, `mime` as declared) and answers where its sizes are. */
export async function uploadImage(_ctx: AuthedCtx, _bytes: Uint8Array, _mime: string): Promise<UploadedImage> {
  throw new Error('not built yet')
}
