import { create } from 'zustand'
import type { Address, AddressSaveInput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { attempt, type Outcome } from '../shared/outcome'

interface AddressState {
  items: Address[]
  status: LoadStatus
  error: string | null
  /** The address checkout ships to; the default one unless the shopper picked another. */
  chosenId: string | null
  load: () => Promise<void>
  /** Saves and chooses the address for checkout. */
  save: (input: AddressSaveInput) => Promise<Outcome<Address>>
  remove: (id: string) => Promise<Outcome>
  choose: (id: string) => void
}

export const useAddressStore = create<AddressState>()((set, get) => ({
  items: [],
  status: 'idle',
  error: null,
  chosenId: null,
  async load() {
    set({ status: 'loading', error: null })
    try {
      const { items } = await call('address', 'list', {})
      const chosen = get().chosenId
      set({ items, status: 'ready', chosenId: items.some((a) => a.id === chosen) ? chosen : (items.find((a) => a.isDefault)?.id ?? null) })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
  save: (input) =>
    attempt(async () => {
      const { address } = await call('address', 'save', input)
      await get().load()
      set({ chosenId: address.id })
      return address
    }),
  remove: (id) =>
    attempt(async () => {
      await call('address', 'remove', { id })
      await get().load()
    }),
  choose: (id) => set({ chosenId: id }),
}))

export const chosenAddress = (s: Pick<AddressState, 'items' | 'chosenId'>): Address | null =>
  s.items.find((a) => a.id === s.chosenId) ?? null
