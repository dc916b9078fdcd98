import { create } from 'zustand'
import type { ActionOutput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'

type Earnings = ActionOutput<'earnings', 'mine'>

interface EarningsState {
  earnings: Earnings | null
  status: LoadStatus
  error: string | null
  load: () => Promise<void>
}

export const useEarningsStore = create<EarningsState>()((set) => ({
  earnings: null,
  status: 'idle',
  error: null,
  async load() {
    set({ status: 'loading', error: null })
    try {
      set({ earnings: await call('earnings', 'mine', {}), status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
}))
