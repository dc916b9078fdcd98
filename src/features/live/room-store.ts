import { createStore } from 'zustand/vanilla'
import type { Leaderboard, LotteryView, RoomView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { attempt, type Outcome } from '../shared/outcome'
import { emptyRing, pushComments, type CommentRing } from './comment-ring'

export const POLL_MS = 2000

export interface RoomState {
  roomId: string
  room: RoomView | null
  status: LoadStatus
  error: string | null
  comments: CommentRing
  likeCount: number
  viewerCount: number
  leaderboard: Leaderboard | null
  lotteries: LotteryView[]
  /** Likes tapped since the last send: sent together, at most one call per poll. */
  pendingLikes: number
  cursor: string | null
  lbVersion: number | null
  enter: (sharerId?: string) => Promise<void>
  poll: () => Promise<void>
  comment: (text: string) => Promise<Outcome>
  like: () => void
  /** Asks for the 开播提醒; the room then shows 已预约. */
  subscribe: () => Promise<Outcome>
  /**
   * Reloads this viewer's whole room: after their own claim, which changes only what they see (the
   * chip turns 已领取), so the room's version, which would make every viewer reload, does not move.
   */
  resync: () => Promise<void>
  loadLeaderboard: () => Promise<void>
  loadLotteries: () => Promise<void>
}

/**
 * One store per room page instance: the page stack can keep room A alive under room B, and each
 * keeps its own state and its own polling.
 */
export function createRoomStore(roomId: string) {
  return createStore<RoomState>()((set, get) => {
    const applySync = async (since: string | null) => {
      const d = await call('live', 'sync', { roomId, ...(since ? { since } : {}) })
      const patch: Partial<RoomState> = { cursor: d.cursor }
      if (d.room) patch.room = d.room
      if (d.comments) patch.comments = pushComments(get().comments, d.comments)
      if (d.likeCount !== undefined) patch.likeCount = d.likeCount
      if (d.viewerCount !== undefined) patch.viewerCount = d.viewerCount
      set(patch)
      if (d.leaderboardVersion !== undefined && d.leaderboardVersion !== get().lbVersion) {
        set({ lbVersion: d.leaderboardVersion })
        void get().loadLeaderboard()
      }
      if (d.room) void get().loadLotteries()
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
      lotteries: [],
      pendingLikes: 0,
      cursor: null,
      lbVersion: null,
      async enter(sharerId) {
        set({ status: 'loading', error: null })
        try {
          const { room } = await call('live', 'enter', { roomId, ...(sharerId ? { sharerId } : {}) })
          set({ room, status: 'ready', likeCount: room.likeCount, viewerCount: room.viewerCount })
          await applySync(null)
        } catch (err) {
          set({ status: 'error', error: errorMessage(err) })
        }
      },
      async poll() {
        const { pendingLikes, status } = get()
        if (status !== 'ready') return
        try {
          if (pendingLikes > 0) {
            set({ pendingLikes: 0 })
            // Beyond the viewer's 300 a minute the server ignores likes: show its count, plus taps since.
            const { likeCount } = await call('live', 'like', { roomId, count: Math.min(pendingLikes, 50) })
            set({ likeCount: likeCount + get().pendingLikes })
          }
          await applySync(get().cursor)
        } catch {
          // A missed poll is retried by the next one.
        }
      },
      comment: (text) =>
        attempt(async () => {
          await call('live', 'comment', { roomId, text })
          await applySync(get().cursor)
        }),
      like() {
        set((s) => ({ pendingLikes: s.pendingLikes + 1, likeCount: s.likeCount + 1 }))
      },
      subscribe: () =>
        attempt(async () => {
          await call('live', 'subscribe', { roomId })
          await applySync(null)
        }),
      async resync() {
        try {
          await applySync(null)
        } catch {
          // the next poll tries again
        }
      },
      async loadLeaderboard() {
        try {
          set({ leaderboard: await call('live', 'leaderboard', { roomId, limit: 20 }) })
        } catch {
          // kept as it was; the next version bump retries
        }
      },
      async loadLotteries() {
        try {
          set({ lotteries: (await call('live', 'lotteries', { roomId })).items })
        } catch {
          // optional panel
        }
      },
    }
  })
}

export type RoomStore = ReturnType<typeof createRoomStore>
