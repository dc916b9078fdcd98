import { randomBytes } from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type { ImageStore } from '../../core/services.ports'

/** Where the host serves the uploads folder (cloud/host/uploads.ts). */
export const UPLOADS_URL = '/media/uploads/'

/**
 * Uploads on a host's disk: `dir` (DATA_DIR/media/uploads) holds each under its key, served at
 * UPLOADS_URL. A key names its content, so a file already there is left as it is; a new one is
 * written beside and renamed into place, so a reader (or a second host on the same folder) never
 * sees half a file.
 */
export function fileImages(dir: string): ImageStore {
  return {
    async put(key, bytes) {
      const file = path.join(dir, key)
      const exists = await fs.stat(file).then(
        () => true,
        () => false,
      )
      if (!exists) {
        await fs.mkdir(path.dirname(file), { recursive: true })
        const tmp = `${file}.${randomBytes(6).toString('hex')}.tmp`
        await fs.writeFile(tmp, bytes)
        await fs.rename(tmp, file)
      }
      return `${UPLOADS_URL}${key}`
    },
  }
}
