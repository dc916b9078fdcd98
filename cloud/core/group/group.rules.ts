/** 拼团's rules that need no storage: who may see what, masked names, the group's id, results. */
import { createHash } from 'node:crypto'
import type { GroupCampaignView, GroupMember } from '../../contract'
import { maskHead } from '../live/room.rules'
import type { GroupCampaignRecord, SeatRecord } from './group.ports'

/** Whether the campaign opens groups and takes joiners at `now`: active and inside its window. */
export const campaignOpen = (c: Pick<GroupCampaignRecord, 'status' | 'startsAt' | 'endsAt'>, now: Date): boolean =>
  c.status === 'active' && c.startsAt.getTime() <= now.getTime() && now.getTime() < c.endsAt.getTime()

/**
 * The group an open makes, named by the opener and their order's idempotency key: a repeat of the key
 * names the same group (order.create's rule for a play's ref), another key another group.
 */
export const openGroupId = (userId: string, idempotencyKey: string): string =>
  `g_${createHash('sha256').update(`${userId}:${idempotencyKey}`).digest('hex').slice(0, 16)}`

export function campaignView(c: GroupCampaignRecord, now: Date): GroupCampaignView {
  return {
    campaignId: c.id,
    title: c.title || `${c.groupSize}人团 · ${c.productTitle}`,
    productId: c.productId,
    skuId: c.skuId,
    productTitle: c.productTitle,
    specText: c.specText,
    cover: c.cover,
    groupPriceFen: c.groupPriceFen,
    priceFen: c.priceFen,
    groupSize: c.groupSize,
    groupHours: c.groupHours,
    startsAt: c.startsAt.toISOString(),
    endsAt: c.endsAt.toISOString(),
    onExpiry: c.onExpiry,
    status: c.status,
    open: campaignOpen(c, now),
  }
}

export const memberView = (s: SeatRecord): GroupMember => ({
  nickname: maskHead(s.nickname),
  avatar: s.avatar,
  leader: s.leader,
  paid: s.seat === 'paid' || s.seat === 'refunded',
  refunded: s.seat === 'refunded',
})

/** Succeeded over ended groups; null before any ended. */
export const successRate = (succeeded: number, failed: number): number | null =>
  succeeded + failed === 0 ? null : Math.round((succeeded / (succeeded + failed)) * 1000) / 1000
