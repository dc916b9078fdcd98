/** What the console's live shows need from storage: the room list with figures, edits, presence and the report's sums. */
import type { CouponKind, RoomStatus } from '../../contract'
import type { RoomRecord } from './live.ports'

/**
 * A room's place in the console's list order: its status rank (live, upcoming, ended), its time key
 * (epoch seconds as decimal text, signed so that ascending is the list's order) and its seq (newest first).
 */
export interface ShowPosition {
  rank: number
  key: string
  seq: string
}

/** A room with the figures the console lists: entries, peak, and its paid, unrefunded orders. */
export interface ShowRecord extends RoomRecord {
  viewers: number
  peakViewers: number
  orders: number
  gmvFen: number
}

/** The fields an edit may set; absent ones stay as they are. */
export interface ShowEdit {
  title?: string
  startsAt?: Date
  streamKind?: RoomRecord['streamKind']
  streamUrl?: string | null
  replayUrl?: string | null
  poster?: string
  communityQr?: string
  anchorName?: string
  anchorAvatar?: string
}

export interface ReportSums {
  comments: number
  credits: number
  orders: number
  buyers: number
  gmvFen: number
  topSharers: Array<{ userId: string; nickname: string; invites: number; orders: number; gmvFen: number }>
  coupons: Array<{
    couponId: string
    title: string
    kind: CouponKind
    valueFen: number | null
    percentOff: number | null
    maxOffFen: number | null
    thresholdFen: number
    claimed: number
    used: number
    discountFen: number
    /** Granted after the show from this room (top-sharer award, coupon to its viewers), and of those used. */
    granted: number
    grantedUsed: number
  }>
  /** Every product pushed here or sold in a room order, `pushed` saying which; pushed first in push order. */
  goods: Array<{ productId: string; title: string; units: number; gmvFen: number; pushed: boolean }>
}

export interface ShowsRepo {
  /**
   * One page of rooms in the console's order: live ones first (latest start first), then upcoming
   * (soonest first), then ended (latest end first); the page after the position `after`.
   */
  /** The rooms after `after` (null: from the top) in the list's order, each with its position there. */
  list(status: RoomStatus | null, after: ShowPosition | null, limit: number): Promise<Array<ShowRecord & { position: ShowPosition }>>
  one(roomId: string): Promise<ShowRecord | null>
  /**
   * Applies the edit; with `startsAt` only while the room is still upcoming (a conditional update):
   * false when it is not (it started meanwhile), nothing changed then.
   */
  update(roomId: string, edit: ShowEdit): Promise<boolean>
  /** Presence: the viewer's last-seen moves to `at` only when it is older than `everyMs` (one write per viewer per interval). */
  seen(roomId: string, userId: string, at: Date, everyMs: number): Promise<void>
  /** `seen` for many viewers of the room in one statement (rows locked in user id order). */
  seenMany(roomId: string, marks: ReadonlyArray<PresenceMark>, everyMs: number): Promise<void>
  /**
   * While live, at most once per `everyMs` per room (a conditional update on the sample time): the
   * viewers seen within `windowMs` of `at` are counted and the peak raised to them. `closing`: the
   * show's last sample, taken by the call that just ended it (the room is no longer live then).
   */
  samplePeak(roomId: string, at: Date, everyMs: number, windowMs: number, closing?: boolean): Promise<void>
  /** The report's sums (see docs/rules.md, Live show reports); top sharers leave out staff as the lottery does. */
  report(roomId: string, staffOpenids: string[], topLimit: number): Promise<ReportSums>
}

/** A viewer seen in a room at `at` (a live.enter or live.sync). */
export interface PresenceMark {
  userId: string
  at: Date
}

/**
 * Presence marks kept in the host's memory between flushes (cloud/adapters/cache/presence.ts), so a
 * poll writes nothing: the host flushes each room's marks every few seconds in one statement
 * (shows.service flushPresence), and the console's reads of a room flush this host's marks first.
 */
export interface PresenceMarks {
  /** The viewer was seen now; a later mark of the same viewer replaces an earlier one. */
  mark(roomId: string, userId: string, at: Date): void
  /** Takes (and forgets) the marks of the room, latest per viewer. */
  take(roomId: string): PresenceMark[]
  /** The rooms holding marks. */
  rooms(): string[]
}
