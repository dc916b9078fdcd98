import { create } from 'zustand'
import type { ActionOutput } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { simulateWecomAdd } from '../../api/sandbox-wecom'
import type { LoadStatus } from '../shared/load-status'

type Contact = ActionOutput<'member', 'wecomContact'>

/** What a join attempt came to: the masked phone, or the message to show. */
export type JoinOutcome = { ok: true; phone: string } | { ok: false; message: string }

interface JoinState {
  /** A phone sign-up under way (one at a time: the button is busy meanwhile). */
  joining: boolean
  /** The 联系我 code and whether the contact holds, once asked for. */
  contact: Contact | null
  contactStatus: LoadStatus
  contactError: string | null
  /** The sandbox's 模拟添加 under way. */
  simulating: boolean
  joinByPhone: (code: string) => Promise<JoinOutcome>
  /** Reads the caller's 联系我 code (made at the first ask); `quiet` keeps the shown code while it polls. */
  loadContact: (quiet?: boolean) => Promise<void>
  /** The sandbox: asks it to send the add event; the caller then polls until `added`. */
  simulateAdd: () => Promise<{ ok: true } | { ok: false; message: string }>
  reset: () => void
}

const initial = { joining: false, contact: null, contactStatus: 'idle' as LoadStatus, contactError: null, simulating: false }

/** The ways into membership (phone sign-up, 企业微信); member.status and points are the member page's store. */
export const useJoinStore = create<JoinState>()((set, get) => ({
  ...initial,
  async joinByPhone(code) {
    if (get().joining) return { ok: false, message: '正在开通，请稍候' }
    set({ joining: true })
    try {
      const { phone } = await call('member', 'joinByPhone', { code })
      return { ok: true, phone }
    } catch (err) {
      return { ok: false, message: errorMessage(err) }
    } finally {
      set({ joining: false })
    }
  },
  async loadContact(quiet) {
    if (!quiet) set({ contactStatus: 'loading', contactError: null })
    try {
      const contact = await call('member', 'wecomContact', {})
      set({ contact, contactStatus: 'ready', contactError: null })
    } catch (err) {
      // A failed poll keeps the code on screen; only a first load shows the error.
      if (!quiet || !get().contact) set({ contactStatus: 'error', contactError: errorMessage(err) })
    }
  },
  async simulateAdd() {
    const url = get().contact?.sandboxAddUrl
    if (!url || get().simulating) return { ok: false, message: '请稍候' }
    set({ simulating: true })
    try {
      await simulateWecomAdd(url)
      return { ok: true }
    } catch (err) {
      return { ok: false, message: errorMessage(err) }
    } finally {
      set({ simulating: false })
    }
  },
  reset: () => set(initial),
}))
