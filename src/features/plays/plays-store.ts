import { create } from 'zustand'
import type { HomeGroupPlay, HomePriceCutPlay } from '../../../cloud/contract'
import { call } from '../../api/call'

interface PlaysState {
  groups: HomeGroupPlay[]
  priceCuts: HomePriceCutPlay[]
  /**
   * The home strip's 拼团 and 砍价 open now (catalog.plays). A failed load keeps what was shown (or
   * nothing): the strip is an extra of the home page, never an error of its own.
   */
  load: () => Promise<void>
}

export const usePlaysStore = create<PlaysState>()((set) => ({
  groups: [],
  priceCuts: [],
  async load() {
    try {
      const { groups, priceCuts } = await call('catalog', 'plays', {})
      set({ groups, priceCuts })
    } catch {
      // The strip simply stays as it was (absent on a first load).
    }
  },
}))
