import type { OrderItemInput, OrderTab } from '../../cloud/contract'

/** Who shared the page, and the live room it came from: carried from a share link into the order. */
export interface ShareRef {
  sharerId?: string
  roomId?: string
}

const query = (params: Record<string, string | undefined>) => {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(v!)}`)
  return parts.length ? `?${parts.join('&')}` : ''
}

/** Checkout items in a query: productId~skuId~qty, comma separated. */
export function encodeItems(items: OrderItemInput[]): string {
  return items.map((i) => `${i.productId}~${i.skuId ?? ''}~${i.qty}`).join(',')
}

export function decodeItems(text: string | undefined): OrderItemInput[] {
  if (!text) return []
  return decodeURIComponent(text)
    .split(',')
    .map((part) => part.split('~'))
    .filter((p) => p.length === 3 && p[0] && Number(p[2]) > 0)
    .map(([productId, skuId, qty]) => ({ productId: productId!, ...(skuId ? { skuId } : {}), qty: Math.min(99, Math.floor(Number(qty))) }))
}

/** Paths of the pages, in one place. */
export const routes = {
  home: '/pages/index/index',
  /** The home as a share names it: with the sharer, whose touch the home records when a friend opens it. */
  homeFrom: (sharerId?: string) => `/pages/index/index${query({ sharerId })}`,
  category: '/pages/category/index',
  cart: '/pages/cart/index',
  me: '/pages/me/index',
  product: (id: string, ref: ShareRef = {}) => `/packages/goods/detail/index${query({ id, ...ref })}`,
  checkout: (items: OrderItemInput[], opts: ShareRef & { fromCart?: boolean; flashSaleId?: string } = {}) =>
    `/packages/order/checkout/index${query({ items: encodeItems(items), sharerId: opts.sharerId, roomId: opts.roomId, fromCart: opts.fromCart ? '1' : undefined, flashSaleId: opts.flashSaleId })}`,
  order: (id: string) => `/packages/order/detail/index${query({ id })}`,
  orders: (tab: OrderTab = 'all') => `/packages/order/list/index${query({ tab })}`,
  couponCenter: '/packages/coupon/center/index',
  lives: '/packages/live/list/index',
  deal: (campaignId: string, inviterId?: string) => `/packages/deal/index${query({ id: campaignId, inviterId })}`,
  flashSales: '/packages/deal/flash/index',
  earnings: '/packages/deal/earnings/index',
  room: (id: string, sharerId?: string) => `/packages/live/room/index${query({ id, sharerId })}`,
  liveConsole: (id: string) => `/packages/live/console/index${query({ id })}`,
  myCoupons: '/packages/coupon/mine/index',
  profile: '/packages/user/profile/index',
  /** 会员中心: tier, points, the rules, the ledger, and the ways to join. */
  member: '/packages/user/member/index',
  search: (q?: string) => `/packages/goods/search/index${query({ q })}`,
  addresses: (pick = false) => `/packages/order/address/index${query({ pick: pick ? '1' : undefined })}`,
  /** Checkout of one new-user deal claim: the same page as any order, in deal mode. */
  dealCheckout: (campaignId: string) => `/packages/order/checkout/index${query({ dealId: campaignId })}`,
  /** 好友助力 / 砍价: a task (the starter's progress, a friend's help) and a campaign's page. */
  assistTask: (taskId: string) => `/packages/assist/index${query({ taskId })}`,
  assistCampaign: (campaignId?: string) => `/packages/assist/campaign/index${query({ campaignId })}`,
  /** Checkout of an assist task's price-cut order, at the price the task has reached. */
  assistCheckout: (taskId: string) => `/packages/order/checkout/index${query({ assistTaskId: taskId })}`,
  /** 拼团: a group's page, a campaign's page (its open groups and 发起拼团), and checkout opening or joining. */
  group: (groupId: string) => `/packages/group/index${query({ id: groupId })}`,
  groupCampaign: (campaignId: string) => `/packages/group/campaign/index${query({ id: campaignId })}`,
  groupCheckout: (target: { campaignId: string } | { groupId: string }) =>
    `/packages/order/checkout/index${query('groupId' in target ? { groupId: target.groupId } : { groupCampaignId: target.campaignId })}`,
}
