/**
 * The code the login page shows, kept in the tab's sessionStorage while it is pending: a reload
 * resumes polling the same ticket (the phone may be about to confirm it) instead of showing a new code
 * the phone knows nothing of. Only what the poll needs and the code's image; gone once it ends.
 */
import type { ConsoleTicket } from '../../../../cloud/contract'

export const PENDING_KEY = 'weshop-console-pending-ticket'

export type PendingTicket = Pick<ConsoleTicket, 'ticket' | 'secret' | 'expiresAt' | 'codeImage' | 'scene' | 'page'>

type Store = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>

const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0

/** The pending ticket kept in `store`, when there is one that has not expired at `now`; anything else is dropped. */
export function loadPending(store: Store, now: number): PendingTicket | null {
  let kept: Partial<PendingTicket> | null = null
  try {
    kept = JSON.parse(store.getItem(PENDING_KEY) ?? 'null') as Partial<PendingTicket> | null
  } catch {
    kept = null
  }
  const ok =
    !!kept &&
    isText(kept.ticket) &&
    isText(kept.secret) &&
    isText(kept.codeImage) &&
    isText(kept.expiresAt) &&
    Date.parse(kept.expiresAt) > now
  if (!ok) {
    clearPending(store)
    return null
  }
  const t = kept as PendingTicket
  return {
    ticket: t.ticket,
    secret: t.secret,
    expiresAt: t.expiresAt,
    codeImage: t.codeImage,
    scene: t.scene ?? t.ticket,
    page: t.page ?? '',
  }
}

export function savePending(store: Store, t: PendingTicket): void {
  try {
    const { ticket, secret, expiresAt, codeImage, scene, page } = t
    store.setItem(PENDING_KEY, JSON.stringify({ ticket, secret, expiresAt, codeImage, scene, page }))
  } catch {
    // Storage full or refused: a reload then shows a new code, as before.
  }
}

export function clearPending(store: Store): void {
  try {
    store.removeItem(PENDING_KEY)
  } catch {
    // nothing kept
  }
}
