import { createStore } from 'zustand/vanilla'
import type { CenterCoupon, Leaderboard, RoomView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { attempt, type Outcome } from '../shared/outcome'
import { useServerClock } from '../shared/server-clock'
import { emptyRing, pushComments, pushOwn, type CommentRing } from './comment-ring'
import { verifyOnDevice } from './verify'

export const POLL_MS = 2000
/** How long a 欢迎 X 进入直播间 line stays. */
export const WELCOME_MS = 3500
/** Failed polls in a row before the room says 网络不给力，正在重连… */
export const OFFLINE_AFTER = 2

export interface RoomState {
  roomId: string
  room: RoomView | null
  status: LoadStatus
  error: string | null
  comments: CommentRing
  likeCount: number
  viewerCount: number
  leaderboard: Leaderboard | null
  /** The latest viewer who came in, for 欢迎 X 进入直播间 (shown briefly; `key` tells two arrivals of one name apart). */
  welcome: { name: string; key: number } | null
  /** Likes tapped since the last send: sent together, at most one call per poll. */
  pendingLikes: number
  /** Polls failed in a row; from OFFLINE_AFTER on the room shows it is reconnecting. */
  failedPolls: number
  enter: (sharerId?: string) => Promise<void>
  /** One poll at a time: a tick while the last poll is still on its way does nothing. */
  poll: () => Promise<void>
  /** Posts a comment; it shows in the stream at once, and once only when the poll brings it again. */
  comment: (text: string) => Promise<Outcome>
  like: () => void
  /** Asks for the 开播提醒; the room then shows 已预约. */
  subscribe: () => Promise<Outcome>
  /**
   * Claims a coupon dropped in the room: the claim's answer shows 已领取 at once, then a sync (not
   * awaited) brings the room as the server has it.
   */
  claim: (couponId: string) => Promise<Outcome>
  /** The server's draw data, checked again on the device (verify.ts): true only when both agree. */
  verifyLottery: (lotteryId: string) => Promise<boolean>
  /** The room's poster code for 朋友圈, naming this viewer as the sharer. */
  sharePoster: () => Promise<{ code: string; path: string }>
  loadLeaderboard: () => Promise<void>
  /** Stops the timers a store keeps (the welcome line); the page calls it when it unloads. */
  dispose: () => void
}

/** One claim more on a coupon, as the chip shows until the server's answer arrives. */
function withClaim(c: CenterCoupon): CenterCoupon {
  const mine = c.mine + 1
  return { ...c, mine, claimed: c.claimed + 1, state: mine >= c.perUserLimit ? 'claimed' : c.state }
}

/**
 * One store per room page instance: the page stack can keep room A alive under room B, and each
 * keeps its own state and its own polling.
 */
export function createRoomStore(roomId: string) {
  let welcomeTimer: ReturnType<typeof setTimeout> | null = null
  /** The live.sync on its way (never more than one), and whether another is wanted after it. */
  let syncing: Promise<void> | null = null
  let syncAgain = false
  /** Bumped when an action's own answer changes the room here: a sync asked before it is stale. */
  let edits = 0
  let polling = false
  /**
   * Where polling stands (live.sync's cursor) and the leaderboard version last loaded: kept here, not in
   * the state, since nothing shows them — an unchanged poll then sets nothing and renders nothing.
   */
  let cursor: string | null = null
  let lbVersion: number | null = null
  /**
   * The version of the board shown. A server keeps a room's board for up to a second, so the board
   * loaded after a poll may be older than the version the poll named: then the next poll asks again.
   */
  let boardVersion: number | null = null
  return createStore<RoomState>()((set, get) => {
    const welcome = (names: string[]) => {
      const name = names.at(-1)
      if (!name) return
      set((s) => ({ welcome: { name, key: (s.welcome?.key ?? 0) + 1 } }))
      if (welcomeTimer) clearTimeout(welcomeTimer)
      welcomeTimer = setTimeout(() => set({ welcome: null }), WELCOME_MS)
    }
    /**
     * One live.sync from the cursor applied. An answer to a request sent before the room changed here
     * (a claim, a subscription) is older than what shows: it is dropped, cursor and all, and asked again.
     */
    const applySync = async () => {
      const since = cursor
      const asked = edits
      const d = await call('live', 'sync', { roomId, ...(since ? { since } : {}) })
      if (asked !== edits) {
        syncAgain = true
        return
      }
      cursor = d.cursor
      const patch: Partial<RoomState> = {}
      if (d.room) patch.room = d.room
      if (d.comments) patch.comments = pushComments(get().comments, d.comments)
      if (d.likeCount !== undefined) patch.likeCount = d.likeCount + get().pendingLikes
      if (d.viewerCount !== undefined) patch.viewerCount = d.viewerCount
      if (Object.keys(patch).length > 0) set(patch)
      // The first answer (no cursor) names the latest entries of all time: only later ones are news.
      if (since && d.arrivals?.length) welcome(d.arrivals)
      if (d.leaderboardVersion !== undefined && d.leaderboardVersion !== lbVersion) {
        lbVersion = d.leaderboardVersion
        void get().loadLeaderboard()
      } else if (lbVersion !== null && boardVersion !== null && boardVersion < lbVersion) {
        void get().loadLeaderboard()
      }
    }
    /** Syncs, one request at a time: asked while one is on its way, one more follows it. */
    const sync = (): Promise<void> => {
      if (syncing) {
        syncAgain = true
        return syncing
      }
      syncing = (async () => {
        try {
          do {
            syncAgain = false
            await applySync()
          } while (syncAgain)
        } finally {
          syncing = null
        }
      })()
      return syncing
    }
    return {
      roomId,
      room: null,
      status: 'idle',
      error: null,
      comments: emptyRing,
      likeCount: 0,
      viewerCount: 0,
      leaderboard: null,
      welcome: null,
      pendingLikes: 0,
      failedPolls: 0,
      async enter(sharerId) {
        set({ status: 'loading', error: null })
        try {
          const { room, serverTime } = await call('live', 'enter', { roomId, ...(sharerId ? { sharerId } : {}) })
          // An upcoming room counts down to its start by the server's clock.
          useServerClock.getState().sync(serverTime)
          set({ room, status: 'ready', likeCount: room.likeCount, viewerCount: room.viewerCount })
          await sync()
        } catch (err) {
          set({ status: 'error', error: errorMessage(err) })
        }
      },
      async poll() {
        const { pendingLikes, status, room } = get()
        if (status !== 'ready' || polling || syncing) return
        polling = true
        try {
          if (pendingLikes > 0 && room?.status === 'live') {
            const count = Math.min(pendingLikes, 50)
            set((s) => ({ pendingLikes: s.pendingLikes - count }))
            // Beyond the viewer's 300 a minute the server ignores likes: show its count, plus taps since.
            const { likeCount } = await call('live', 'like', { roomId, count })
            set({ likeCount: likeCount + get().pendingLikes })
          }
          await sync()
          if (get().failedPolls) set({ failedPolls: 0 })
        } catch {
          // A missed poll is retried by the next one; a few in a row show 正在重连.
          set((s) => ({ failedPolls: s.failedPolls + 1 }))
        } finally {
          polling = false
        }
      },
      comment: (text) =>
        attempt(async () => {
          const { comment } = await call('live', 'comment', { roomId, text })
          set((s) => ({ comments: pushOwn(s.comments, comment) }))
        }),
      like() {
        if (get().room?.status !== 'live') return
        set((s) => ({ pendingLikes: s.pendingLikes + 1, likeCount: s.likeCount + 1 }))
      },
      subscribe: () =>
        attempt(async () => {
          await call('live', 'subscribe', { roomId })
          edits++
          set((s) => (s.room ? { room: { ...s.room, subscribed: true } } : {}))
          void sync().catch(() => undefined)
        }),
      async claim(couponId) {
        const claimed = await attempt(async () => void (await call('coupon', 'claim', { couponId })))
        if (claimed.ok) {
          edits++
          set((s) =>
            s.room ? { room: { ...s.room, coupons: s.room.coupons.map((c) => (c.couponId === couponId ? withClaim(c) : c)) } } : {},
          )
        }
        // The room as the server has it follows (已抢光 after a refusal, say); the next poll retries a failure.
        void sync().catch(() => undefined)
        return claimed
      },
      async verifyLottery(lotteryId) {
        try {
          const d = await call('live', 'verifyLottery', { lotteryId })
          if (!d.valid || !d.seed) return false
          // The draw must be the one the room showed: its commitment published before, its winners listed.
          const shown = get().room?.lotteries.find((l) => l.lotteryId === lotteryId)
          if (shown && shown.commitment !== d.commitment) return false
          if (shown?.winnerList && shown.winnerList.map((w) => w.userId).join() !== d.winners.join()) return false
          return verifyOnDevice({ seed: d.seed, commitment: d.commitment, candidates: d.candidates, winnerIds: d.winners })
        } catch {
          return false
        }
      },
      sharePoster: () => call('live', 'sharePoster', { roomId }),
      async loadLeaderboard() {
        try {
          const board = await call('live', 'leaderboard', { roomId, limit: 20, ...(lbVersion !== null ? { version: lbVersion } : {}) })
          boardVersion = board.version
          set({ leaderboard: board })
        } catch {
          // kept as it was; the next version bump retries
        }
      },
      dispose() {
        if (welcomeTimer) clearTimeout(welcomeTimer)
        welcomeTimer = null
      },
    }
  })
}

export type RoomStore = ReturnType<typeof createRoomStore>
