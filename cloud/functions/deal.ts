import { contract } from '../contract'
import * as deal from '../core/deal/deal.service'
import { action, defineHandler } from './define'

const c = contract.deal
export const handler = defineHandler('deal', {
  status: action({ input: c.status.input, access: 'user', run: deal.status }),
  acceptInvite: action({ input: c.acceptInvite.input, access: 'user', run: deal.acceptInvite }),
  claim: action({ input: c.claim.input, access: 'user', run: deal.claim }),
})
