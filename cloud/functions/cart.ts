import { contract } from '../contract'
import * as cart from '../core/cart/cart.service'
import { action, defineHandler } from './define'

const c = contract.cart
export const handler = defineHandler('cart', {
  list: action({ input: c.list.input, access: 'user', run: (ctx) => cart.view(ctx) }),
  add: action({ input: c.add.input, access: 'user', run: cart.add }),
  setQty: action({ input: c.setQty.input, access: 'user', run: cart.setQty }),
  select: action({ input: c.select.input, access: 'user', run: cart.select }),
  remove: action({ input: c.remove.input, access: 'user', run: cart.remove }),
})
