/**
 * WeChat Pay 商家转账 (API v3, the user-confirmation mode) for a self-hosted server:
 * - `pay` asks for a transfer bill (POST /v3/fund-app/mch-transfer/transfer-bills), its out_bill_no
 *   derived from the withdrawal, so a retried approval is the same bill at WeChat and pays once. The
 *   usual answer is WAIT_USER_CONFIRM with package_info, what wx.requestMerchantTransfer needs in the
 *   mini-program; SUCCESS is paid, FAIL / CANCELLED failed.
 * - `verifyNotify` checks the transfer's notify (MCHTRANSFER.BILL.FINISHED): WeChat Pay's RSA signature
 *   over the raw body, a timestamp within 5 minutes, then the AES-256-GCM resource decrypted with the
 *   APIv3 key; SUCCESS becomes paid, FAIL / CANCELLED failed, any other state is acknowledged only.
 * Requests are signed (WECHATPAY2-SHA256-RSA2048) with the merchant's key, like the payment adapter.
 */
import { randomBytes } from 'node:crypto'
import type { TransferProvider, VerifiedTransferNotify } from '../../core/services.ports'
import { authorizationHeader, openNotify, WECHATPAY_API_BASE, type NotifyRefusal, type WechatPayV3Config } from '../payment/wechatpay-v3'

export const WECHAT_TRANSFER_NOTIFY_PATH = '/api/pay/notify/wechat-transfer'
export const TRANSFER_BILLS_PATH = '/v3/fund-app/mch-transfer/transfer-bills'

export interface WechatTransferConfig extends WechatPayV3Config {
  /** 转账场景ID from 商户平台 → 产品中心 → 商家转账 (e.g. 1005 佣金报酬). */
  transferSceneId: string
  /** The scene's report items (转账场景报备信息), e.g. [{info_type: '岗位类型', info_content: '推广员'}, …]. */
  sceneReportInfos: Array<{ info_type: string; info_content: string }>
  /** What the user reads on the bill (at most 32 characters). */
  transferRemark: string
  /** The public HTTPS address of WECHAT_TRANSFER_NOTIFY_PATH on this host. */
  transferNotifyUrl: string
}

export type TransferNotifyCheck =
  { kind: 'ended'; notify: VerifiedTransferNotify } | { kind: 'ignored'; reason: string } | { kind: 'refused'; reason: NotifyRefusal }

export interface WechatTransfers extends TransferProvider {
  verifyNotify(headers: Record<string, string | string[] | undefined>, rawBody: string): TransferNotifyCheck
}

/** The bill number of a withdrawal (letters and digits only, at most 32): one bill per withdrawal. */
export const billNumberOf = (withdrawalId: string): string => `WD${withdrawalId.replace(/[^0-9A-Za-z]/g, '')}`.slice(0, 32)
/** The withdrawal a bill number stands for (ids are `wd_` and 16 hex digits); null for a number we never made. */
export const withdrawalOfBill = (billNo: string): string | null => {
  const m = /^WDwd([0-9a-f]{16})$/.exec(billNo)
  return m ? `wd_${m[1]}` : null
}

/** Why a transfer failed, as the user reads it (WeChat's fail_reason codes; anything else generically). */
const FAIL_REASONS: Record<string, string> = {
  ACCOUNT_FROZEN: '微信账户已被冻结',
  REAL_NAME_CHECK_FAIL: '收款人未实名认证',
  NAME_NOT_CORRECT: '收款人姓名校验不通过',
  OPENID_INVALID: '收款账户无效',
  TRANSFER_QUOTA_EXCEED: '超过用户单笔收款额度',
  DAY_RECEIVED_QUOTA_EXCEED: '超过用户单日收款额度',
  DAY_RECEIVED_COUNT_EXCEED: '超过用户单日收款次数',
  OVERDUE_CLOSE: '超过时间未确认收款，转账已关闭',
  MERCHANT_REJECT: '商户已撤销转账',
  MERCHANT_NOT_CONFIRM: '商户未确认转账',
}
const failReasonOf = (state: string, code: unknown): string =>
  (typeof code === 'string' && FAIL_REASONS[code]) || (state === 'CANCELLED' ? '转账已撤销' : '转账失败')

/** WeChat Pay's answer: its text (for the error), and its JSON object, or null when it is none. */
async function answerOf(res: Response): Promise<{ text: string; answer: Record<string, unknown> | null }> {
  const text = await res.text()
  try {
    const parsed: unknown = text ? JSON.parse(text) : null
    return { text, answer: parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : null }
  } catch {
    return { text, answer: null }
  }
}

export function wechatTransfers(
  cfg: WechatTransferConfig,
  deps: { fetch?: typeof fetch; now?: () => Date; nonce?: () => string; timeoutMs?: number } = {},
): WechatTransfers {
  const fetchFn = deps.fetch ?? fetch
  const now = deps.now ?? (() => new Date())
  const nonce = deps.nonce ?? (() => randomBytes(16).toString('hex'))
  const base = cfg.apiBase ?? WECHATPAY_API_BASE

  return {
    async pay({ withdrawalId, openid, amountFen }) {
      const body = JSON.stringify({
        appid: cfg.appId,
        out_bill_no: billNumberOf(withdrawalId),
        transfer_scene_id: cfg.transferSceneId,
        openid,
        transfer_amount: amountFen,
        transfer_remark: cfg.transferRemark,
        notify_url: cfg.transferNotifyUrl,
        transfer_scene_report_infos: cfg.sceneReportInfos,
      })
      const authorization = authorizationHeader(cfg, {
        method: 'POST',
        pathWithQuery: TRANSFER_BILLS_PATH,
        body,
        timestamp: Math.floor(now().getTime() / 1000),
        nonce: nonce(),
      })
      const res = await fetchFn(`${base}${TRANSFER_BILLS_PATH}`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json', 'user-agent': 'weshop', authorization },
        body,
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      })
      const { text, answer } = await answerOf(res)
      // Not a bill (an error, a timeout): thrown, so the withdrawal stays pending and approving again
      // asks for the same out_bill_no, never a second bill.
      if (!res.ok || !answer) {
        throw new Error(
          `WeChat Pay ${TRANSFER_BILLS_PATH} answered ${res.status}: ${String(answer?.code ?? '')} ${String(answer?.message ?? text.slice(0, 200))}`,
        )
      }
      const state = String(answer.state ?? '')
      const transferId = typeof answer.transfer_bill_no === 'string' ? answer.transfer_bill_no : ''
      if (state === 'SUCCESS') return { state: 'paid', transferId }
      if (state === 'FAIL' || state === 'CANCELLED') return { state: 'failed', reason: failReasonOf(state, answer.fail_reason) }
      if (!transferId) throw new Error(`WeChat Pay answered a bill without transfer_bill_no (state ${state})`)
      if (state === 'WAIT_USER_CONFIRM') {
        if (typeof answer.package_info !== 'string' || !answer.package_info)
          throw new Error('WeChat Pay answered WAIT_USER_CONFIRM without package_info')
        return {
          state: 'awaiting_user',
          transferId,
          confirm: { provider: 'wechat', mchId: cfg.mchId, appId: cfg.appId, package: answer.package_info },
        }
      }
      // ACCEPTED, PROCESSING, TRANSFERING, CANCELING: under way; the notify ends it.
      return { state: 'awaiting_user', transferId, confirm: null }
    },

    async find(withdrawalId) {
      // 商户单号查询转账单: GET …/transfer-bills/out-bill-no/{out_bill_no}, signed over an empty body;
      // 404 NOT_FOUND means WeChat has no bill of that number.
      const path = `${TRANSFER_BILLS_PATH}/out-bill-no/${billNumberOf(withdrawalId)}`
      const authorization = authorizationHeader(cfg, {
        method: 'GET',
        pathWithQuery: path,
        body: '',
        timestamp: Math.floor(now().getTime() / 1000),
        nonce: nonce(),
      })
      const res = await fetchFn(`${base}${path}`, {
        method: 'GET',
        headers: { accept: 'application/json', 'user-agent': 'weshop', authorization },
        signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
      })
      const { text, answer } = await answerOf(res)
      if (res.status === 404 && answer?.code === 'NOT_FOUND') return null
      if (!res.ok || !answer || typeof answer.state !== 'string') {
        throw new Error(
          `WeChat Pay ${path} answered ${res.status}: ${String(answer?.code ?? '')} ${String(answer?.message ?? text.slice(0, 200))}`,
        )
      }
      const transferId = typeof answer.transfer_bill_no === 'string' ? answer.transfer_bill_no : ''
      const state = answer.state
      // Anything but an end (ACCEPTED, PROCESSING, WAIT_USER_CONFIRM, TRANSFERING, CANCELING, or a
      // state this code does not know) may still pay.
      return { transferId, state: state === 'SUCCESS' ? 'paid' : state === 'FAIL' || state === 'CANCELLED' ? 'failed' : 'under_way' }
    },

    verifyNotify(headers, rawBody) {
      const refused = (reason: NotifyRefusal): TransferNotifyCheck => ({ kind: 'refused', reason })
      const opened = openNotify(cfg, headers, rawBody, now())
      if (opened.kind === 'refused') return refused(opened.reason)
      const bill = opened.resource
      if (bill.mch_id !== cfg.mchId) return refused('WRONG_MERCHANT')
      const state = String(bill.state ?? '')
      if (state !== 'SUCCESS' && state !== 'FAIL' && state !== 'CANCELLED') return { kind: 'ignored', reason: `state ${state}` }
      const withdrawalId = typeof bill.out_bill_no === 'string' ? withdrawalOfBill(bill.out_bill_no) : null
      const amountFen = bill.transfer_amount
      if (!withdrawalId || typeof bill.transfer_bill_no !== 'string' || !Number.isSafeInteger(amountFen) || (amountFen as number) <= 0) {
        return refused('MALFORMED')
      }
      return {
        kind: 'ended',
        notify: {
          withdrawalId,
          transferId: bill.transfer_bill_no,
          amountFen: amountFen as number,
          state: state === 'SUCCESS' ? 'paid' : 'failed',
          reason: state === 'SUCCESS' ? null : failReasonOf(state, bill.fail_reason),
        },
      }
    },
  }
}
