import { contract } from '../contract'
import * as order from '../core/order/order.service'
import { action, defineHandler } from './define'

const c = contract.order
export const handler = defineHandler('order', {
  preview: action({ input: c.preview.input, access: 'user', run: order.preview }),
  create: action({ input: c.create.input, access: 'user', run: order.create }),
  pay: action({ input: c.pay.input, access: 'user', run: order.pay }),
  cancel: action({ input: c.cancel.input, access: 'user', run: order.cancel }),
  get: action({ input: c.get.input, access: 'user', run: order.get }),
  list: action({ input: c.list.input, access: 'user', run: order.list }),
  counts: action({ input: c.counts.input, access: 'user', run: (ctx) => order.counts(ctx) }),
  requestRefund: action({ input: c.requestRefund.input, access: 'user', run: order.requestRefund }),
  confirmReceipt: action({ input: c.confirmReceipt.input, access: 'user', run: order.confirmReceipt }),
})
