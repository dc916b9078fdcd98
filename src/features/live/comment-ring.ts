import type { Comment } from '../../../cloud/contract'

/** How many comments stay on screen: older ones leave the window (and setData). */
export const COMMENT_WINDOW = 50

/** A comment in its screen slot; `n`, its arrival number, orders the slots on screen. */
export interface CommentSlot {
  n: number
  comment: Comment
}

/**
 * The comments on screen as a ring of COMMENT_WINDOW slots. A new comment takes the slot of the
 * oldest one instead of shifting the list: in a mini-program, removing the first of 50 rows makes
 * Taro send all 50 again in setData, where replacing one slot sends that slot alone. The slots are
 * shown in arrival order by their `n` (CSS `order`), so the screen reads oldest to newest.
 */
export interface CommentRing {
  slots: CommentSlot[]
  /** Comments placed so far: the next one's arrival number. */
  arrived: number
  /** The newest comment id placed: a comment seen again (a full resync) is skipped. */
  lastId: number
}

export const emptyRing: CommentRing = { slots: [], arrived: 0, lastId: 0 }

/** Places the comments (oldest first, as the backend sends them) that are newer than the ring's. */
export function pushComments(ring: CommentRing, incoming: Comment[], size = COMMENT_WINDOW): CommentRing {
  const fresh = incoming.filter((c) => c.id > ring.lastId).slice(-size)
  if (fresh.length === 0) return ring
  const slots = ring.slots.slice()
  let n = ring.arrived
  for (const comment of fresh) {
    slots[n % size] = { n, comment }
    n++
  }
  return { slots, arrived: n, lastId: fresh.at(-1)!.id }
}

/** The comments on screen, oldest first. */
export const inOrder = (ring: CommentRing): Comment[] =>
  ring.slots
    .slice()
    .sort((a, b) => a.n - b.n)
    .map((s) => s.comment)
