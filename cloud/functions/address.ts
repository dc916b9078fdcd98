import { contract } from '../contract'
import * as address from '../core/address/address.service'
import { action, defineHandler } from './define'

const c = contract.address
export const handler = defineHandler('address', {
  list: action({ input: c.list.input, access: 'user', run: (ctx) => address.list(ctx) }),
  save: action({ input: c.save.input, access: 'user', run: address.save }),
  remove: action({ input: c.remove.input, access: 'user', run: address.remove }),
})
