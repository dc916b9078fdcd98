import { create } from 'zustand'
import type { RoomCard } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'

interface LiveListState {
  live: RoomCard[]
  upcoming: RoomCard[]
  ended: RoomCard[]
  status: LoadStatus
  error: string | null
  load: () => Promise<void>
}

export const useLiveListStore = create<LiveListState>()((set) => ({
  live: [],
  upcoming: [],
  ended: [],
  status: 'idle',
  error: null,
  async load() {
    set((s) => ({ status: s.status === 'ready' ? 'ready' : 'loading', error: null }))
    try {
      set({ ...(await call('live', 'list', {})), status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
}))
