/** Who is an existing customer (老会员). Pure. */
import type { NewOrder } from '../order/order.ports'

/**
 * The order kinds that make an existing customer: a paid order of one of these that is not refunded.
 * A new-user deal order never does (buying the deal must not end the buyer's new-customer standing),
 * so refunding a shopper's only normal order makes them new again.
 */
export const CUSTOMER_ORDER_KINDS: readonly NewOrder['kind'][] = ['normal']
