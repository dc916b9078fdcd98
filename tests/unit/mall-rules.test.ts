import { confirmCallback, notifyFromCallback, wechatCloudPay, type CloudPay } from '../../cloud/adapters/payment/wechat'
import { sandboxPayment } from '../../cloud/adapters/payment/sandbox'
import { ENTERED_FROM, lineProblem } from '../../cloud/core/order/order.rules'
import { initialSelection, selectedSku, valueAvailable } from '../../src/features/catalog/sku'
import { decodeItems, encodeItems } from '../../src/lib/routes'

describe('order rules', () => {
  test('a status is entered only from the statuses the machine allows', () => {
    expect(ENTERED_FROM.paid).toEqual(['pending_payment'])
    expect(ENTERED_FROM.cancelled).toEqual(['pending_payment'])
    // The shopper's request approved, or the merchant's own refund of a paid order (also after the window).
    expect(ENTERED_FROM.refunded).toEqual(['refund_requested', 'paid', 'shipped', 'completed'])
    expect(ENTERED_FROM.pending_payment).toEqual([])
    for (const from of Object.values(ENTERED_FROM)) expect(from).not.toContain('refunded')
    for (const from of Object.values(ENTERED_FROM)) expect(from).not.toContain('cancelled')
  })

  test('a line can be bought only when on sale and in stock', () => {
    expect(lineProblem({ qty: 2, stock: 2, onSale: true })).toBeNull()
    expect(lineProblem({ qty: 3, stock: 2, onSale: true })).toBe('INSUFFICIENT_STOCK')
    expect(lineProblem({ qty: 1, stock: 0, onSale: true })).toBe('SOLD_OUT')
    expect(lineProblem({ qty: 1, stock: 5, onSale: false })).toBe('OFF_SALE')
  })
})

describe('the SKU picker', () => {
  const groups = [
    { name: '颜色', values: ['红', '蓝'] },
    { name: '尺码', values: ['S', 'M'] },
  ]
  const sku = (id: string, c: string, s: string, stock: number) => ({
    id,
    specs: { 颜色: c, 尺码: s },
    specText: `${c} / ${s}`,
    priceFen: 100,
    listPriceFen: null,
    stock,
  })
  const skus = [sku('a', '红', 'S', 0), sku('b', '红', 'M', 3), sku('c', '蓝', 'S', 2), sku('d', '蓝', 'M', 0)]

  test('opens on an in-stock SKU and names the SKU of a full selection', () => {
    expect(initialSelection(skus, groups)).toEqual({ 颜色: '红', 尺码: 'M' })
    expect(selectedSku(skus, groups, { 颜色: '蓝', 尺码: 'S' })?.id).toBe('c')
    expect(selectedSku(skus, groups, { 颜色: '蓝' })).toBeNull()
  })

  test('a value is available only if it can lead to a SKU in stock with the other picks', () => {
    expect(valueAvailable(skus, groups, { 颜色: '红', 尺码: 'M' }, '尺码', 'S')).toBe(false) // 红/S is sold out
    expect(valueAvailable(skus, groups, { 颜色: '蓝', 尺码: 'S' }, '尺码', 'M')).toBe(false)
    expect(valueAvailable(skus, groups, { 颜色: '红', 尺码: 'M' }, '颜色', '蓝')).toBe(false) // 蓝/M is sold out
    expect(valueAvailable(skus, groups, { 颜色: '红', 尺码: 'S' }, '颜色', '蓝')).toBe(true)
  })
})

test('checkout items survive the page query', () => {
  const items = [
    { productId: 'p_1', skuId: 'k_1', qty: 2 },
    { productId: 'p_2', qty: 1 },
  ]
  expect(decodeItems(encodeURIComponent(encodeItems(items)))).toEqual(items)
  expect(decodeItems('p_1~~0,garbage')).toEqual([])
})

describe('payment adapters', () => {
  test("the sandbox refuses a body signed under another install's secret", async () => {
    const mine = sandboxPayment({ secret: 'a', baseUrl: 'http://x' })
    const theirs = sandboxPayment({ secret: 'b', baseUrl: 'http://x' })
    const p = await theirs.prepare({ orderId: 'o_1', amountFen: 990, description: '', openid: 'o' })
    if (p.provider !== 'sandbox') throw new Error('sandbox expected')
    expect(theirs.verify(p.body).ok).toBe(true)
    expect(mine.verify(p.body)).toEqual({ ok: false, reason: 'BAD_SIGNATURE' })
  })

  test('WeChat Pay through CloudBase: unifiedOrder is asked for the order, and its payment is handed to the client', async () => {
    const calls: Array<Record<string, unknown>> = []
    const cloudPay: CloudPay = {
      unifiedOrder: async (p) => {
        calls.push(p)
        return {
          returnCode: 'SUCCESS',
          resultCode: 'SUCCESS',
          payment: { timeStamp: '1', nonceStr: 'n', package: 'prepay_id=wx1', signType: 'MD5', paySign: 's' },
        }
      },
      refund: async () => ({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', refundId: 'r1' }),
      queryOrder: async () => ({}),
    }
    const pay = wechatCloudPay(cloudPay, { subMchId: '1900000000', envId: 'env-1', callbackFunction: 'payCallback' })
    expect(await pay.prepare({ orderId: 'o_abc', amountFen: 990, description: '龙井', openid: 'o' })).toEqual({
      provider: 'wechat',
      timeStamp: '1',
      nonceStr: 'n',
      package: 'prepay_id=wx1',
      signType: 'MD5',
      paySign: 's',
    })
    expect(calls[0]).toMatchObject({
      outTradeNo: 'o_abc',
      totalFee: 990,
      subMchId: '1900000000',
      functionName: 'payCallback',
      envId: 'env-1',
    })
    const failing = wechatCloudPay(
      { ...cloudPay, unifiedOrder: async () => ({ returnCode: 'FAIL', returnMsg: '签名错误' }) },
      { subMchId: '', envId: '', callbackFunction: 'payCallback' },
    )
    await expect(failing.prepare({ orderId: 'o', amountFen: 1, description: '', openid: '' })).rejects.toThrow('签名错误')
  })

  test('only a successful callback becomes a notify', () => {
    expect(
      notifyFromCallback({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'o_1', transactionId: 't1', totalFee: 990 }),
    ).toMatchObject({ orderId: 'o_1', transactionId: 't1', amountFen: 990, provider: 'wechat' })
    expect(
      notifyFromCallback({ returnCode: 'SUCCESS', resultCode: 'FAIL', outTradeNo: 'o_1', transactionId: 't1', totalFee: 990 }),
    ).toBeNull()
    expect(
      notifyFromCallback({ returnCode: 'SUCCESS', resultCode: 'SUCCESS', outTradeNo: 'o_1', transactionId: 't1', totalFee: 'x' }),
    ).toBeNull()
  })

  test('a callback is believed only when WeChat Pay’s order query confirms the payment', async () => {
    const claimed = notifyFromCallback({
      returnCode: 'SUCCESS',
      resultCode: 'SUCCESS',
      outTradeNo: 'o_1',
      transactionId: 't1',
      totalFee: 990,
    })!
    const asked: Array<Record<string, unknown>> = []
    const holding = (order: Record<string, unknown>): CloudPay => ({
      unifiedOrder: async () => ({}),
      refund: async () => ({}),
      queryOrder: async (p) => {
        asked.push(p)
        return order
      },
    })
    const paid = { returnCode: 'SUCCESS', resultCode: 'SUCCESS', tradeState: 'SUCCESS', transactionId: 't1', totalFee: 990 }
    expect(await confirmCallback(holding(paid), { subMchId: '1900000000' }, claimed)).toBe(claimed)
    expect(asked[0]).toMatchObject({ sub_mch_id: '1900000000', out_trade_no: 'o_1' })
    // The v2 API's snake_case answer is read the same way.
    const snake = { return_code: 'SUCCESS', result_code: 'SUCCESS', trade_state: 'SUCCESS', transaction_id: 't1', total_fee: '990' }
    expect(await confirmCallback(holding(snake), { subMchId: '' }, claimed)).toBe(claimed)
    // A client forging the event for an unpaid order, another transaction, or another amount: refused.
    for (const change of [{ tradeState: 'NOTPAY' }, { transactionId: 't2' }, { totalFee: 1 }, { returnCode: 'FAIL' }]) {
      expect(await confirmCallback(holding({ ...paid, ...change }), { subMchId: '' }, claimed)).toBeNull()
    }
  })
})
