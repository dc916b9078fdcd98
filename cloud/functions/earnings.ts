import * as deal from '../core/deal/deal.service'
import * as withdrawal from '../core/deal/withdrawal.service'
import { defineHandler } from './define'

export const handler = defineHandler('earnings', {
  mine: { access: 'user', run: (ctx) => deal.earnings(ctx) },
  withdraw: { access: 'user', run: withdrawal.withdraw },
  withdrawals: { access: 'user', run: (ctx) => withdrawal.mine(ctx) },
})
