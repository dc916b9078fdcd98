import type { GroupStatus } from '../../../../cloud/contract'

export const GROUP_STATUS_LABEL: Record<GroupStatus, string> = {
  pending: '待团长支付',
  forming: '拼团中',
  succeeded: '已成团',
  failed: '拼团失败',
  cancelled: '已取消',
}
export const GROUP_STATUS_COLOR: Record<GroupStatus, string> = {
  pending: 'default',
  forming: 'orange',
  succeeded: 'green',
  failed: 'red',
  cancelled: 'default',
}
export const SEAT_LABEL = { held: '待支付', paid: '已支付', left: '已退出', refunded: '已退款' } as const
export const ON_EXPIRY_LABEL = { refund: '未成团自动退款', complete: '到时按已付人数成团' } as const
