/**
 * WeChat Pay through CloudBase (cloud.cloudPay): unifiedOrder gives the parameters of
 * wx.requestPayment, and WeChat calls the `payCallback` cloud function when the shopper has paid.
 * The callback event carries no signature, and a cloud function can also be called by a client, so
 * an event is believed only once WeChat Pay's own order query confirms it (`confirmCallback`).
 */
import { randomBytes } from 'node:crypto'
import type { PaymentProvider, VerifiedNotify } from '../../core/services.ports'

/** The part of wx-server-sdk's cloudPay this adapter uses. */
export interface CloudPay {
  unifiedOrder(
    p: Record<string, unknown>,
  ): Promise<{ returnCode?: string; resultCode?: string; returnMsg?: string; payment?: Record<string, string> }>
  refund(p: Record<string, unknown>): Promise<{ returnCode?: string; resultCode?: string; returnMsg?: string; refundId?: string }>
  /** The order as WeChat Pay holds it (the SDK answers camelCase; the v2 API's snake_case is accepted too). */
  queryOrder(p: Record<string, unknown>): Promise<Record<string, unknown>>
}

export interface WechatPayConfig {
  subMchId: string
  envId: string
  callbackFunction: string
}

export function wechatCloudPay(cloudPay: CloudPay, cfg: WechatPayConfig): PaymentProvider {
  return {
    name: 'wechat',
    async prepare({ orderId, amountFen, description }) {
      const res = await cloudPay.unifiedOrder({
        body: description,
        outTradeNo: orderId,
        spbillCreateIp: '127.0.0.1',
        subMchId: cfg.subMchId,
        totalFee: amountFen,
        envId: cfg.envId,
        functionName: cfg.callbackFunction,
        nonceStr: randomBytes(16).toString('hex'),
        tradeType: 'JSAPI',
      })
      if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS' || !res.payment) {
        throw new Error(`cloudPay.unifiedOrder failed: ${res.returnMsg ?? 'no payment'}`)
      }
      const p = res.payment
      return {
        provider: 'wechat',
        timeStamp: p.timeStamp!,
        nonceStr: p.nonceStr!,
        package: p.package!,
        signType: p.signType!,
        paySign: p.paySign!,
      }
    },
    async refund({ orderId, amountFen, refundFen }) {
      const res = await cloudPay.refund({
        out_trade_no: orderId,
        out_refund_no: `r${orderId}`,
        total_fee: amountFen,
        refund_fee: refundFen,
        sub_mch_id: cfg.subMchId,
        env_id: cfg.envId,
        function_name: cfg.callbackFunction,
        nonce_str: randomBytes(16).toString('hex'),
      })
      if (res.returnCode !== 'SUCCESS' || res.resultCode !== 'SUCCESS') throw new Error(`cloudPay.refund failed: ${res.returnMsg ?? ''}`)
      return { refundId: res.refundId ?? `r${orderId}` }
    },
  }
}

/** The callback event of a successful payment, as the verified notify the core takes; null otherwise. */
export function notifyFromCallback(event: Record<string, unknown>): VerifiedNotify | null {
  if (event.returnCode !== 'SUCCESS' || event.resultCode !== 'SUCCESS') return null
  if (typeof event.outTradeNo !== 'string' || typeof event.transactionId !== 'string') return null
  const amountFen = Number(event.totalFee)
  if (!Number.isSafeInteger(amountFen)) return null
  return { provider: 'wechat', orderId: event.outTradeNo, transactionId: event.transactionId, amountFen, raw: event }
}

/**
 * Asks WeChat Pay whether the callback's payment happened: the order it names was paid (trade state
 * SUCCESS) by that transaction, for that amount. The verified notify, or null for a forged or
 * mistaken event.
 */
export async function confirmCallback(
  cloudPay: CloudPay,
  cfg: Pick<WechatPayConfig, 'subMchId'>,
  n: VerifiedNotify,
): Promise<VerifiedNotify | null> {
  const q = await cloudPay.queryOrder({ sub_mch_id: cfg.subMchId, out_trade_no: n.orderId, nonce_str: randomBytes(16).toString('hex') })
  const field = (camel: string, snake: string) => q[camel] ?? q[snake]
  const paid =
    field('returnCode', 'return_code') === 'SUCCESS' &&
    field('resultCode', 'result_code') === 'SUCCESS' &&
    field('tradeState', 'trade_state') === 'SUCCESS' &&
    field('transactionId', 'transaction_id') === n.transactionId &&
    Number(field('totalFee', 'total_fee')) === n.amountFen
  return paid ? n : null
}
