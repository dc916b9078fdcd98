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
  /** The first page of the ledger again. */
  loadLedger: () => Promise<void>
  loadMore: () => Promise<void>
}

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
      set({ status: await call('member', 'status', {}), load: 'ready' })
    } catch (err) {
      set({ load: 'error', error: errorMessage(err) })
    }
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
