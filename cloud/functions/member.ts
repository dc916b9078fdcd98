import * as join from '../core/member/join.service'
import * as member from '../core/member/member.service'
import { defineHandler } from './define'

// The caller's membership and points (member.service.ts); the ways in (join.service.ts).
export const handler = defineHandler('member', {
  status: { access: 'user', run: member.status },
  points: { access: 'user', run: member.points },
  joinByPhone: { access: 'user', run: join.joinByPhone },
  wecomContact: { access: 'user', run: join.wecomContact },
})
