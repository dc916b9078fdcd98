import { create } from 'zustand'
import type { MemberStatus, PointsEntry } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'

interface MemberState {
  status: MemberStatus | null
  load: LoadStatus
  error: string | null
  /** The points ledger, newest first, as paged so far. */
  entries: PointsEntry[]
  nextCursor: string | null
  ledger: LoadStatus
  loadStatus: () => Promise<void>
  /**
   * The status again only when it is older than `maxAgeMs` (or was never read): for pages that only
   * need to know whether the shopper is a member (the cart's 会员价 line), without a call at every show.
   */
  ensureStatus: (maxAgeMs: number) => Promise<void>
  /** The first page of the ledger again. */
  loadLedger: () => Promise<void>
  loadMore: () => Promise<void>
}

/** When the status was last read (epoch ms; 0: never): kept out of the state, since nothing shows it. */
let statusAt = 0

/** The shopper's membership (tier, points, the shop's rules) and their points ledger. */
export const useMemberStore = create<MemberState>((set, get) => ({
  status: null,
  load: 'idle',
  error: null,
  entries: [],
  nextCursor: null,
  ledger: 'idle',
  async loadStatus() {
    set({ load: 'loading', error: null })
    try {
      const status = await call('member', 'status', {})
      statusAt = Date.now()
      set({ status, load: 'ready' })
    } catch (err) {
      set({ load: 'error', error: errorMessage(err) })
    }
  },
  async ensureStatus(maxAgeMs) {
    if (get().load === 'loading' || (get().status && Date.now() - statusAt < maxAgeMs)) return
    await get().loadStatus()
  },
  async loadLedger() {
    set({ ledger: 'loading' })
    try {
      const page = await call('member', 'points', {})
      set({ entries: page.items, nextCursor: page.nextCursor, ledger: 'ready' })
    } catch {
      set({ ledger: 'error' })
    }
  },
  async loadMore() {
    const { nextCursor, ledger } = get()
    if (!nextCursor || ledger === 'loading') return
    set({ ledger: 'loading' })
    try {
      const page = await call('member', 'points', { cursor: nextCursor })
      set((s) => ({ entries: [...s.entries, ...page.items], nextCursor: page.nextCursor, ledger: 'ready' }))
    } catch {
      set({ ledger: 'error' })
    }
  },
}))
