import * as live from '../core/live/live.service'
import { defineHandler } from './define'

export const handler = defineHandler('live', {
  list: { access: 'user', run: (ctx) => live.list(ctx) },
  enter: { access: 'user', run: live.enter },
  sync: { access: 'user', run: live.sync },
  comment: { access: 'user', run: live.comment },
  like: { access: 'user', run: live.like },
  subscribe: { access: 'user', run: live.subscribe },
  leaderboard: { access: 'user', run: live.leaderboard },
  lotteries: { access: 'user', run: live.lotteries },
  sharePoster: { access: 'user', run: live.sharePoster },
  verifyLottery: { access: 'user', run: live.verifyLottery },
})
