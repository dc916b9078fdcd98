/**
 * Every repository the core reaches through `ctx.repos`, one per table family. Each port is declared
 * in its domain's `<domain>.ports.ts`; cloud/db implements them on PostgreSQL, bound to the
 * transaction of one call (`reposFor`).
 */
import type { AddressRepo } from './address/address.ports'
import type { AuditRepo, StaffRepo } from './admin/staff.ports'
import type { ConsoleTicketRepo, SessionRepo, UserRepo } from './auth/auth.ports'
import type { CartRepo } from './cart/cart.ports'
import type { CatalogRepo } from './catalog/catalog.ports'
import type { PlaysRepo } from './catalog/plays.ports'
import type { CouponRepo } from './coupon/coupon.ports'
import type { DealRepo, EarningsRepo, WithdrawalRepo } from './deal/deal.ports'
import type { FlashSaleRepo } from './flash/flash.ports'
import type { LimitRepo } from './limits.ports'
import type { LiveRepo, OutboxRepo } from './live/live.ports'
import type { ShowsRepo } from './live/shows.ports'
import type { OrderRepo, PaymentRepo, SettingsRepo, ShareRepo } from './order/order.ports'
import type { DeskRepo } from './order/desk.ports'
import type { DashboardRepo } from './admin/dashboard.ports'
import type { SharerRepo } from './sharer/sharer.ports'
import type { MembersRepo } from './customer/members.ports'
import type { AssistRepo } from './assist/assist.ports'
import type { GroupRepo } from './group/group.ports'
import type { MemberJoinRepo } from './member/join.ports'
import type { MembershipRepo } from './member/member.ports'

export interface Repos {
  users: UserRepo
  sessions: SessionRepo
  catalog: CatalogRepo
  cart: CartRepo
  addresses: AddressRepo
  orders: OrderRepo
  shares: ShareRepo
  payments: PaymentRepo
  settings: SettingsRepo
  coupons: CouponRepo
  live: LiveRepo
  outbox: OutboxRepo
  flash: FlashSaleRepo
  deals: DealRepo
  earnings: EarningsRepo
  withdrawals: WithdrawalRepo
  limits: LimitRepo
  staff: StaffRepo
  audit: AuditRepo
  consoleTickets: ConsoleTicketRepo
  /** The order desk's reads (all buyers' orders). */
  desk: DeskRepo
  /** 概览's sums. */
  dashboard: DashboardRepo
  /** The console's live shows: room list, edits, presence, reports. */
  shows: ShowsRepo
  /** The sharer ranking (分销员) and guides' figures. */
  sharers: SharerRepo
  /** Customers by RFM, coupon grants and message allowances. */
  members: MembersRepo
  /** 好友助力 / 砍价: campaigns, tasks, helps and the daily counters. */
  assists: AssistRepo
  /** 拼团: campaigns, groups and their seats. */
  groups: GroupRepo
  /** The home strip's open plays (拼团 · 砍价). */
  plays: PlaysRepo
  /** The ways into membership: phones, 联系我 codes, WeCom contacts and their events. */
  memberJoins: MemberJoinRepo
  /** Membership (会员): tiers, points and their ledger, the shop's member rules. */
  membership: MembershipRepo
}
