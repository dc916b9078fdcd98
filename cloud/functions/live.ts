import { contract } from '../contract'
import * as live from '../core/live/live.service'
import { action, defineHandler } from './define'

const c = contract.live
export const handler = defineHandler('live', {
  list: action({ input: c.list.input, access: 'user', run: (ctx) => live.list(ctx) }),
  enter: action({ input: c.enter.input, access: 'user', run: live.enter }),
  sync: action({ input: c.sync.input, access: 'user', run: live.sync }),
  comment: action({ input: c.comment.input, access: 'user', run: live.comment }),
  like: action({ input: c.like.input, access: 'user', run: live.like }),
  subscribe: action({ input: c.subscribe.input, access: 'user', run: live.subscribe }),
  leaderboard: action({ input: c.leaderboard.input, access: 'user', run: live.leaderboard }),
  lotteries: action({ input: c.lotteries.input, access: 'user', run: live.lotteries }),
  verifyLottery: action({ input: c.verifyLottery.input, access: 'user', run: live.verifyLottery }),
})
