import * as admin from '../core/admin/admin.service'
import * as board from '../core/admin/dashboard.service'
import * as catalog from '../core/admin/products.service'
import * as people from '../core/admin/staff.service'
import * as coupon from '../core/coupon/coupon.service'
import * as couponDesk from '../core/coupon/marketing.service'
import * as members from '../core/customer/members.service'
import * as memberWays from '../core/member/ways-admin.service'
import * as membership from '../core/member/member.service'
import * as campaigns from '../core/deal/campaigns.service'
import * as assistDesk from '../core/assist/campaigns.service'
import * as withdrawal from '../core/deal/withdrawal.service'
import * as flashDesk from '../core/flash/sales-admin.service'
import * as groupDesk from '../core/group/group-desk.service'
import * as liveConsole from '../core/live/console.service'
import * as shows from '../core/live/shows.service'
import * as desk from '../core/order/desk.service'
import * as orders from '../core/order/merchant.service'
import * as sharers from '../core/sharer/sharers.service'
import { defineHandler, type StaffAccess } from './define'

// Who may run what, besides the owner (who runs everything). Writes are audited; `read` ones are not.
const ownerOnly: StaffAccess = { staff: [] }
const ownerReads: StaffAccess = { staff: [], read: true }
const catalogWrite: StaffAccess = { staff: ['operator'] }
const catalogRead: StaffAccess = { staff: ['operator'], read: true }
const marketing: StaffAccess = { staff: ['operator'] }
const marketingRead: StaffAccess = { staff: ['operator'], read: true }
const customersRead: StaffAccess = { staff: ['operator', 'service'], read: true }
const anyStaffRead: StaffAccess = { staff: ['operator', 'service', 'anchor', 'guide'], read: true }
const orderWrite: StaffAccess = { staff: ['service'] }
const orderRead: StaffAccess = { staff: ['service'], read: true }
const liveWrite: StaffAccess = { staff: ['operator', 'anchor'] }
const liveRead: StaffAccess = { staff: ['operator', 'anchor'], read: true }

export const handler = defineHandler('admin', {
  // staff and the audit log
  staff: { access: ownerReads, run: people.staff },
  setStaff: { access: ownerOnly, run: people.setStaff },
  users: { access: ownerReads, run: people.users },
  auditLog: { access: ownerReads, run: people.auditLog },
  // 概览
  dashboard: { access: catalogRead, run: board.dashboard },
  // 商品
  products: { access: catalogRead, run: catalog.products },
  product: { access: catalogRead, run: catalog.product },
  createProduct: { access: catalogWrite, run: admin.createProduct },
  updateProduct: { access: catalogWrite, run: admin.updateProduct },
  saveSkus: { access: catalogWrite, run: catalog.saveSkus },
  adjustStock: { access: catalogWrite, run: catalog.adjustStock },
  stockChanges: { access: catalogRead, run: catalog.stockChanges },
  categories: { access: catalogRead, run: catalog.categories },
  saveCategory: { access: catalogWrite, run: catalog.saveCategory },
  // 订单
  orders: { access: orderRead, run: desk.orders },
  order: { access: orderRead, run: desk.order },
  exportOrders: { access: orderRead, run: desk.exportOrders },
  ship: { access: orderWrite, run: orders.ship },
  shipBatch: { access: orderWrite, run: desk.shipBatch },
  approveRefund: { access: orderWrite, run: orders.approveRefund },
  rejectRefund: { access: orderWrite, run: orders.rejectRefund },
  refund: { access: orderWrite, run: orders.merchantRefund },
  // marketing (the anchor creates room-only coupons from the console: coupon.createCoupon checks that)
  createCoupon: { access: liveWrite, run: coupon.createCoupon },
  coupons: { access: marketingRead, run: couponDesk.coupons },
  coupon: { access: marketingRead, run: couponDesk.coupon },
  updateCoupon: { access: marketing, run: couponDesk.updateCoupon },
  setCouponStatus: { access: marketing, run: couponDesk.setCouponStatus },
  issueCoupon: { access: marketing, run: members.issueCoupon },
  createDealCampaign: { access: marketing, run: campaigns.createCampaign },
  dealCampaigns: { access: marketingRead, run: campaigns.dealCampaigns },
  dealCampaign: { access: marketingRead, run: campaigns.dealCampaign },
  updateDealCampaign: { access: marketing, run: campaigns.updateDealCampaign },
  createAssistCampaign: { access: marketing, run: assistDesk.createCampaign },
  assistCampaigns: { access: marketingRead, run: assistDesk.assistCampaigns },
  assistCampaign: { access: marketingRead, run: assistDesk.assistCampaign },
  updateAssistCampaign: { access: marketing, run: assistDesk.updateCampaign },
  // customers (客户): 运营 and 客服 read them; grants are marketing's
  members: { access: customersRead, run: members.members },
  segments: { access: customersRead, run: members.segments },
  member: { access: customersRead, run: members.member },
  // 会员渠道: how customers joined (phone, 企业微信) and whether WeCom's callback arrives
  memberWays: { access: customersRead, run: memberWays.memberWays },
  // 会员: the rules are marketing's; 运营 reads the results and the members
  memberSettings: { access: marketingRead, run: membership.memberSettings },
  saveMemberSettings: { access: marketing, run: membership.saveMemberSettings },
  memberStats: { access: marketingRead, run: membership.memberStats },
  memberList: { access: marketingRead, run: membership.memberList },
  // sharers and guides (分销 / 导购): every staff member has a guide code
  sharers: { access: marketingRead, run: sharers.sharers },
  guideCode: { access: anyStaffRead, run: sharers.guideCode },
  // 提现: the owner's alone
  withdrawals: { access: ownerReads, run: withdrawal.list },
  approveWithdrawal: { access: ownerOnly, run: withdrawal.approve },
  rejectWithdrawal: { access: ownerOnly, run: withdrawal.reject },
  createFlashSale: { access: marketing, run: flashDesk.createFlashSale },
  flashSales: { access: marketingRead, run: flashDesk.flashSales },
  updateFlashSale: { access: marketing, run: flashDesk.updateFlashSale },
  endFlashSale: { access: marketing, run: flashDesk.endFlashSale },
  // 拼团
  groupCampaigns: { access: marketingRead, run: groupDesk.groupCampaigns },
  groupCampaign: { access: marketingRead, run: groupDesk.groupCampaign },
  createGroupCampaign: { access: marketing, run: groupDesk.createGroupCampaign },
  updateGroupCampaign: { access: marketing, run: groupDesk.updateGroupCampaign },
  endGroupCampaign: { access: marketing, run: groupDesk.endGroupCampaign },
  // live rooms
  createLiveRoom: { access: liveWrite, run: liveConsole.createRoom },
  setLiveStatus: { access: liveWrite, run: liveConsole.setStatus },
  pushGoods: { access: liveWrite, run: liveConsole.pushGoods },
  dropCoupon: { access: liveWrite, run: liveConsole.dropCoupon },
  roomCoupons: { access: liveRead, run: liveConsole.roomCoupons },
  commitLottery: { access: liveWrite, run: liveConsole.commitLottery },
  drawLottery: { access: liveWrite, run: liveConsole.drawLottery },
  roomStats: { access: liveRead, run: liveConsole.roomStats },
  shareRecords: { access: liveRead, run: liveConsole.shareRecords },
  awardTopSharers: { access: liveWrite, run: liveConsole.awardTopSharers },
  issueRoomCoupon: { access: liveWrite, run: liveConsole.issueRoomCoupon },
  liveRooms: { access: liveRead, run: shows.liveRooms },
  liveRoom: { access: liveRead, run: shows.liveRoom },
  updateLiveRoom: { access: liveWrite, run: shows.updateLiveRoom },
  roomReport: { access: liveRead, run: shows.roomReport },
})
