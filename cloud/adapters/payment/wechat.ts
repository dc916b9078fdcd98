/**
 * WeChat Pay through CloudBase (cloud.cloudPay): unifiedOrder gives the parameters of
 * wx.requestPayment, and WeChat calls the `payCallback` cloud function when the shopper has paid.
 * Inside CloudBase the callback comes from the platform itself, so it carries no signature to check.
 */
import { randomBytes } from 'node:crypto'
import type { PaymentProvider } from '../../core/ports'
import type { VerifiedNotify } from '../../core/order/payment.service'

/** The part of wx-server-sdk's cloudPay this adapter uses. */
export interface CloudPay {
  unifiedOrder(
    p: Record<string, unknown>,
  ): Promise<{ returnCode?: string; resultCode?: string; returnMsg?: string; payment?: Record<string, string> }>
  refund(p: Record<string, unknown>): Promise<{ returnCode?: string; resultCode?: string; returnMsg?: string; refundId?: string }>
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
