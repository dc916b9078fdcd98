/**
 * What each staff role sees in the console, as cloud/functions/admin.ts admits them: the owner
 * everything; 运营 the catalog, marketing, live shows, customers, sharers and 概览; 客服 the orders and
 * customers; 主播 live rooms; 导购 their own guide code. Every staff member has a guide code.
 */
import type { StaffRole } from '../../cloud/contract'

export type Area =
  | 'dashboard'
  | 'products'
  | 'orders'
  | 'coupons'
  | 'deals'
  | 'flash'
  | 'assist'
  | 'group'
  | 'membership'
  | 'live'
  | 'customers'
  | 'sharers'
  | 'withdrawals'
  | 'guide'
  | 'staff'
  | 'audit'

export const ROLE_LABEL: Record<StaffRole, string> = { owner: '店主', operator: '运营', service: '客服', anchor: '主播', guide: '导购' }

/** Whether the header shows the role's tag beside the nickname: not when the nickname is the role's name (店主 [店主]). */
export const showsRoleTag = (nickname: string, role: StaffRole): boolean => nickname.trim() !== ROLE_LABEL[role]

/** What each role may do, in the words the staff page explains them. */
export const ROLE_DUTIES: Record<StaffRole, string> = {
  owner: '全部功能，含员工与操作日志',
  operator: '商品、营销、直播、客户、分销',
  service: '订单、退款、发货、客户',
  anchor: '直播间',
  guide: '自己的导购码与业绩',
}

const AREAS: Record<Area, readonly StaffRole[]> = {
  dashboard: ['owner', 'operator'],
  products: ['owner', 'operator'],
  orders: ['owner', 'service'],
  coupons: ['owner', 'operator'],
  deals: ['owner', 'operator'],
  flash: ['owner', 'operator'],
  assist: ['owner', 'operator'],
  group: ['owner', 'operator'],
  membership: ['owner', 'operator'],
  live: ['owner', 'operator', 'anchor'],
  customers: ['owner', 'operator', 'service'],
  sharers: ['owner', 'operator'],
  withdrawals: ['owner'],
  guide: ['owner', 'operator', 'service', 'anchor', 'guide'],
  staff: ['owner'],
  audit: ['owner'],
}

export function mayOpen(role: StaffRole, area: Area): boolean {
  return AREAS[area].includes(role)
}

/** Where a role lands after signing in. */
export function homeOf(role: StaffRole): string {
  if (mayOpen(role, 'dashboard')) return '/dashboard'
  if (mayOpen(role, 'orders')) return '/orders'
  if (mayOpen(role, 'live')) return '/live'
  return '/guide'
}
