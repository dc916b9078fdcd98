/**
 * The closed list of error codes a call can answer with, with the HTTP status that mirrors the
 * envelope and the Chinese message a shopper sees. Adding a code means adding it here.
 */
export const ERRORS = {
  VALIDATION_FAILED: { status: 400, message: '请求参数有误' },
  UNAUTHENTICATED: { status: 401, message: '请先登录' },
  FORBIDDEN: { status: 403, message: '没有权限进行此操作' },
  NOT_FOUND: { status: 404, message: '内容不存在或已下架' },
  RATE_LIMITED: { status: 429, message: '操作太频繁，请稍后再试' },
  INTERNAL: { status: 500, message: '服务开小差了，请稍后再试' },
  // Business rules that said no (409).
  OUT_OF_STOCK: { status: 409, message: '库存不足' },
  COUPON_SOLD_OUT: { status: 409, message: '优惠券已抢光' },
  COUPON_LIMIT_REACHED: { status: 409, message: '已达到领取上限' },
  COUPON_NOT_ACTIVE: { status: 409, message: '优惠券不在领取时间内' },
  COUPON_NOT_APPLICABLE: { status: 409, message: '该优惠券不适用于此订单' },
  FLASH_SALE_NOT_ACTIVE: { status: 409, message: '秒杀未开始或已结束' },
  FLASH_SALE_SOLD_OUT: { status: 409, message: '秒杀商品已抢光' },
  FLASH_SALE_LIMIT_REACHED: { status: 409, message: '已达到限购数量' },
  NOT_EXISTING_CUSTOMER: { status: 409, message: '老会员专享，完成首单后即可参与' },
  /** Points asked at checkout beyond the member's available balance (also when another order took them at the same moment). */
  POINTS_INSUFFICIENT: { status: 409, message: '积分不足' },
  ORDER_NOT_PAYABLE: { status: 409, message: '订单当前不可支付' },
  ORDER_NOT_CANCELLABLE: { status: 409, message: '订单当前不可取消' },
  ORDER_NOT_REFUNDABLE: { status: 409, message: '订单当前不可申请退款' },
  ORDER_STATUS_CHANGED: { status: 409, message: '订单状态已变化，请刷新后重试' },
  /** An idempotency key repeated with a different request (other goods, address, coupon, note, or a deal vs an order). */
  IDEMPOTENCY_KEY_REUSED: { status: 409, message: '请求已处理，请刷新后重试' },
  ORDER_ALREADY_SHIPPED: { status: 409, message: '订单已发货，物流信息不能更改' },
  DEAL_NOT_NEW_CUSTOMER: { status: 409, message: '新人专享，仅限新顾客领取' },
  DEAL_NO_CLAIMS_LEFT: { status: 409, message: '领取次数已用完，邀请好友可多领' },
  LOTTERY_ALREADY_DRAWN: { status: 409, message: '本轮抽奖已开奖' },
  /** admin.awardTopSharers a second time with another coupon: a room's top 3 are prized once. */
  ROOM_ALREADY_AWARDED: { status: 409, message: '本场直播已发过分享榜奖励' },
  ROOM_NOT_LIVE: { status: 409, message: '直播未开始或已结束' },
  ROOM_STATUS_CHANGED: { status: 409, message: '直播状态已变化，请刷新' },
  RISK_BLOCKED: { status: 409, message: '账号存在风险，暂时无法参与活动' },
  CONTENT_REJECTED: { status: 409, message: '内容含有不适宜的信息，请修改后再发' },
  ADDRESS_LIMIT_REACHED: { status: 409, message: '收货地址已达上限，请先删除不用的地址' },
  /** A staff write on a product (admin.saveSkus, admin.adjustStock) found it held by another for too long. */
  PRODUCT_BUSY: { status: 409, message: '商品正在被修改，请稍后重试' },
  /** earnings.withdraw for more than the settled balance. */
  INSUFFICIENT_BALANCE: { status: 409, message: '可提现余额不足' },
  /** earnings.withdraw while another withdrawal of the caller waits for the owner. */
  WITHDRAWAL_PENDING: { status: 409, message: '已有一笔提现正在处理，请等待处理完成' },
  /** admin.approveWithdrawal / admin.rejectWithdrawal on a withdrawal no longer pending. */
  WITHDRAWAL_STATUS_CHANGED: { status: 409, message: '提现状态已变化，请刷新' },
  /** A merchant's write found warnings to confirm (details.warnings); nothing changed. */
  CONFIRM_REQUIRED: { status: 409, message: '请确认提醒后再提交' },
  /** coupon.claim of a coupon the shop paused. */
  COUPON_PAUSED: { status: 409, message: '优惠券暂停发放，请稍后再来' },
  /** coupon.claim of a coupon the shop ended; admin.setCouponStatus resuming an ended coupon. */
  COUPON_ENDED: { status: 409, message: '优惠券已停止发放' },
  /** deal.claim while the merchant paused the campaign. */
  DEAL_PAUSED: { status: 409, message: '活动已暂停，请稍后再来' },
  /** admin.updateFlashSale / admin.endFlashSale on a sale that already ended. */
  FLASH_SALE_ENDED: { status: 409, message: '秒杀已结束，不能修改' },
  /** assist.start while the campaign is paused, ended or outside its window. */
  ASSIST_NOT_ACTIVE: { status: 409, message: '助力活动未开始或已结束' },
  /** assist.buy after the task's buy deadline (or of a task that expired unfinished). */
  ASSIST_TASK_ENDED: { status: 409, message: '助力已结束，不能再购买' },
  /** assist.buy of a task whose one purchase is held by an order not cancelled. */
  ASSIST_ALREADY_BOUGHT: { status: 409, message: '已经下过单了，请到订单中查看' },
  /** admin.updateAssistCampaign changing the published terms after a task started. */
  ASSIST_TERMS_LOCKED: { status: 409, message: '已有用户发起助力，助力人数和每次砍价金额不能再改' },
  /** admin.updateAssistCampaign on a campaign the merchant ended. */
  ASSIST_ENDED: { status: 409, message: '活动已结束，不能修改' },
  /** group.join when every seat of the group is held (by paid or unpaid members): refused before paying. */
  GROUP_FULL: { status: 409, message: '该团已满员，可以自己开一个团' },
  /** group.join of a group that succeeded, failed, was cancelled or ran out of time. */
  GROUP_CLOSED: { status: 409, message: '该团已结束，可以自己开一个团' },
  /** One seat per person per group, and one unfinished seat per person per campaign. */
  GROUP_ALREADY_JOINED: { status: 409, message: '你已在拼团中，请等待成团后再参与' },
  /** group.open / group.join while the campaign is paused, ended or outside its window. */
  GROUP_NOT_ACTIVE: { status: 409, message: '拼团活动未开始或已结束' },
  /** admin.ship of a group order whose group has not succeeded. */
  GROUP_NOT_SUCCEEDED: { status: 409, message: '拼团尚未成功，暂不能发货' },
  /** admin.updateGroupCampaign on a campaign the merchant ended (admin.endGroupCampaign). */
  GROUP_CAMPAIGN_ENDED: { status: 409, message: '拼团活动已结束，不能修改' },
  /** member.joinByPhone with a code WeChat refused (unknown, used or expired: getPhoneNumber's codes live 5 minutes, once). */
  PHONE_CODE_INVALID: { status: 409, message: '手机号验证已失效，请重新点击获取' },
  /** member.joinByPhone for a number that is not a mainland China mobile. */
  PHONE_NOT_MAINLAND: { status: 409, message: '暂仅支持中国大陆手机号开通会员' },
  /** member.joinByPhone for a number another customer signed up with (one number, one member). */
  PHONE_TAKEN: { status: 409, message: '该手机号已被其他微信账号用于开通会员' },
  /** member.wecomContact where the shop has no 企业微信 set up. */
  WECOM_UNAVAILABLE: { status: 409, message: '店铺暂未开通企业微信会员，请用手机号开通' },
} as const satisfies Record<string, { status: number; message: string }>

export type ErrorCode = keyof typeof ERRORS

export const ERROR_CODES = Object.keys(ERRORS) as ErrorCode[]

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(ERRORS, value)
}
