import * as flash from '../core/flash/flash.service'
import { defineHandler } from './define'

export const handler = defineHandler('flash', {
  list: { access: 'user', run: (ctx) => flash.list(ctx) },
})
