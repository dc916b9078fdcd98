import * as group from '../core/group/group.service'
import { defineHandler } from './define'

export const handler = defineHandler('group', {
  campaigns: { access: 'public', run: group.campaigns },
  campaign: { access: 'public', run: group.campaign },
  get: { access: 'user', run: group.get },
  preview: { access: 'user', run: group.preview },
  open: { access: 'user', run: group.open },
  join: { access: 'user', run: group.join },
})
