import type { AvatarStore } from '../../core/services.ports'
import type { Database } from '../../db/database'

/** Where a self-hosted server serves the avatar `hash` of a user (cloud/host/server.ts). */
export const avatarPath = (userId: string, hash: string, mime: string) =>
  `/media/avatars/${encodeURIComponent(userId)}/${hash}.${mime === 'image/png' ? 'png' : 'jpg'}`

/**
 * Avatars of a self-hosted server: kept in PostgreSQL (`user_avatars`) under their content hash and
 * served by the host at avatarPath. Written on a connection of its own, outside the call's
 * transaction: a stored image no user row points at is harmless (its URL names its content), and a
 * retry of the same image writes nothing new.
 */
export function dbAvatars(db: Database): AvatarStore {
  return {
    async put(userId, image, hash) {
      await db.pool.query(
        'INSERT INTO user_avatars (user_id, hash, mime, bytes) VALUES ($1, $2, $3, $4) ON CONFLICT (user_id, hash) DO NOTHING',
        [userId, hash, image.mime, image.bytes],
      )
      return avatarPath(userId, hash, image.mime)
    },
  }
}

/** The stored avatar behind an avatarPath, or null. */
export async function readAvatar(db: Database, userId: string, hash: string): Promise<{ mime: string; bytes: Buffer } | null> {
  const { rows } = await db.pool.query<{ mime: string; bytes: Buffer }>(
    'SELECT mime, bytes FROM user_avatars WHERE user_id = $1 AND hash = $2',
    [userId, hash],
  )
  return rows[0] ?? null
}
