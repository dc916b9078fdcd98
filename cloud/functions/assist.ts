import * as assist from '../core/assist/assist.service'
import { defineHandler } from './define'

export const handler = defineHandler('assist', {
  list: { access: 'user', run: assist.list },
  campaign: { access: 'user', run: assist.campaign },
  start: { access: 'user', run: assist.start },
  task: { access: 'user', run: assist.task },
  help: { access: 'user', run: assist.help },
  preview: { access: 'user', run: assist.preview },
  buy: { access: 'user', run: assist.buy },
})
