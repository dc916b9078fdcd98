import * as deal from '../core/deal/deal.service'
import { defineHandler } from './define'

export const handler = defineHandler('deal', {
  status: { access: 'user', run: deal.status },
  acceptInvite: { access: 'user', run: deal.acceptInvite },
  preview: { access: 'user', run: deal.preview },
  claim: { access: 'user', run: deal.claim },
})
