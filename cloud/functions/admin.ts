import * as admin from '../core/admin/admin.service'
import * as coupon from '../core/coupon/coupon.service'
import * as deal from '../core/deal/deal.service'
import * as flash from '../core/flash/flash.service'
import * as live from '../core/live/live.service'
import * as order from '../core/order/order.service'
import { defineHandler } from './define'

export const handler = defineHandler('admin', {
  createProduct: { access: 'admin', run: admin.createProduct },
  ship: { access: 'admin', run: order.ship },
  approveRefund: { access: 'admin', run: order.approveRefund },
  rejectRefund: { access: 'admin', run: order.rejectRefund },
  refund: { access: 'admin', run: order.merchantRefund },
  createCoupon: { access: 'admin', run: coupon.createCoupon },
  issueCoupon: { access: 'admin', run: coupon.issue },
  createDealCampaign: { access: 'admin', run: deal.createCampaign },
  createFlashSale: { access: 'admin', run: flash.createFlashSale },
  createLiveRoom: { access: 'admin', run: live.createRoom },
  setLiveStatus: { access: 'admin', run: live.setStatus },
  pushGoods: { access: 'admin', run: live.pushGoods },
  dropCoupon: { access: 'admin', run: live.dropCoupon },
  commitLottery: { access: 'admin', run: live.commitLottery },
  drawLottery: { access: 'admin', run: live.drawLottery },
  roomStats: { access: 'admin', run: live.roomStats },
  shareRecords: { access: 'admin', run: live.shareRecords },
  awardTopSharers: { access: 'admin', run: live.awardTopSharers },
  issueRoomCoupon: { access: 'admin', run: live.issueRoomCoupon },
})
