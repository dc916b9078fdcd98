import { contract } from '../contract'
import * as flash from '../core/flash/flash.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('flash', {
  list: action({ input: contract.flash.list.input, access: 'user', run: (ctx) => flash.list(ctx) }),
})
