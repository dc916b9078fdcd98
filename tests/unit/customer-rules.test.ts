import { CUSTOMER_ORDER_KINDS } from '../../cloud/core/auth/customer.rules'

describe('customer rules', () => {
  test('every order kind but the new-user deal makes an existing customer', () => {
    expect([...CUSTOMER_ORDER_KINDS].sort()).toEqual(['assist', 'group', 'normal'])
  })
})
