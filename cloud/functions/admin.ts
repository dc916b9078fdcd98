import { contract } from '../contract'
import * as admin from '../core/admin/admin.service'
import * as coupon from '../core/coupon/coupon.service'
import * as deal from '../core/deal/deal.service'
import * as flash from '../core/flash/flash.service'
import * as live from '../core/live/live.service'
import * as order from '../core/order/order.service'
import { action, defineHandler } from './define'

const c = contract.admin
export const handler = defineHandler('admin', {
  createProduct: action({ input: c.createProduct.input, access: 'admin', run: admin.createProduct }),
  ship: action({ input: c.ship.input, access: 'admin', run: order.ship }),
  approveRefund: action({ input: c.approveRefund.input, access: 'admin', run: order.approveRefund }),
  rejectRefund: action({ input: c.rejectRefund.input, access: 'admin', run: order.rejectRefund }),
  refund: action({ input: c.refund.input, access: 'admin', run: order.merchantRefund }),
  createCoupon: action({ input: c.createCoupon.input, access: 'admin', run: coupon.createCoupon }),
  issueCoupon: action({ input: c.issueCoupon.input, access: 'admin', run: coupon.issue }),
  createDealCampaign: action({ input: c.createDealCampaign.input, access: 'admin', run: deal.createCampaign }),
  createFlashSale: action({ input: c.createFlashSale.input, access: 'admin', run: flash.createFlashSale }),
  createLiveRoom: action({ input: c.createLiveRoom.input, access: 'admin', run: live.createRoom }),
  setLiveStatus: action({ input: c.setLiveStatus.input, access: 'admin', run: live.setStatus }),
  pushGoods: action({ input: c.pushGoods.input, access: 'admin', run: live.pushGoods }),
  dropCoupon: action({ input: c.dropCoupon.input, access: 'admin', run: live.dropCoupon }),
  commitLottery: action({ input: c.commitLottery.input, access: 'admin', run: live.commitLottery }),
  drawLottery: action({ input: c.drawLottery.input, access: 'admin', run: live.drawLottery }),
  roomStats: action({ input: c.roomStats.input, access: 'admin', run: live.roomStats }),
  shareRecords: action({ input: c.shareRecords.input, access: 'admin', run: live.shareRecords }),
  awardTopSharers: action({ input: c.awardTopSharers.input, access: 'admin', run: live.awardTopSharers }),
  issueRoomCoupon: action({ input: c.issueRoomCoupon.input, access: 'admin', run: live.issueRoomCoupon }),
})
