/**
 * A local fake of WeChat Pay (http) for the 商家转账 flow: it checks each request's merchant signature
 * (WECHATPAY2-SHA256-RSA2048), answers JSAPI orders, and keeps one transfer bill per out_bill_no (as
 * WeChat dedupes), answering WAIT_USER_CONFIRM with package_info, and finds a bill by out_bill_no
 * (GET …/out-bill-no/{no}, 404 NOT_FOUND when none). `failNext` makes the next bill requests answer
 * that HTTP status (WeChat busy); `lateNext` makes the next bill requests make the bill but answer
 * only after that many milliseconds (an answer the caller gave up on).
 */
import { createVerify, type KeyObject } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { APIV3_KEY, APP_ID, MCH_ID, MCH_SERIAL, PLATFORM_SERIAL, parseAuthorization, wechatNotify } from './wechatpay'

export interface Bill {
  out_bill_no: string
  transfer_bill_no: string
  openid: string
  transfer_amount: number
  state: string
}

/** WeChat Pay as far as this flow needs it: JSAPI orders, and transfer bills with signature checks. */
export async function fakeWeChatPay(merchantPublicKey: KeyObject) {
  const bills = new Map<string, Bill>()
  const requests: Array<{ path: string; body: string; signed: boolean }> = []
  const failNext: Array<number> = []
  const lateNext: Array<number> = []
  let n = 0
  const server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (c) => (body += c))
    req.on('end', () => {
      const answer = (status: number, json: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json))
      const path = new URL(req.url ?? '/', 'http://fake').pathname
      let signed = false
      try {
        const auth = parseAuthorization(String(req.headers.authorization))
        signed =
          auth.mchid === MCH_ID &&
          auth.serial_no === MCH_SERIAL &&
          createVerify('RSA-SHA256')
            .update(`${req.method}\n${path}\n${auth.timestamp}\n${auth.nonce_str}\n${body}\n`)
            .verify(merchantPublicKey, auth.signature!, 'base64')
      } catch {
        signed = false
      }
      requests.push({ path, body, signed })
      if (!signed) return answer(401, { code: 'SIGN_ERROR', message: '签名错误' })
      if (path === '/v3/pay/transactions/jsapi') return answer(200, { prepay_id: `wx_prepay_${++n}` })
      if (path === '/v3/fund-app/mch-transfer/transfer-bills') {
        const status = failNext.shift()
        if (status) return answer(status, { code: 'SYSTEM_ERROR', message: '系统繁忙，请稍后重试' })
        const b = JSON.parse(body)
        if (!b.appid || !b.transfer_scene_id || !Array.isArray(b.transfer_scene_report_infos) || !b.transfer_remark) {
          return answer(400, { code: 'PARAM_ERROR', message: '需传入转账场景报备信息' })
        }
        let bill = bills.get(b.out_bill_no)
        if (!bill) {
          bill = {
            out_bill_no: b.out_bill_no,
            transfer_bill_no: `13300${String(++n).padStart(10, '0')}`,
            openid: b.openid,
            transfer_amount: b.transfer_amount,
            state: 'WAIT_USER_CONFIRM',
          }
          bills.set(b.out_bill_no, bill)
        }
        const late = lateNext.shift()
        if (late) {
          const made = bill
          setTimeout(() => answer(200, { out_bill_no: made.out_bill_no, transfer_bill_no: made.transfer_bill_no, state: made.state }), late)
          return
        }
        return answer(200, {
          out_bill_no: bill.out_bill_no,
          transfer_bill_no: bill.transfer_bill_no,
          create_time: new Date().toISOString(),
          state: bill.state,
          package_info: `pkg_${bill.transfer_bill_no}`,
        })
      }
      const found = /^\/v3\/fund-app\/mch-transfer\/transfer-bills\/out-bill-no\/([0-9A-Za-z]{1,32})$/.exec(path)
      if (found && req.method === 'GET') {
        const bill = bills.get(found[1]!)
        if (!bill) return answer(404, { code: 'NOT_FOUND', message: '记录不存在' })
        return answer(200, { mch_id: MCH_ID, ...bill, appid: APP_ID })
      }
      return answer(404, { code: 'NOT_FOUND', message: 'no such API' })
    })
  })
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    bills,
    requests,
    failNext,
    lateNext,
    close: () => new Promise<void>((r) => server.close(() => r())),
  }
}

export type FakeWeChatPay = Awaited<ReturnType<typeof fakeWeChatPay>>

/** The host's environment for WeChat Pay and 商家转账 against the fake at `url`. */
export const wechatPayEnv = (url: string, merchant: { privateKey: KeyObject }, platform: { publicKey: KeyObject }) => ({
  PAY_PROVIDER: 'wechat',
  WX_APPID: APP_ID,
  WXPAY_MCHID: MCH_ID,
  WXPAY_MCH_SERIAL_NO: MCH_SERIAL,
  WXPAY_PRIVATE_KEY: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  WXPAY_APIV3_KEY: APIV3_KEY,
  WXPAY_PLATFORM_PUBLIC_KEY: platform.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
  WXPAY_PLATFORM_SERIAL: PLATFORM_SERIAL,
  WXPAY_NOTIFY_URL: 'https://shop.example.com/api/pay/notify/wechat',
  WXPAY_API_BASE: url,
  WXPAY_TRANSFER_SCENE_ID: '1005',
  WXPAY_TRANSFER_NOTIFY_URL: 'https://shop.example.com/api/pay/notify/wechat-transfer',
})

/** WeChat's MCHTRANSFER.BILL.FINISHED notify for a bill, signed with the platform key. */
export const transferNotify = (platformKey: KeyObject, bill: Bill, state: string, extra: object = {}) =>
  wechatNotify({
    platformKey,
    transaction: {
      out_bill_no: bill.out_bill_no,
      transfer_bill_no: bill.transfer_bill_no,
      state,
      mch_id: MCH_ID,
      transfer_amount: bill.transfer_amount,
      openid: bill.openid,
      create_time: new Date().toISOString(),
      update_time: new Date().toISOString(),
      ...extra,
    },
  })
