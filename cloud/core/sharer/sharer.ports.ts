/** What the sharer ranking and the guide codes need from storage. */
import type { SharerRow } from '../../contract'

export type SharerSort = 'orders' | 'gmv' | 'commission'

/** A place in the ranking: the last row's sort values (orders, gmv, commission) and its user id. */
export interface SharerPosition {
  orders: number
  gmvFen: number
  commissionFen: number
  userId: string
}

export interface SharerRankQuery {
  /** Paid at or after `from` and before `to`; null: no bound. */
  from: Date | null
  to: Date | null
  /** The sort's keys, each descending, then the user id ascending (sharers.rules SORT_KEYS). */
  keys: ReadonlyArray<keyof Omit<SharerPosition, 'userId'>>
  guidesOnly: boolean
  /** The rows after this place in the order of `sort`. */
  after: SharerPosition | null
  limit: number
  /** The owners (ADMIN_OPENIDS): staff with the role `owner`. */
  ownerOpenids: readonly string[]
}

export interface SharerRepo {
  /** Sharers with at least one counted order, best first (see the sort's tiebreaks in sharers.rules). */
  rank(q: SharerRankQuery): Promise<SharerRow[]>
  /** One user's figures over the range (zeros when they brought nothing); null when no such user. */
  figures(userId: string, q: Pick<SharerRankQuery, 'from' | 'to' | 'ownerOpenids'>): Promise<SharerRow | null>
}
