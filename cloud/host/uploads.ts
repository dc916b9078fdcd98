/** Serving the images uploaded to a host (cloud/adapters/images/file-store.ts) at /media/uploads/. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'

/** Where a host keeps its uploads: DATA_DIR/media/uploads. */
export const uploadsDir = (dataDir: string) => path.join(dataDir, 'media', 'uploads')

/** The mini-program codes of cloud/adapters/poster/wechat-http.ts: codes/<sha256>.png. */
const CODE_FILE = /^[0-9a-f]{64}\.png$/
const UPLOAD_FILE = /^[0-9a-f]{32}(\.thumb)?\.jpg$/

/**
 * GET /media/uploads/<xx>/<hash>.jpg and .thumb.jpg (uploads, JPEG) and /media/uploads/codes/<sha256>.png
 * (mini-program codes, PNG): only names of those shapes are looked up, so no path leaves the folder.
 * Named by what they hold, they never change: cached for a year, immutable.
 */
export function serveUploads(app: FastifyInstance, dir: string): void {
  app.get<{ Params: { dir: string; file: string } }>('/media/uploads/:dir/:file', async (req, reply) => {
    const { dir: sub, file } = req.params
    const code = sub === 'codes' && CODE_FILE.test(file)
    if (!code && (!/^[0-9a-f]{2}$/.test(sub) || !UPLOAD_FILE.test(file) || !file.startsWith(sub))) return reply.code(404).send()
    const bytes = await fs.readFile(path.join(dir, sub, file)).catch(() => null)
    if (!bytes) return reply.code(404).send()
    return reply
      .type(code ? 'image/png' : 'image/jpeg')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(bytes)
  })
}
