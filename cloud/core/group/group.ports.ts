/** What group buys (拼团) need from storage: campaigns, groups and their seats. */
import type { GroupCampaignStatus, GroupOnExpiry, GroupStatus, OrderStatus } from '../../contract'

export interface GroupCampaignRecord {
  id: string
  title: string
  productId: string
  skuId: string
  productTitle: string
  specText: string
  cover: string
  groupPriceFen: number
  /** The SKU's regular price. */
  priceFen: number
  stock: number
  groupSize: number
  groupHours: number
  startsAt: Date
  endsAt: Date
  onExpiry: GroupOnExpiry
  status: GroupCampaignStatus
  /** When the merchant ended it (status `ended`). */
  endedAt: Date | null
  createdAt: Date
}

/** A campaign with its results, as the console lists it (sums of the stored facts). */
export interface AdminGroupCampaignRecord extends GroupCampaignRecord {
  groupsOpened: number
  groupsSucceeded: number
  groupsFailed: number
  groupsForming: number
  membersPaid: number
  paidFen: number
  refundedFen: number
  /** Whether any group was opened (pending ones included): price and size are then fixed. */
  anyGroup: boolean
}

export interface GroupRecord {
  id: string
  campaignId: string
  leaderId: string
  size: number
  hours: number
  priceFen: number
  onExpiry: GroupOnExpiry
  held: number
  paid: number
  status: GroupStatus
  openedAt: Date
  formedAt: Date | null
  expiresAt: Date | null
  endedAt: Date | null
}

export type SeatStatus = 'held' | 'paid' | 'left' | 'refunded'

export interface SeatRecord {
  groupId: string
  userId: string
  orderId: string
  leader: boolean
  seat: SeatStatus
  nickname: string
  avatar: string
  orderStatus: OrderStatus
  payableFen: number
  joinedAt: Date
}

/** A seat's order as the group's release sees it, with its group's status read under the group's row lock. */
export interface SeatOfOrder {
  groupId: string
  seat: SeatStatus
  leader: boolean
  groupStatus: GroupStatus
}

export interface NewGroupCampaign {
  title: string
  productId: string
  skuId: string
  groupPriceFen: number
  groupSize: number
  groupHours: number
  startsAt: Date
  endsAt: Date
  onExpiry: GroupOnExpiry
  status: GroupCampaignStatus
}

export interface GroupRepo {
  createCampaign(c: NewGroupCampaign): Promise<string>
  campaign(id: string): Promise<GroupCampaignRecord | null>
  /**
   * The campaign with its row held FOR SHARE until the transaction ends (an open reads the terms it
   * uses so: a price or size edit, which locks the row FOR NO KEY UPDATE, waits for the open and then sees its group).
   */
  campaignShared(id: string): Promise<GroupCampaignRecord | null>
  /** The campaign with its row held FOR NO KEY UPDATE until the transaction ends (the console's edits and its end): it waits for opens (FOR SHARE) and other edits, never for a join's foreign-key lock. */
  campaignLocked(id: string): Promise<GroupCampaignRecord | null>
  /**
   * Ends the campaign at `at` for good (the caller holds its row): status `ended`, `endedAt` = at, and
   * `endsAt` = at when it was running then (an upcoming one keeps its window).
   */
  endCampaign(id: string, at: Date): Promise<void>
  /** Campaigns active and inside their window at `at`, newest first; only `productId`'s when given. */
  openCampaigns(at: Date, productId: string | null): Promise<GroupCampaignRecord[]>
  /**
   * Edits a campaign under its row lock; price and size only while it has no group (the check and the
   * write one statement after the lock, so a group opening meanwhile is seen). 'locked' when they
   * were asked and a group exists; 'ended' when the campaign was ended (nothing written); null when
   * the campaign does not exist.
   */
  updateCampaign(
    id: string,
    e: { title?: string; status?: 'active' | 'paused'; endsAt?: Date; groupPriceFen?: number; groupSize?: number },
  ): Promise<'ok' | 'locked' | 'ended' | null>
  /** The console's list (all, or those of `ids`), newest first, with results. */
  adminCampaigns(ids: string[] | null): Promise<AdminGroupCampaignRecord[]>
  /** A campaign's groups newest first (paged by offset), of one status when given. */
  adminGroups(campaignId: string, status: GroupStatus | null, offset: number, limit: number): Promise<GroupRecord[]>
  group(id: string): Promise<GroupRecord | null>
  /** The seats of the groups (held and paid only unless `all`), leader first, then by joining. */
  seats(groupIds: string[], all?: boolean): Promise<SeatRecord[]>
  /** Forming groups of the campaign with a seat left and time left at `at`, fullest first. */
  openGroups(campaignId: string, at: Date, limit: number): Promise<GroupRecord[]>
  /** Whether the user holds an unfinished seat of the campaign in a group other than `groupId`. */
  /** The group where the user holds an unfinished seat (open) in the campaign, or null. */
  myOpenGroup(campaignId: string, userId: string): Promise<string | null>
  openSeatElsewhere(campaignId: string, userId: string, groupId: string): Promise<boolean>
  /** The user's newest seat in the group (whatever its state). */
  mySeat(groupId: string, userId: string): Promise<SeatRecord | null>
  /**
   * Inserts a pending group and its leader's seat (the order's) in one statement. False when the
   * leader already holds an unfinished seat of the campaign (the partial unique key): nothing kept.
   */
  open(g: {
    id: string
    campaignId: string
    leaderId: string
    orderId: string
    size: number
    hours: number
    priceFen: number
    onExpiry: GroupOnExpiry
    at: Date
  }): Promise<boolean>
  /**
   * Takes one seat by ONE conditional update on the group's row (forming, not past expiresAt at
   * `at`, held < size, and its campaign active and inside its window at `at`, read in the statement's
   * snapshot without a lock) and inserts the member's seat in the same statement; then reads the
   * campaign again in a statement of its own, after the seat. `campaign`: that second read (a pause or
   * end committed while the seat was being taken shows there). 'joined': the user holds a seat here or
   * an unfinished one in the campaign (the held seat is then given back by the caller's rollback);
   * 'closed': the group ended or its time is up; 'refused': the group runs but no seat was taken (its
   * seats were full, or its campaign closed at `at`).
   */
  join(
    groupId: string,
    userId: string,
    orderId: string,
    at: Date,
  ): Promise<{ outcome: 'ok' | 'joined' | 'closed' | 'refused'; campaign: Pick<GroupCampaignRecord, 'status' | 'startsAt' | 'endsAt'> }>
  /**
   * A group order's payment counted, in the notify's transaction: the seat paid, the group's paid + 1
   * (pending → forming with its clock started; at size paid, succeeded), by one conditional update on
   * the group's row. Null when the group had ended (or its time was up at `at`): nothing counted.
   */
  countPaid(orderId: string, at: Date): Promise<{ groupId: string; status: GroupStatus } | null>
  /** The seat of an order, its group's row locked FOR UPDATE; null for an order that holds no seat. */
  seatOfOrder(orderId: string): Promise<SeatOfOrder | null>
  /** Frees the order's seat: held − 1 (and paid − 1 if it was paid); the group cancelled when `cancelGroup`. */
  freeSeat(
    orderId: string,
    opts: { wasPaid: boolean; cancelGroup: boolean; at: Date },
  ): Promise<{ paid: number; status: GroupStatus } | null>
  /**
   * Fails a forming group left with no paid member (a refund while forming took the last payment):
   * failed and ended at `at`, its seats closed. Answers the orders of its unpaid seats that were free
   * to lock (never waiting: the caller holds the group's row, and every other writer locks an order
   * before its group); a busy one is being paid or cancelled right now and meets the failed group
   * (a payment is refunded at once). Null when the group was not forming with no one paid.
   */
  failEmpty(groupId: string, at: Date): Promise<string[] | null>
  /** The seat of a refunded order after its group ended: marked refunded, the group's counts as they were. */
  markRefunded(orderId: string): Promise<void>
  /** Forming groups past their time at `at` (the expiry job ends each in a transaction of its own). */
  expiredIds(at: Date, limit: number): Promise<string[]>
  /**
   * Ends one expired group: locks its members' orders (in id order, as every other writer locks an
   * order before its group), then the group's row (forming, past expiresAt), then the orders of seats
   * taken in between only if they are free (never waiting for an order while holding the group), and
   * ends it: `complete` with a paid member → succeeded, else failed. The seats held and paid then, or
   * null when the group was not forming and expired any more, or when such an order was busy (the
   * next run ends it; nothing changed).
   */
  endExpired(groupId: string, at: Date): Promise<{ group: GroupRecord; seats: Array<{ orderId: string; seat: SeatStatus }> } | null>
  /** The groups' status by group id (the desk's 拼团中 tag, shipping's check). */
  statuses(groupIds: string[]): Promise<Map<string, { status: GroupStatus; seatsLeft: number }>>
}
