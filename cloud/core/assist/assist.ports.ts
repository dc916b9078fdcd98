/** What assists (好友助力 / 砍价) need from storage. */
import type { AssistFace, AssistReason, AssistStatus } from '../../contract'

export interface AssistCampaignRecord {
  id: string
  title: string
  face: AssistFace
  rewardCouponId: string | null
  productId: string | null
  skuId: string | null
  /** The product's title and cover (price_cut), for the page. */
  productTitle: string | null
  cover: string | null
  /** Face price_cut: the published starting price (the SKU's price at creation). */
  priceFen: number | null
  cutPerHelpFen: number | null
  helpsNeeded: number
  taskHours: number
  helperCouponId: string | null
  newCustomersOnly: boolean
  dailyHelpCap: number
  startsAt: Date
  endsAt: Date
  status: AssistStatus
  createdAt: Date
}

export type NewAssistCampaign = Omit<AssistCampaignRecord, 'id' | 'createdAt' | 'productTitle' | 'cover'>

/** A task with the terms it was started under, and its campaign's state as read with it. */
export interface AssistTaskRecord {
  id: string
  campaignId: string
  starterId: string
  helpsNeeded: number
  cutPerHelpFen: number | null
  priceFen: number | null
  helps: number
  startedAt: Date
  expiresAt: Date
  completedAt: Date | null
  /** The order holding the task's one purchase (not cancelled), and its status. */
  orderId: string | null
  orderStatus: string | null
}

export interface AssistHelpRow {
  helperId: string
  nickname: string
  avatarUrl: string | null
  counted: boolean
  reason: AssistReason | null
  at: Date
  /** The welcome coupon this help was granted (the first counted help of the helper in the campaign). */
  welcomeCouponId: string | null
}

/** The stored facts of a campaign's results (admin). */
export interface AssistFacts {
  tasksStarted: number
  tasksCompleted: number
  /** Tasks not completed whose time is up at `now`. */
  tasksExpired: number
  helpsCounted: number
  refusals: Partial<Record<AssistReason, number>>
  newCustomersHelped: number
  helperCouponsGranted: number
  rewardCouponsGranted: number
  ordersPlaced: number
  ordersPaid: number
  gmvFen: number
}

export type TakeHelpOutcome = 'counted' | 'completed' | 'DAILY_LIMIT'

export interface AssistRepo {
  createCampaign(c: NewAssistCampaign): Promise<string>
  campaign(id: string): Promise<AssistCampaignRecord | null>
  campaigns(ids?: string[]): Promise<AssistCampaignRecord[]>
  /** The campaign read with its row held shared to the end of the transaction (start: a pause or a terms edit waits). */
  campaignShared(id: string): Promise<AssistCampaignRecord | null>
  /** The campaign read with its row held FOR NO KEY UPDATE (the console's edits): it waits for starts and helps (FOR SHARE), not for a foreign key's key-share lock. */
  campaignLocked(id: string): Promise<AssistCampaignRecord | null>
  updateCampaign(
    id: string,
    fields: Partial<Pick<AssistCampaignRecord, 'title' | 'status' | 'helpsNeeded' | 'cutPerHelpFen' | 'endsAt'>>,
  ): Promise<void>
  hasTasks(campaignId: string): Promise<boolean>
  /** Inserts the starter's task unless they have one; the task id either way. */
  startTask(t: {
    campaignId: string
    starterId: string
    helpsNeeded: number
    cutPerHelpFen: number | null
    priceFen: number | null
    startedAt: Date
    expiresAt: Date
  }): Promise<string>
  taskIdOf(campaignId: string, starterId: string): Promise<string | null>
  /** Campaigns active and within their window at `now`, newest first. */
  openCampaigns(now: Date): Promise<AssistCampaignRecord[]>
  /** The starter's tasks, newest first, with their campaign's title, face and status. */
  tasksOf(
    starterId: string,
  ): Promise<Array<AssistTaskRecord & { title: string; face: AssistFace; campaignStatus: AssistStatus; campaignEndsAt: Date }>>
  task(taskId: string): Promise<AssistTaskRecord | null>
  /** The task's row locked FOR UPDATE (first), its campaign's FOR SHARE: a help's or a purchase's first lock. */
  lockTask(taskId: string): Promise<AssistTaskRecord | null>
  helpOf(taskId: string, helperId: string): Promise<{ counted: boolean; reason: AssistReason | null } | null>
  /** Under the task's lock: the day counter and the task's count by conditional updates, and the counted help (assist_take_help). */
  takeHelp(h: { taskId: string; helperId: string; day: string; cap: number; now: Date; wasNew: boolean }): Promise<TakeHelpOutcome>
  /**
   * Keeps a refused try for the starter's list (the latest reason); a counted help is never
   * overwritten, its friend trying again (ALREADY_HELPED) only marked for the desk.
   */
  recordRefusal(h: { taskId: string; helperId: string; reason: AssistReason; wasNew: boolean; now: Date }): Promise<void>
  helpers(taskId: string): Promise<AssistHelpRow[]>
  /**
   * The helper's welcome coupon for their counted help on `taskId`, granted under `grantKey` (the
   * campaign's and the helper's) and named on the help's row, in one statement: null when the key was
   * granted already (a racing grant waits on the key's unique index, then finds it).
   */
  /** Whether the coupon was granted under `grantKey` (a helper's welcome coupon of a campaign). */
  granted(couponId: string, grantKey: string): Promise<boolean>
  grantWelcome(g: {
    taskId: string
    couponId: string
    userId: string
    grantKey: string
    validFrom: Date
    validTo: Date
  }): Promise<string | null>
  /** Takes the task's one purchase for the order: false when an order not cancelled holds it. */
  takePurchase(taskId: string, orderId: string): Promise<boolean>
  /** Frees the purchase the order held (a cancelled or timed-out order). */
  releasePurchase(orderId: string): Promise<void>
  facts(campaignIds: string[], now: Date): Promise<Map<string, AssistFacts>>
}
