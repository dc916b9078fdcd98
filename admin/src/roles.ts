/**
 * What each staff role sees in the console, as cloud/functions/admin.ts admits them: the owner
 * everything; 运营 the catalog and 概览; 客服 the orders; 主播 live rooms only (not in this console yet).
 */
import type { StaffRole } from '../../cloud/contract'

export type Area = 'dashboard' | 'products' | 'orders' | 'staff' | 'audit'

export const ROLE_LABEL: Record<StaffRole, string> = { owner: '店主', operator: '运营', service: '客服', anchor: '主播', guide: '导购' }

/** Whether the header shows the role's tag beside the nickname: not when the nickname is the role's name (店主 [店主]). */
export const showsRoleTag = (nickname: string, role: StaffRole): boolean => nickname.trim() !== ROLE_LABEL[role]

/** What each role may do, in the words the staff page explains them. */
export const ROLE_DUTIES: Record<StaffRole, string> = {
  owner: '全部功能，含员工与操作日志',
  operator: '商品、营销、直播',
  service: '订单、退款、发货',
  anchor: '直播间',
  guide: '自己的导购码与业绩',
}

const AREAS: Record<Area, readonly StaffRole[]> = {
  dashboard: ['owner', 'operator'],
  products: ['owner', 'operator'],
  orders: ['owner', 'service'],
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
  return '/welcome'
}
