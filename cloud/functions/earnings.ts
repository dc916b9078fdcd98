import { contract } from '../contract'
import * as deal from '../core/deal/deal.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('earnings', {
  mine: action({ input: contract.earnings.mine.input, access: 'user', run: (ctx) => deal.earnings(ctx) }),
})
