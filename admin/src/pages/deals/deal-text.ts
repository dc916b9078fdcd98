/** The deal desk's words: refusal reasons and statuses as the merchant reads them. */
import type { DealStatus, InviteReason } from '../../../../cloud/contract'

export const REASON_LABEL: Record<InviteReason, string> = {
  SELF_INVITE: '自己邀请自己',
  INVITER_NOT_FOUND: '邀请人不存在',
  NOT_NEW_CUSTOMER: '不是新客',
  ALREADY_ENTERED: '已参加过',
  ALREADY_INVITED: '已被邀请',
  RISK_BLOCKED: '风险账号',
  NOT_PAID_YET: '待付款',
}

export const DEAL_STATUS_LABEL: Record<DealStatus, string> = { active: '进行中', paused: '已暂停' }
export const DEAL_STATUS_COLOR: Record<DealStatus, string> = { active: 'green', paused: 'default' }
