import { CUSTOMER_ORDER_KINDS } from '../../cloud/core/auth/customer.rules'

describe('customer rules', () => {
  test('only a normal order makes an existing customer; a new-user deal order never does', () => {
    expect(CUSTOMER_ORDER_KINDS).toEqual(['normal'])
  })
})
