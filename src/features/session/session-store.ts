import { create } from 'zustand'
import type { UserView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'

interface SessionState {
  user: UserView | null
  status: LoadStatus
  error: string | null
  /** Loads the signed-in user once; later calls reuse it unless `force`. */
  load: (force?: boolean) => Promise<void>
}

export const useSessionStore = create<SessionState>()((set, get) => ({
  user: null,
  status: 'idle',
  error: null,
  async load(force = false) {
    if (get().status === 'loading' || (get().status === 'ready' && !force)) return
    set({ status: 'loading', error: null })
    try {
      const { user } = await call('auth', 'me', {})
      set({ user, status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
}))
