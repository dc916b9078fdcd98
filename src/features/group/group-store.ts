import { create } from 'zustand'
import type { ActionOutput, GroupCampaignView, GroupView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { serverNow, useServerClock } from '../shared/server-clock'

type CampaignPage = ActionOutput<'group', 'campaign'>

interface Entry<T> {
  status: LoadStatus
  data: T | null
  error: string | null
}

interface GroupState {
  groups: Record<string, Entry<GroupView>>
  campaigns: Record<string, Entry<CampaignPage>>
  /** The open campaign of a product (the product page's 拼团价 line); null when it has none. */
  forProduct: Record<string, GroupCampaignView | null>
  /** A group's page; a reload keeps what is shown while it runs (polling), an error only replaces nothing. */
  loadGroup: (groupId: string) => Promise<void>
  loadCampaign: (campaignId: string) => Promise<void>
  loadForProduct: (productId: string) => Promise<void>
}

/** 拼团's store: group pages, campaign pages and the product page's campaign. Opening and joining go through checkout (use-checkout.ts). */
export const useGroupStore = create<GroupState>()((set) => ({
  groups: {},
  campaigns: {},
  forProduct: {},
  async loadGroup(groupId) {
    set((s) => ({ groups: { ...s.groups, [groupId]: { status: 'loading', data: s.groups[groupId]?.data ?? null, error: null } } }))
    try {
      const data = await call('group', 'get', { groupId })
      useServerClock.getState().sync(data.serverTime)
      set((s) => ({ groups: { ...s.groups, [groupId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({
        groups: {
          ...s.groups,
          [groupId]: {
            status: s.groups[groupId]?.data ? 'ready' : 'error',
            data: s.groups[groupId]?.data ?? null,
            error: errorMessage(err),
          },
        },
      }))
    }
  },
  async loadCampaign(campaignId) {
    set((s) => ({
      campaigns: { ...s.campaigns, [campaignId]: { status: 'loading', data: s.campaigns[campaignId]?.data ?? null, error: null } },
    }))
    try {
      const data = await call('group', 'campaign', { campaignId })
      useServerClock.getState().sync(data.serverTime)
      set((s) => ({ campaigns: { ...s.campaigns, [campaignId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({ campaigns: { ...s.campaigns, [campaignId]: { status: 'error', data: null, error: errorMessage(err) } } }))
    }
  },
  async loadForProduct(productId) {
    try {
      const { items } = await call('group', 'campaigns', { productId })
      set((s) => ({ forProduct: { ...s.forProduct, [productId]: items[0] ?? null } }))
    } catch {
      // The product page shows no 拼团 line when this fails: buying at the regular price still works.
    }
  },
}))

/** Time left as 时:分:秒 (the group page's countdown). */
export function hms(seconds: number): string {
  const h = Math.floor(seconds / 3600)
  const m = Math.floor((seconds % 3600) / 60)
  const s = seconds % 60
  return [h, m, s].map((n) => String(n).padStart(2, '0')).join(':')
}

/** Where a campaign stands now on the server's clock: taking groups, paused, ended (by the desk or its end time), or not started. */
export type CampaignPhase = 'open' | 'paused' | 'ended' | 'upcoming'

export function campaignPhase(c: Pick<GroupCampaignView, 'status' | 'startsAt' | 'endsAt'>, now = serverNow()): CampaignPhase {
  if (c.status === 'ended' || now >= new Date(c.endsAt).getTime()) return 'ended'
  if (c.status === 'paused') return 'paused'
  if (now < new Date(c.startsAt).getTime()) return 'upcoming'
  return 'open'
}

/** A forming group whose campaign stopped: what happens to it (the group page and the order say the same). */
export function stoppedGroupText(c: Pick<GroupCampaignView, 'status' | 'startsAt' | 'endsAt' | 'onExpiry'>): string | null {
  const phase = campaignPhase(c)
  if (phase === 'paused') return '活动暂停中，暂不能参团（恢复后可继续邀请）'
  if (phase === 'ended') return c.onExpiry === 'refund' ? '活动已结束，该团将自动退款' : '活动已结束，将按已付人数成团'
  return null
}
