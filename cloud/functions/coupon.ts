import { contract } from '../contract'
import * as coupon from '../core/coupon/coupon.service'
import { action, defineHandler } from './define'

const c = contract.coupon
export const handler = defineHandler('coupon', {
  center: action({ input: c.center.input, access: 'user', run: coupon.center }),
  claim: action({ input: c.claim.input, access: 'user', run: coupon.claim }),
  mine: action({ input: c.mine.input, access: 'user', run: coupon.mine }),
  forCheckout: action({ input: c.forCheckout.input, access: 'user', run: coupon.forCheckout }),
})
