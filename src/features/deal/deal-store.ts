import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { ActionOutput, FlashSaleView, InviteReason } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import { newIdempotencyKey } from '../../lib/idempotency'
import type { LoadStatus } from '../shared/load-status'

type DealStatus = ActionOutput<'deal', 'status'>
type Earnings = ActionOutput<'earnings', 'mine'>

export const INVITE_REASON_TEXT: Record<InviteReason, string> = {
  SELF_INVITE: '不能邀请自己',
  INVITER_NOT_FOUND: '邀请人不存在',
  NOT_NEW_CUSTOMER: '已是老顾客',
  ALREADY_ENTERED: '之前已参加过活动',
  ALREADY_INVITED: '已被其他好友邀请',
  RISK_BLOCKED: '账号存在风险',
  NOT_PAID_YET: '好友尚未付款',
}

interface DealState {
  deals: Record<string, { status: LoadStatus; data: DealStatus | null; error: string | null }>
  flash: FlashSaleView[]
  /** Server time minus device time when the list arrived: countdowns never trust the device clock. */
  clockOffsetMs: number
  flashStatus: LoadStatus
  earnings: Earnings | null
  earningsStatus: LoadStatus
  /** Opens a deal: accepts the invite first (first touch), then reads the standing. */
  openDeal: (campaignId: string, inviterId?: string) => Promise<void>
  claim: (campaignId: string) => Promise<string | null>
  loadFlash: () => Promise<void>
  loadEarnings: () => Promise<void>
}

export const useDealStore = create<DealState>()((set, get) => ({
  deals: {},
  flash: [],
  clockOffsetMs: 0,
  flashStatus: 'idle',
  earnings: null,
  earningsStatus: 'idle',
  async openDeal(campaignId, inviterId) {
    set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'loading', data: s.deals[campaignId]?.data ?? null, error: null } } }))
    try {
      if (inviterId) {
        const r = await call('deal', 'acceptInvite', { campaignId, inviterId })
        if (!r.counted && r.reason && r.reason !== 'NOT_PAID_YET' && r.reason !== 'SELF_INVITE') {
          void Taro.showToast({ title: `本次邀请未计入：${INVITE_REASON_TEXT[r.reason]}`, icon: 'none' })
        }
      }
      const data = await call('deal', 'status', { campaignId })
      set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'error', data: null, error: errorMessage(err) } } }))
    }
  },
  async claim(campaignId) {
    try {
      const { orderId } = await call('deal', 'claim', { campaignId, idempotencyKey: newIdempotencyKey() })
      await get().openDeal(campaignId)
      return orderId
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
      return null
    }
  },
  async loadFlash() {
    set({ flashStatus: 'loading' })
    try {
      const { serverTime, items } = await call('flash', 'list', {})
      set({ flash: items, clockOffsetMs: new Date(serverTime).getTime() - Date.now(), flashStatus: 'ready' })
    } catch {
      set({ flashStatus: 'error' })
    }
  },
  async loadEarnings() {
    set({ earningsStatus: 'loading' })
    try {
      set({ earnings: await call('earnings', 'mine', {}), earningsStatus: 'ready' })
    } catch {
      set({ earningsStatus: 'error' })
    }
  },
}))
