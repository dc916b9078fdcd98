import * as coupon from '../core/coupon/coupon.service'
import { defineHandler } from './define'

export const handler = defineHandler('coupon', {
  center: { access: 'user', run: coupon.center },
  claim: { access: 'user', run: coupon.claim },
  mine: { access: 'user', run: coupon.mine },
  forCheckout: { access: 'user', run: coupon.forCheckout },
})
