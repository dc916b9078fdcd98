import * as admin from '../core/admin/admin.service'
import * as coupon from '../core/coupon/coupon.service'
import * as deal from '../core/deal/deal.service'
import * as flash from '../core/flash/flash.service'
import * as liveConsole from '../core/live/console.service'
import * as orders from '../core/order/merchant.service'
import { defineHandler } from './define'

export const handler = defineHandler('admin', {
  createProduct: { access: 'admin', run: admin.createProduct },
  updateProduct: { access: 'admin', run: admin.updateProduct },
  ship: { access: 'admin', run: orders.ship },
  approveRefund: { access: 'admin', run: orders.approveRefund },
  rejectRefund: { access: 'admin', run: orders.rejectRefund },
  refund: { access: 'admin', run: orders.merchantRefund },
  createCoupon: { access: 'admin', run: coupon.createCoupon },
  issueCoupon: { access: 'admin', run: coupon.issue },
  createDealCampaign: { access: 'admin', run: deal.createCampaign },
  createFlashSale: { access: 'admin', run: flash.createFlashSale },
  createLiveRoom: { access: 'admin', run: liveConsole.createRoom },
  setLiveStatus: { access: 'admin', run: liveConsole.setStatus },
  pushGoods: { access: 'admin', run: liveConsole.pushGoods },
  dropCoupon: { access: 'admin', run: liveConsole.dropCoupon },
  roomCoupons: { access: 'admin', run: liveConsole.roomCoupons },
  commitLottery: { access: 'admin', run: liveConsole.commitLottery },
  drawLottery: { access: 'admin', run: liveConsole.drawLottery },
  roomStats: { access: 'admin', run: liveConsole.roomStats },
  shareRecords: { access: 'admin', run: liveConsole.shareRecords },
  awardTopSharers: { access: 'admin', run: liveConsole.awardTopSharers },
  issueRoomCoupon: { access: 'admin', run: liveConsole.issueRoomCoupon },
})
