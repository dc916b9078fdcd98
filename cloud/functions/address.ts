import * as address from '../core/address/address.service'
import { defineHandler } from './define'

export const handler = defineHandler('address', {
  list: { access: 'user', run: (ctx) => address.list(ctx) },
  save: { access: 'user', run: address.save },
  remove: { access: 'user', run: address.remove },
})
