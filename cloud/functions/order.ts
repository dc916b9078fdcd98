import * as order from '../core/order/order.service'
import { buyAgain } from '../core/order/buy-again.service'
import { defineHandler } from './define'

export const handler = defineHandler('order', {
  preview: { access: 'user', run: order.preview },
  create: { access: 'user', run: order.create },
  pay: { access: 'user', run: order.pay },
  cancel: { access: 'user', run: order.cancel },
  get: { access: 'user', run: order.get },
  list: { access: 'user', run: order.list },
  counts: { access: 'user', run: (ctx) => order.counts(ctx) },
  requestRefund: { access: 'user', run: order.requestRefund },
  confirmReceipt: { access: 'user', run: order.confirmReceipt },
  buyAgain: { access: 'user', run: buyAgain },
})
