/**
 * The scene of a room's share poster code. A mini-program code (wxacode.getUnlimited) carries at
 * most 32 visible characters, so the poster packs the room and the sharer as 32 hex: the 16 hex of
 * the room id after `r_`, then the 16 hex of the sharer's id after `u_`. The page opened by the code
 * gets it as `scene` (URL-encoded by WeChat) and treats it like `id` + `sharerId`.
 */

const HEX16 = /^[0-9a-f]{16}$/

/** The scene for a room and its sharer; null when an id is not of the generated `r_`/`u_` + 16 hex form. */
export function encodeScene(roomId: string, sharerId: string): string | null {
  const room = roomId.startsWith('r_') ? roomId.slice(2) : ''
  const sharer = sharerId.startsWith('u_') ? sharerId.slice(2) : ''
  return HEX16.test(room) && HEX16.test(sharer) ? room + sharer : null
}

/** The room and sharer a scene names; null for anything else (a scene of another kind, a damaged one). */
export function decodeScene(scene: string | undefined | null): { roomId: string; sharerId: string } | null {
  if (!scene) return null
  let text = scene
  try {
    text = decodeURIComponent(scene)
  } catch {
    return null
  }
  text = text.trim().toLowerCase()
  if (!/^[0-9a-f]{32}$/.test(text)) return null
  return { roomId: `r_${text.slice(0, 16)}`, sharerId: `u_${text.slice(16)}` }
}

/** What the room page was opened for: `scene` from a poster's code, or `id` and `sharerId` from a link. */
export function roomEntry(params: Record<string, string | undefined>): { roomId: string; sharerId?: string } {
  const fromScene = decodeScene(params.scene)
  if (fromScene) return fromScene
  return { roomId: params.id ?? '', ...(params.sharerId ? { sharerId: params.sharerId } : {}) }
}
