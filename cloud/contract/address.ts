import { z } from 'zod'
import { Id } from './common'

export const AddressFields = z.object({
  name: z.string().trim().min(1).max(20),
  phone: z
    .string()
    .trim()
    .regex(/^[0-9+\-\s]{5,20}$/),
  province: z.string().trim().min(1).max(20),
  city: z.string().trim().min(1).max(20),
  district: z.string().trim().max(20),
  detail: z.string().trim().min(1).max(120),
})
export type AddressFields = z.infer<typeof AddressFields>
export const Address = AddressFields.extend({ id: Id, isDefault: z.boolean() })
export type Address = z.infer<typeof Address>

export const AddressSaveInput = AddressFields.extend({ id: Id.optional(), isDefault: z.boolean().optional() })
export type AddressSaveInput = z.infer<typeof AddressSaveInput>

export const addressActions = {
  list: { input: z.object({}), output: z.object({ items: z.array(Address) }) },
  save: { input: AddressSaveInput, output: z.object({ address: Address }) },
  remove: { input: z.object({ id: Id }), output: z.object({}) },
}
