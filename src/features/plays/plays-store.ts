import { create } from 'zustand'
import type { HomeGroupPlay, HomePriceCutPlay } from '../../../cloud/contract'
import { call } from '../../api/call'
import { useServerClock } from '../shared/server-clock'

interface PlaysState {
  groups: HomeGroupPlay[]
  priceCuts: HomePriceCutPlay[]
  /**
   * The home strip's 拼团 and 砍价 open now (catalog.plays), the server's clock synced from its answer.
   * A failed load clears the strip (absent on error, docs/rules.md): the strip is an extra of the home
   * page, never an error of its own, and never shows plays it could not confirm.
   */
  load: () => Promise<void>
}

export const usePlaysStore = create<PlaysState>()((set) => ({
  groups: [],
  priceCuts: [],
  async load() {
    try {
      const { groups, priceCuts, serverTime } = await call('catalog', 'plays', {})
      useServerClock.getState().sync(serverTime)
      set({ groups, priceCuts })
    } catch {
      set({ groups: [], priceCuts: [] })
    }
  },
}))
