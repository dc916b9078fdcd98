/** Who is an existing customer (老会员). Pure. */
import type { NewOrder } from '../order/order.ports'

/**
 * The order kinds that make an existing customer: a paid order of one of these that is not refunded
 * — a mall order, a group order (拼团) or an assist's price-cut order (砍价): each is a purchase at a
 * price the shopper paid. A new-user deal order never does (buying the deal must not end the buyer's
 * new-customer standing), so refunding a shopper's only such order makes them new again.
 */
export const CUSTOMER_ORDER_KINDS: readonly NewOrder['kind'][] = ['normal', 'group', 'assist']
