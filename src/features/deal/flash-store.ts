import { create } from 'zustand'
import type { FlashSaleView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { useServerClock } from '../shared/server-clock'

interface FlashState {
  items: FlashSaleView[]
  status: LoadStatus
  error: string | null
  load: () => Promise<void>
}

export const useFlashStore = create<FlashState>()((set) => ({
  items: [],
  status: 'idle',
  error: null,
  async load() {
    set({ status: 'loading', error: null })
    try {
      const { serverTime, items } = await call('flash', 'list', {})
      // The list's countdowns start from the server's time, never the device's.
      useServerClock.getState().sync(serverTime)
      set({ items, status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
}))
