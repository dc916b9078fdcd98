import { create } from 'zustand'
import type { ActionOutput, InviteReason } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { useServerClock } from '../shared/server-clock'

type DealStatus = ActionOutput<'deal', 'status'>

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
  /**
   * Opens a deal: accepts the invite first (first touch), then reads the standing. Answers why the
   * invite was not counted when the friend should hear it (not for 尚未付款 or a self-invite).
   */
  openDeal: (campaignId: string, inviterId?: string) => Promise<InviteReason | null>
}

/** A claim is placed by checkout in deal mode (address, price breakdown, pay), like any order: see use-checkout.ts. */
export const useDealStore = create<DealState>()((set) => ({
  deals: {},
  async openDeal(campaignId, inviterId) {
    set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'loading', data: s.deals[campaignId]?.data ?? null, error: null } } }))
    let uncounted: InviteReason | null = null
    try {
      if (inviterId) {
        const r = await call('deal', 'acceptInvite', { campaignId, inviterId })
        if (!r.counted && r.reason && r.reason !== 'NOT_PAID_YET' && r.reason !== 'SELF_INVITE') uncounted = r.reason
      }
      const data = await call('deal', 'status', { campaignId })
      useServerClock.getState().sync(data.serverTime)
      set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({ deals: { ...s.deals, [campaignId]: { status: 'error', data: null, error: errorMessage(err) } } }))
    }
    return uncounted
  },
}))
