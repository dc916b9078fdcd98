import type { Comment } from '../../../cloud/contract'

/** How many comments stay in the stream: older ones leave the window (and setData). */
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
  /** The newest comment id the polls brought: a comment seen again (a full resync) is skipped. */
  lastId: number
  /**
   * The viewer's own comments placed at once, ahead of the polls (ids above `lastId`): when a poll
   * brings one of them it is skipped, and it leaves this list once the polls have passed it.
   */
  ahead: number[]
}

export const emptyRing: CommentRing = { slots: [], arrived: 0, lastId: 0, ahead: [] }

function place(ring: CommentRing, fresh: Comment[], size: number): Pick<CommentRing, 'slots' | 'arrived'> {
  const slots = ring.slots.slice()
  let n = ring.arrived
  for (const comment of fresh) {
    slots[n % size] = { n, comment }
    n++
  }
  return { slots, arrived: n }
}

/** Places the comments (oldest first, as the backend sends them) that are newer than the ring's and not on screen already. */
export function pushComments(ring: CommentRing, incoming: Comment[], size = COMMENT_WINDOW): CommentRing {
  const fresh = incoming.filter((c) => c.id > ring.lastId && !ring.ahead.includes(c.id)).slice(-size)
  const lastId = Math.max(ring.lastId, ...incoming.map((c) => c.id))
  if (fresh.length === 0 && lastId === ring.lastId) return ring
  const ahead = ring.ahead.filter((id) => id > lastId)
  if (fresh.length === 0) return { ...ring, lastId, ahead }
  return { ...place(ring, fresh, size), lastId, ahead }
}

/** The viewer's own comment, shown the moment the backend took it, before the next poll brings it (then skipped). */
export function pushOwn(ring: CommentRing, comment: Comment, size = COMMENT_WINDOW): CommentRing {
  if (comment.id <= ring.lastId || ring.ahead.includes(comment.id)) return ring
  return { ...place(ring, [comment], size), lastId: ring.lastId, ahead: [...ring.ahead, comment.id] }
}

/** The comments on screen, oldest first. */
export const inOrder = (ring: CommentRing): Comment[] =>
  ring.slots
    .slice()
    .sort((a, b) => a.n - b.n)
    .map((s) => s.comment)
