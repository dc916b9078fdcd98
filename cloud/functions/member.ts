import { fail } from '../core/errors'
import * as join from '../core/member/join.service'
import { defineHandler } from './define'

// Stubs until issue 18's membership work lands: each answers NOT_FOUND. The ways in (joinByPhone,
// wecomContact) are cloud/core/member/join.service.ts.
const notYet = async (): Promise<never> => fail('NOT_FOUND', '会员功能即将上线')

export const handler = defineHandler('member', {
  status: { access: 'user', run: notYet },
  points: { access: 'user', run: notYet },
  joinByPhone: { access: 'user', run: join.joinByPhone },
  wecomContact: { access: 'user', run: join.wecomContact },
})
