import type { Handler } from './define'
import { handler as address } from './address'
import { handler as assist } from './assist'
import { handler as admin } from './admin'
import { handler as auth } from './auth'
import { handler as cart } from './cart'
import { handler as catalog } from './catalog'
import { handler as coupon } from './coupon'
import { handler as deal } from './deal'
import { handler as earnings } from './earnings'
import { handler as flash } from './flash'
import { handler as group } from './group'
import { handler as live } from './live'
import { handler as member } from './member'
import { handler as order } from './order'
import { handler as user } from './user'

/** Every cloud function by name; the host routes /api/fn/{name} here, the deploy step bundles each. */
export const handlers: Record<string, Handler> = {
  auth,
  admin,
  catalog,
  cart,
  address,
  order,
  coupon,
  live,
  flash,
  deal,
  group,
  earnings,
  user,
  member,
  assist,
}
