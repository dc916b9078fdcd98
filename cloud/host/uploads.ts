/** Serving the images uploaded to a host (cloud/adapters/images/file-store.ts) at /media/uploads/. */
import fs from 'node:fs/promises'
import path from 'node:path'
import type { FastifyInstance } from 'fastify'

/** Where a host keeps its uploads: DATA_DIR/media/uploads. */
export const uploadsDir = (dataDir: string) => path.join(dataDir, 'media', 'uploads')

/**
 * GET /media/uploads/<xx>/<hash>.jpg and .thumb.jpg: only names of that shape are looked up, so no
 * path leaves the folder. Named by their content, they never change: cached for a year, immutable.
 */
export function serveUploads(app: FastifyInstance, dir: string): void {
  app.get<{ Params: { dir: string; file: string } }>('/media/uploads/:dir/:file', async (req, reply) => {
    const { dir: sub, file } = req.params
    if (!/^[0-9a-f]{2}$/.test(sub) || !/^[0-9a-f]{32}(\.thumb)?\.jpg$/.test(file) || !file.startsWith(sub)) return reply.code(404).send()
    const bytes = await fs.readFile(path.join(dir, sub, file)).catch(() => null)
    if (!bytes) return reply.code(404).send()
    return reply
      .type('image/jpeg')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .send(bytes)
  })
}
