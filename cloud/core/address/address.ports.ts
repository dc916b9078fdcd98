/** What saved addresses need from storage. */
import type { Address, AddressSaveInput } from '../../contract'

export interface AddressRepo {
  list(userId: string): Promise<Address[]>
  byId(userId: string, id: string): Promise<Address | null>
  /**
   * Updates the user's address `input.id`, or adds one only while the user has fewer than `max`
   * (counted under the user's lock, so racing saves can't pass it); null when neither applied.
   */
  save(userId: string, input: AddressSaveInput, max: number): Promise<Address | null>
  /** Deletes the user's address `id`; false when the user has no such address. */
  remove(userId: string, id: string): Promise<boolean>
}
