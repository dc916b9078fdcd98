import { contract } from '../contract'
import * as admin from '../core/admin/admin.service'
import * as coupon from '../core/coupon/coupon.service'
import * as order from '../core/order/order.service'
import { action, defineHandler } from './define'

const c = contract.admin
export const handler = defineHandler('admin', {
  createProduct: action({ input: c.createProduct.input, access: 'admin', run: admin.createProduct }),
  ship: action({ input: c.ship.input, access: 'admin', run: order.ship }),
  approveRefund: action({ input: c.approveRefund.input, access: 'admin', run: order.approveRefund }),
  rejectRefund: action({ input: c.rejectRefund.input, access: 'admin', run: order.rejectRefund }),
  createCoupon: action({ input: c.createCoupon.input, access: 'admin', run: coupon.createCoupon }),
  issueCoupon: action({ input: c.issueCoupon.input, access: 'admin', run: coupon.issue }),
})
