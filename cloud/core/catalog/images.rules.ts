/**
 * How uploaded images are named (cloud/core/admin/media.service.ts) and the one rule that turns an
 * upload's URL into its thumbnail's: an upload is kept as `uploads/<xx>/<hash>.jpg` (750 px wide)
 * beside `uploads/<xx>/<hash>.thumb.jpg` (360×360), under /media/ on a host or in CloudBase storage
 * (cloud://…). Lists (the mall, search, the cart, orders, a live room's shelf, the back office) show the
 * thumbnail.
 */

/** The content hash an upload is named by: 32 hex characters. */
export const UPLOAD_HASH = /^[0-9a-f]{32}$/

/** Where the two sizes of the upload `hash` are kept, relative to the image store's uploads folder. */
export function uploadKeys(hash: string): { full: string; thumb: string } {
  const dir = hash.slice(0, 2)
  return { full: `${dir}/${hash}.jpg`, thumb: `${dir}/${hash}.thumb.jpg` }
}

const UPLOAD_FULL = /^((?:\/media\/uploads\/|cloud:\/\/\S+\/uploads\/)[0-9a-f]{2}\/[0-9a-f]{32})\.jpg$/

/** The thumbnail of one of our uploads; any other image (art, an https:// URL, a thumbnail already) as it is. */
export function thumbOf(url: string): string {
  const m = UPLOAD_FULL.exec(url)
  return m ? `${m[1]}.thumb.jpg` : url
}
