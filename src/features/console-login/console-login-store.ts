import { create } from 'zustand'
import type { StaffRole, TicketStatus } from '../../../cloud/contract'
import { ApiError, call, errorMessage } from '../../api/call'

/**
 * What the console sign-in page shows: the question (登录商家后台？) while the ticket waits, or how
 * it ended. `forbidden` is a shopper scanning the console's code; `invalid` a code that is no
 * ticket; `error` a failure to retry (the network).
 */
export type ConsoleLoginView =
  | { kind: 'loading' }
  | { kind: 'ask'; role: StaffRole; expiresAt: string; device: string }
  | { kind: 'done'; result: 'confirmed' | 'rejected' | 'expired' | 'used' | 'forbidden' | 'invalid' }
  | { kind: 'error'; message: string }

interface ConsoleLoginState {
  ticket: string
  view: ConsoleLoginView
  /** Which answer is on its way: a second tap while it is sends nothing. */
  sending: 'approve' | 'reject' | null
  /** Opens the ticket (the scan): signs in as usual first, then asks the server what it is. */
  open: (ticket: string) => Promise<void>
  /** 确认登录 (true) or 取消 (false); once per ticket. */
  answer: (approve: boolean) => Promise<void>
}

/** A finished ticket's status as the result the page shows; null while it still waits for an answer. */
function resultOf(status: TicketStatus, approved: boolean | null): Extract<ConsoleLoginView, { kind: 'done' }>['result'] | null {
  switch (status) {
    case 'waiting':
    case 'scanned':
      return null
    case 'confirmed':
      // Confirmed by this tap: signed in; found confirmed when opened: someone already used the code.
      return approved === true ? 'confirmed' : 'used'
    case 'rejected':
      return 'rejected'
    case 'expired':
      return 'expired'
    case 'used':
      return 'used'
  }
}

function refusal(err: unknown): ConsoleLoginView {
  if (err instanceof ApiError) {
    if (err.code === 'FORBIDDEN') return { kind: 'done', result: 'forbidden' }
    if (err.code === 'NOT_FOUND' || err.code === 'VALIDATION_FAILED') return { kind: 'done', result: 'invalid' }
  }
  return { kind: 'error', message: errorMessage(err) }
}

export const useConsoleLoginStore = create<ConsoleLoginState>()((set, get) => ({
  ticket: '',
  view: { kind: 'loading' },
  sending: null,
  async open(ticket) {
    if (!ticket) return set({ ticket, view: { kind: 'done', result: 'invalid' }, sending: null })
    set({ ticket, view: { kind: 'loading' }, sending: null })
    try {
      const scan = await call('auth', 'consoleScan', { ticket })
      if (get().ticket !== ticket) return
      const result = resultOf(scan.status, null)
      set({ view: result ? { kind: 'done', result } : { kind: 'ask', role: scan.role, expiresAt: scan.expiresAt, device: scan.device } })
    } catch (err) {
      if (get().ticket === ticket) set({ view: refusal(err) })
    }
  },
  async answer(approve) {
    const { ticket, view, sending } = get()
    if (sending || view.kind !== 'ask') return
    set({ sending: approve ? 'approve' : 'reject' })
    try {
      const { status } = await call('auth', 'consoleConfirm', { ticket, approve })
      // Still waiting means the server took no answer: show the question again.
      const result = resultOf(status, approve)
      if (result) set({ view: { kind: 'done', result } })
    } catch (err) {
      set({ view: refusal(err) })
    } finally {
      set({ sending: null })
    }
  },
}))

/** The page's words for a role and for each ending. */
export const ROLE_TEXT: Record<StaffRole, string> = { owner: '店主', operator: '运营', service: '客服', anchor: '主播', guide: '导购' }

export const RESULT_TEXT: Record<Extract<ConsoleLoginView, { kind: 'done' }>['result'], string> = {
  confirmed: '已登录，请在电脑上继续操作',
  rejected: '已取消登录',
  expired: '二维码已过期，请在电脑上刷新二维码',
  used: '二维码已使用',
  forbidden: '你没有商家后台权限',
  invalid: '二维码无效，请在电脑上刷新二维码',
}
