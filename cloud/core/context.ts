import type { StaffRole } from '../contract'
import type { Repos } from './ports'
import type { SessionCache } from './auth/auth.ports'
import type { LiveCache } from './live/live.ports'
import type { PresenceMarks } from './live/shows.ports'
import type {
  AvatarStore,
  ContentChecker,
  ImageProcessor,
  ImageStore,
  LoginProvider,
  MediaChecker,
  NotificationSender,
  PaymentProvider,
  PhoneNumbers,
  PosterCodes,
  RiskChecker,
  TransferProvider,
  WecomContacts,
} from './services.ports'

/** Who is calling. Identity comes from the WeChat context or a bearer token, never from `data`. */
export interface Caller {
  userId: string
  openid: string
  /** Any staff role: staff are kept out of draws and awards, and see the anchor's console. */
  isAdmin: boolean
  /** The staff role (owner: ADMIN_OPENIDS; others: the staff table), null for shoppers. */
  role: StaffRole | null
}

/** Settings the rules read; the host and the cloud entry fill them from the environment. */
export interface CoreConfig {
  devLoginEnabled: boolean
  adminOpenids: ReadonlySet<string>
  sessionTtlDays: number
  /** Unpaid orders are cancelled after this long. */
  orderPayMinutes: number
  /** How far back a share link still names an order's sharer. */
  shareAttributionDays: number
  /** Earnings settle once an order is this far past its payment (its refund window). */
  refundWindowDays: number
  /** Shipped orders complete by themselves (自动确认收货) this long after shipping. */
  autoCompleteDays: number
  /** The shop's 客服 phone shown where WeChat's contact button is missing (H5); unset: none. */
  servicePhone?: string
  /** Which new coupons keep their stock in slots (coupon.rules claimSlots); coupon.rules DEFAULT_SLOTS when absent. */
  couponSlots?: { minStock: number; count: number }
}

/** The external services, each behind its interface: a WeChat adapter or a local sandbox. */
export interface Services {
  payments: PaymentProvider
  notifier: NotificationSender
  contentCheck: ContentChecker
  /** The image check for avatars. */
  media: MediaChecker
  avatars: AvatarStore
  risk: RiskChecker
  /** Withdrawals' payouts. */
  transfers: TransferProvider
  posters: PosterCodes
  /** Uploaded images: checked and resized (imageProcessor), then kept (imageStore). */
  imageProcessor: ImageProcessor
  imageStore: ImageStore
  /** wx.login codes to OPENIDs for `auth.login`; null where the transport itself names the caller (CloudBase). */
  login: LoginProvider | null
  /** getPhoneNumber codes to phone numbers (member.joinByPhone). */
  phones: PhoneNumbers
  /** The merchant's 企业微信 for 朋友会员 (member.wecomContact); null where it isn't configured. */
  wecom: WecomContacts | null
}

/**
 * What a host keeps in its memory across calls (each short, bounded, correct on expiry and with many
 * instances: docs/rules.md). Absent, every call reads the database as it did without them.
 */
export interface HostCaches {
  /** Shoppers' sessions for a few seconds (auth.service callerFromToken). */
  sessionCache?: SessionCache
  /** Rooms' poll state and shared views (live.service sync, enter). */
  liveCache?: LiveCache
  /** Presence marks flushed every few seconds (shows.service markPresence). */
  presence?: PresenceMarks
}

/** Everything a domain service gets: the caller, the request id, the clock, the transaction's repos and the services. */
export interface Ctx extends Services, HostCaches {
  caller: Caller | null
  requestId: string
  now: () => Date
  repos: Repos
  config: CoreConfig
  /** The caller's network address when the transport knows it (the HTTP host), for per-address limits. */
  clientAddress?: string
  /** The caller's User-Agent when the transport knows it (the HTTP host). */
  clientUserAgent?: string
  /**
   * Set by onceByKey (admin/request-keys) when the call was a replay of an idempotency key: it
   * answered the first call's result and wrote nothing, so the edge appends no audit entry.
   */
  replayed?: boolean
}

export type AuthedCtx = Ctx & { caller: Caller }
