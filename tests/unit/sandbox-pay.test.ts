import { sandboxPayment } from '../../cloud/adapters/payment/sandbox'

const provider = sandboxPayment({ secret: 's3cret', baseUrl: 'http://127.0.0.1:1' })

async function signedBody(): Promise<Record<string, unknown>> {
  const params = await provider.prepare({ orderId: 'o_1234abcd', amountFen: 990, description: '测试', openid: 'x' })
  if (params.provider !== 'sandbox') throw new Error('not a sandbox payment')
  return params.body as Record<string, unknown>
}

describe('the sandbox provider verifies a notify', () => {
  test('the body it signed passes, with the order, transaction and amount', async () => {
    const body = await signedBody()
    const v = provider.verify(body)
    expect(v).toMatchObject({ ok: true, notify: { provider: 'sandbox', orderId: 'o_1234abcd', amountFen: 990 } })
  })

  test.each<[string, (b: Record<string, unknown>) => Record<string, unknown>]>([
    ['in upper case', (b) => ({ ...b, sign: String(b.sign).toUpperCase() })],
    ['with two trailing non-hex characters', (b) => ({ ...b, sign: `${b.sign}zz` })],
    ['with a trailing hex digit', (b) => ({ ...b, sign: `${b.sign}0` })],
    ['with a trailing space', (b) => ({ ...b, sign: `${b.sign} ` })],
    ['with a leading space', (b) => ({ ...b, sign: ` ${b.sign}` })],
    ['one character short', (b) => ({ ...b, sign: String(b.sign).slice(0, 63) })],
    ['empty', (b) => ({ ...b, sign: '' })],
    ['of another body', (b) => ({ ...b, amountFen: 1 })],
  ])('a signature %s is BAD_SIGNATURE', async (_name, alter) => {
    expect(provider.verify(alter(await signedBody()))).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
  })

  test.each<[string, (b: Record<string, unknown>) => unknown]>([
    ['not an object', () => 'x'],
    ['null', () => null],
    ['an array', (b) => [b]],
    ['an extra field', (b) => ({ ...b, extra: 'x' })],
    ['a missing field', ({ nonce: _n, ...rest }) => rest],
    ['the amount as a string', (b) => ({ ...b, amountFen: String(b.amountFen) })],
    ['a fractional amount', (b) => ({ ...b, amountFen: 990.5 })],
    ['a zero amount', (b) => ({ ...b, amountFen: 0 })],
    ['an amount past 2^53', (b) => ({ ...b, amountFen: 2 ** 60 })],
    ['the order id as a number', (b) => ({ ...b, orderId: 1234 })],
    ['the order id as an array', (b) => ({ ...b, orderId: [b.orderId] })],
    ['an order id with & and =', (b) => ({ ...b, orderId: 'o&amountFen=1' })],
    ['an empty nonce', (b) => ({ ...b, nonce: '' })],
    ['a 65-character transaction id', (b) => ({ ...b, transactionId: 'x'.repeat(65) })],
    ['the timestamp as a string', (b) => ({ ...b, timestamp: String(b.timestamp) })],
    ['the sign as a number', (b) => ({ ...b, sign: 1 })],
  ])('%s is MALFORMED', async (_name, alter) => {
    expect(provider.verify(alter(await signedBody()))).toEqual({ ok: false, reason: 'MALFORMED' })
  })

  test('another install’s secret does not verify', async () => {
    const other = sandboxPayment({ secret: 'other', baseUrl: '' })
    expect(other.verify(await signedBody())).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
  })
})
