import * as cart from '../core/cart/cart.service'
import { defineHandler } from './define'

export const handler = defineHandler('cart', {
  list: { access: 'user', run: (ctx) => cart.view(ctx) },
  add: { access: 'user', run: cart.add },
  setQty: { access: 'user', run: cart.setQty },
  select: { access: 'user', run: cart.select },
  remove: { access: 'user', run: cart.remove },
})
