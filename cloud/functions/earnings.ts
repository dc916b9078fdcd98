import * as deal from '../core/deal/deal.service'
import { defineHandler } from './define'

export const handler = defineHandler('earnings', {
  mine: { access: 'user', run: (ctx) => deal.earnings(ctx) },
})
