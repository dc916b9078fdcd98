import { fail } from '../core/errors'
import * as member from '../core/member/member.service'
import { defineHandler } from './define'

// joinByPhone and wecomContact: stubs until the ways in land (each answers NOT_FOUND).
const notYet = async (): Promise<never> => fail('NOT_FOUND', '会员功能即将上线')

export const handler = defineHandler('member', {
  status: { access: 'user', run: member.status },
  points: { access: 'user', run: member.points },
  joinByPhone: { access: 'user', run: notYet },
  wecomContact: { access: 'user', run: notYet },
})
