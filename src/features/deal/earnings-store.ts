import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { ActionOutput, Envelope, Withdrawal, WithdrawalConfirm } from '../../../cloud/contract'
import { ApiError, call, errorMessage } from '../../api/call'
import { newIdempotencyKey } from '../../lib/idempotency'
import type { LoadStatus } from '../shared/load-status'

type Earnings = ActionOutput<'earnings', 'mine'>

/** The smallest withdrawal (¥1), as the server's rule. */
export const MIN_WITHDRAW_FEN = 100

/** The withdrawal request whose answer never came: its key is sent again for the same amount, so it is asked once. */
const KEY_STORAGE = 'weshop.withdrawKey'
interface SentWithdrawal {
  key: string
  amountFen: number
}

function readSent(): SentWithdrawal | null {
  try {
    const v = Taro.getStorageSync<SentWithdrawal | ''>(KEY_STORAGE)
    return v && typeof v === 'object' && typeof v.key === 'string' ? v : null
  } catch {
    return null
  }
}
function writeSent(v: SentWithdrawal | null): void {
  try {
    if (v) Taro.setStorageSync(KEY_STORAGE, v)
    else Taro.removeStorageSync(KEY_STORAGE)
  } catch {
    // Storage refused: the key lives for this call only.
  }
}

/** Why typed yuan can't be withdrawn, or null. */
export function withdrawProblem(fen: number | null, text: string, availableFen: number): string | null {
  if (text.trim() === '') return '请输入提现金额'
  if (fen === null) return '金额格式不正确（最多两位小数）'
  if (fen < MIN_WITHDRAW_FEN) return '单笔提现至少 ¥1.00'
  if (fen > availableFen) return '超过可提现金额'
  return null
}

type Outcome = { ok: true } | { ok: false; message: string }

interface EarningsState {
  earnings: Earnings | null
  withdrawals: Withdrawal[] | null
  status: LoadStatus
  error: string | null
  /** A withdrawal request or a 确认收款 is on its way: the buttons wait. */
  busy: boolean
  load: () => Promise<void>
  withdraw: (amountFen: number) => Promise<Outcome>
  confirmReceipt: (w: Withdrawal) => Promise<Outcome>
}

/** The mini-program's global `wx` (Taro 4 has no wrapper for requestMerchantTransfer). */
declare const wx: unknown

/** wx.requestMerchantTransfer (Taro's when it has one), or undefined outside WeChat / on an old base library. */
function merchantTransferApi(): ((o: Record<string, unknown>) => void) | undefined {
  const fromTaro = (Taro as unknown as Record<string, unknown>).requestMerchantTransfer
  if (typeof fromTaro === 'function') return fromTaro as (o: Record<string, unknown>) => void
  if (process.env.TARO_ENV !== 'weapp' || typeof wx === 'undefined') return undefined
  const wxApi = (wx as Record<string, unknown>).requestMerchantTransfer
  return typeof wxApi === 'function' ? (wxApi as (o: Record<string, unknown>) => void) : undefined
}

/** The user's 确认收款 in WeChat: resolves when they confirmed, rejects when they closed the page or WeChat refused. */
function requestMerchantTransfer(c: Extract<WithdrawalConfirm, { provider: 'wechat' }>): Promise<void> {
  const api = merchantTransferApi()
  if (!api) return Promise.reject(new ApiError('INTERNAL', '当前微信版本不支持确认收款，请升级微信后重试'))
  return new Promise((resolve, reject) =>
    api({
      mchId: c.mchId,
      appId: c.appId,
      package: c.package,
      success: () => resolve(),
      fail: (res: { errMsg?: string }) =>
        reject(new ApiError('INTERNAL', /cancel/.test(res?.errMsg ?? '') ? '已取消确认收款' : '确认收款未成功，请重试')),
    }),
  )
}

/** The sandbox's 确认收款 page: it ends the transfer and posts the signed notify to our backend, as WeChat would. */
async function confirmSandboxTransfer(c: Extract<WithdrawalConfirm, { provider: 'sandbox' }>): Promise<void> {
  let data: Envelope<{ received: boolean }> | undefined
  try {
    const res = await Taro.request({
      url: c.confirmUrl,
      method: 'POST',
      data: { body: c.body },
      header: { 'content-type': 'application/json' },
      timeout: 15_000,
    })
    data = res.data as typeof data
  } catch {
    throw new ApiError('NETWORK', '网络不给力，请检查网络后重试')
  }
  if (data?.ok && data.data.received) return
  throw new ApiError('VALIDATION_FAILED', '确认收款未成功，请刷新后重试')
}

export const useEarningsStore = create<EarningsState>()((set, get) => ({
  earnings: null,
  withdrawals: null,
  status: 'idle',
  error: null,
  busy: false,
  async load() {
    set({ status: 'loading', error: null })
    try {
      const [earnings, { withdrawals }] = await Promise.all([call('earnings', 'mine', {}), call('earnings', 'withdrawals', {})])
      set({ earnings, withdrawals, status: 'ready' })
    } catch (err) {
      set({ status: 'error', error: errorMessage(err) })
    }
  },
  async withdraw(amountFen) {
    if (get().busy) return { ok: false, message: '正在提交，请稍候' }
    set({ busy: true })
    // The same amount asked again after an answer that never came is the same request (its key).
    const sent = readSent()
    const key = sent && sent.amountFen === amountFen ? sent.key : newIdempotencyKey()
    writeSent({ key, amountFen })
    try {
      await call('earnings', 'withdraw', { amountFen, idempotencyKey: key })
      writeSent(null)
      await get().load()
      return { ok: true }
    } catch (err) {
      // The server answered a refusal: nothing was made with the key. No answer: keep it for the retry.
      if (!(err instanceof ApiError && err.code === 'NETWORK')) writeSent(null)
      return { ok: false, message: errorMessage(err) }
    } finally {
      set({ busy: false })
    }
  },
  async confirmReceipt(w) {
    const c = w.confirm
    if (!c || get().busy) return { ok: false, message: '暂时无法确认收款，请下拉刷新' }
    set({ busy: true })
    try {
      if (c.provider === 'sandbox') await confirmSandboxTransfer(c)
      else await requestMerchantTransfer(c)
      // WeChat reports the result to the backend by its notify: the records show what the backend has.
      await get().load()
      return { ok: true }
    } catch (err) {
      return { ok: false, message: errorMessage(err) }
    } finally {
      set({ busy: false })
    }
  },
}))
