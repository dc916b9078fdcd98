/**
 * The anchor's console: one room, its live figures, the catalog to push from (paged and searched),
 * the coupons to drop, the lotteries and the share records. Every action goes one at a time (`busy`)
 * and reloads what it changed; the page says how it went.
 */
import { create } from 'zustand'
import type { ActionOutput, LotteryView, ProductSummary, RoomView } from '../../../cloud/contract'
import { call } from '../../api/call'
import { newIdempotencyKey } from '../../lib/idempotency'
import { attempt, type Outcome } from '../shared/outcome'
import { emptyPagedList, pagedLists, type PagedList } from '../shared/paged-list'
import type { LoadStatus } from '../shared/load-status'
import type { LotteryInput, RoomCouponInput } from './console-forms'

export type RoomStats = ActionOutput<'admin', 'roomStats'>
export type RoomCoupon = ActionOutput<'admin', 'roomCoupons'>['items'][number]
export type ShareRecords = ActionOutput<'admin', 'shareRecords'>

/** Products per page of the console's catalog and search (the shopper's feed pages by 10). */
export const CONSOLE_PAGE = 20
/**
 * Rows of one list the console shows at most: about 6 nodes each keeps the page inside WeChat's
 * 1000 nodes; past them the anchor searches (every word of a title finds its product).
 */
export const MAX_ROWS = 120
/** How often the live figures refresh while the page is shown and the room is live. */
export const STATS_EVERY_MS = 5000

/** The whole catalog is listed under this key; a search under its trimmed query. */
export const CATALOG = ''

interface ConsoleState {
  roomId: string | null
  room: RoomView | null
  status: LoadStatus
  error: string | null
  stats: RoomStats | null
  records: ShareRecords | null
  coupons: RoomCoupon[] | null
  lotteries: LotteryView[] | null
  /** The catalog (key '') and searches (key: the query), each cursor-paged. */
  lists: Record<string, PagedList<ProductSummary>>
  /** An action on its way: the console's buttons wait for it, and a second tap is ignored (null). */
  busy: boolean

  load: (roomId: string) => Promise<Outcome>
  /** The poll: the figures, and the room again when its status moved (ended from elsewhere). */
  refreshStats: () => Promise<void>
  /** Loads the list of a query from its first page: the whole catalog for '' (CATALOG), else the search. */
  search: (q: string) => Promise<void>
  /** The list's next page, until it shows MAX_ROWS. */
  moreSearch: (q: string) => Promise<void>

  startLive: () => Promise<Outcome | null>
  endLive: () => Promise<Outcome | null>
  pushGoods: (productId: string) => Promise<Outcome | null>
  dropCoupon: (couponId: string) => Promise<Outcome | null>
  /** A room-only coupon (直播专享) of this room, then listed with the room's coupons. */
  createRoomCoupon: (input: RoomCouponInput) => Promise<Outcome<{ couponId: string }> | null>
  /** Gives the coupon to the room's top three sharers (once per room). */
  awardTopSharers: (couponId: string) => Promise<Outcome<{ awarded: number }> | null>
  /** Gives the coupon to everyone who watched, once the room has ended. */
  issueToViewers: (couponId: string) => Promise<Outcome<{ issued: number; already: number }> | null>
  /** Publishes a lottery's commitment now; the seed is revealed by the draw. */
  commitLottery: (lottery: LotteryInput) => Promise<Outcome<{ commitment: string }> | null>
  drawLottery: (lotteryId: string) => Promise<Outcome<{ winners: number }> | null>
}

export const listOf = (s: Pick<ConsoleState, 'lists'>, key: string): PagedList<ProductSummary> => s.lists[key] ?? emptyPagedList()

export const useConsoleStore = create<ConsoleState>()((set, get) => {
  const roomId = () => get().roomId ?? ''

  const lists = pagedLists<ProductSummary>({
    read: (key) => listOf(get(), key),
    patch: (key, patch) => set((s) => ({ lists: { ...s.lists, [key]: { ...listOf(s, key), ...patch } } })),
    fetch: (key, cursor) =>
      key === CATALOG
        ? call('catalog', 'list', { limit: CONSOLE_PAGE, ...(cursor ? { cursor } : {}) })
        : call('catalog', 'search', { q: key, limit: CONSOLE_PAGE, ...(cursor ? { cursor } : {}) }),
  })

  /**
   * The room as it stands, without entering it: the console is not a viewer (entering would count
   * the anchor among the viewers and the lottery's pool).
   */
  const readRoom = async (id: string) => (await call('live', 'sync', { roomId: id })).room ?? null

  /** Everything but the catalog, in parallel; a stale answer (another room since) is dropped. */
  const reload = async (id: string) => {
    // Once ended the list serves the after-show grants: active coupons, stock 0 (a prize coupon) included.
    const couponsOf = (ended: boolean) => call('admin', 'roomCoupons', ended ? { roomId: id, grantable: true } : { roomId: id })
    const askedEnded = get().roomId === id && get().room?.status === 'ended'
    const [room, stats, records, listed, lotteries] = await Promise.all([
      readRoom(id),
      call('admin', 'roomStats', { roomId: id }),
      call('admin', 'shareRecords', { roomId: id }),
      couponsOf(askedEnded),
      call('live', 'lotteries', { roomId: id }),
    ])
    const coupons = room?.status === 'ended' && !askedEnded ? await couponsOf(true) : listed
    if (get().roomId !== id) return
    set((s) => ({ room: room ?? s.room, stats, records, coupons: coupons.items, lotteries: lotteries.items }))
  }

  /** One console action at a time; the room and its figures are reloaded after each success. */
  const act = async <T>(run: (roomId: string) => Promise<T>): Promise<Outcome<T> | null> => {
    if (get().busy) return null
    set({ busy: true })
    try {
      const out = await attempt(() => run(roomId()))
      if (out.ok) await reload(roomId()).catch(() => undefined)
      return out
    } finally {
      set({ busy: false })
    }
  }
  const none = async () => undefined
  // The lottery form last sent and its key: the same form sent again (a retry after a cut answer)
  // carries the same key, so the server answers the lottery already committed instead of a second one.
  let lotterySent: { form: string; key: string } | null = null
  const lotteryKey = (form: string) => {
    if (lotterySent?.form !== form) lotterySent = { form, key: newIdempotencyKey() }
    return lotterySent.key
  }

  return {
    roomId: null,
    room: null,
    status: 'idle',
    error: null,
    stats: null,
    records: null,
    coupons: null,
    lotteries: null,
    lists: {},
    busy: false,

    async load(id) {
      if (get().roomId !== id) {
        set({
          roomId: id,
          room: null,
          stats: null,
          records: null,
          coupons: null,
          lotteries: null,
          lists: {},
          status: 'loading',
          error: null,
        })
      } else if (get().status === 'error') set({ status: 'loading', error: null })
      const out = await attempt(() => reload(id))
      if (get().roomId !== id) return out
      if (out.ok) set({ status: 'ready', error: null })
      // A failed reload of a page already shown keeps what it shows; the page toasts the refusal.
      else if (!get().room) set({ status: 'error', error: out.message })
      return out
    },

    async refreshStats() {
      const id = get().roomId
      if (!id || get().busy) return
      try {
        const stats = await call('admin', 'roomStats', { roomId: id })
        if (get().roomId !== id) return
        set({ stats })
        // Ended (or started) from another device: the header and buttons follow.
        // Ended (or started) from another device: the header and buttons follow, and the coupons
        // become the after-show grants' list.
        if (get().room && stats.status !== get().room!.status) await reload(id)
      } catch {
        // The next tick tries again; the figures on screen stay.
      }
    },

    search: (q) => lists.refresh(q.trim()),
    moreSearch: async (q) => {
      if (listOf(get(), q.trim()).items.length < MAX_ROWS) await lists.loadMore(q.trim())
    },

    startLive: () => act((id) => call('admin', 'setLiveStatus', { roomId: id, status: 'live' }).then(none)),
    endLive: () => act((id) => call('admin', 'setLiveStatus', { roomId: id, status: 'ended' }).then(none)),
    pushGoods: (productId) => act((id) => call('admin', 'pushGoods', { roomId: id, productId }).then(none)),
    dropCoupon: (couponId) => act((id) => call('admin', 'dropCoupon', { roomId: id, couponId }).then(none)),
    createRoomCoupon: (input) => act((id) => call('admin', 'createCoupon', { ...input, roomId: id })),
    awardTopSharers: (couponId) =>
      act(async (id) => ({ awarded: (await call('admin', 'awardTopSharers', { roomId: id, couponId })).awarded.length })),
    issueToViewers: (couponId) => act((id) => call('admin', 'issueRoomCoupon', { roomId: id, couponId })),
    commitLottery: (lottery) =>
      act(async (id) => {
        const idempotencyKey = lotteryKey(JSON.stringify([id, lottery.winners, lottery.pool, lottery.prize ?? '']))
        const { commitment } = await call('admin', 'commitLottery', { ...lottery, roomId: id, idempotencyKey })
        lotterySent = null
        return { commitment }
      }),
    drawLottery: (lotteryId) => act(async () => ({ winners: (await call('admin', 'drawLottery', { lotteryId })).winners.length })),
  }
})
