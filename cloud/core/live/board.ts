/**
 * The share leaderboard as viewers read it: each room's whole board (every sharer in leaderboard
 * order, a rank map, the nicknames of the top BOARD_NAMED) kept in this process for a short,
 * bounded time, so that a read — the call every viewer of a busy room makes each time the credits
 * move — costs no query.
 *
 * Why it stays right (docs/rules.md, "The leaderboard's cache"):
 * - A board is one statement's snapshot of `sharer_counts`, which moves in the credit's own
 *   transaction: whatever a board says equals the share records at the instant it was read.
 * - It is served for at most FRESH_MS after that instant. Older, the next read rebuilds it (one
 *   rebuild per room at a time: readers arriving meanwhile get the previous board while it is
 *   younger than MAX_MS, else wait for the rebuild), so no answer is ever more than MAX_MS old.
 * - Each board carries its version: the credit count it holds, the number live.sync answers as
 *   `leaderboardVersion`. A reader that names the version its poll saw (`version`) gets a board
 *   rebuilt for it when the one kept is older, unless this room was already rebuilt twice in the
 *   last FRESH_MS (so a room whose credits never stop costs one rebuild a second, two at most);
 *   then it gets the board kept, whose `version` tells the client to ask again at its next poll.
 * - Every host (every CloudBase instance) keeps its own boards from the one database: two hosts
 *   agree within FRESH_MS, and none needs to hear of another's writes.
 * - At most BOARD_ROOMS rooms and BOARD_SHARERS sharers on them are kept; the board rebuilt longest
 *   ago goes first.
 */

/** How long a board is served after the instant it was read. */
export const FRESH_MS = 1000
/** How old a board may be served at all: while another reader rebuilds it. */
export const MAX_MS = 2000
/** Rooms kept per process… */
export const BOARD_ROOMS = 256
/** …and sharers on them all (a board of 10,000 sharers is about 1 MB): whichever bound is reached first. */
export const BOARD_SHARERS = 200_000
/** Nicknames kept: the most entries one read may ask for (the contract's `limit`). */
export const BOARD_NAMED = 100

/** A room's sharers in leaderboard order (invites desc, who reached the count first), as one statement read them. */
export interface BoardRows {
  ids: string[]
  invites: number[]
  /** The nicknames of the first BOARD_NAMED, as shown to others (cleaned). */
  names: string[]
}

export interface Board extends BoardRows {
  /** Credits on the board: the sum of `invites`, live.sync's `leaderboardVersion` for the same data. */
  version: number
  /** Each sharer's index in `ids`. */
  rankOf: Map<string, number>
  /** When the statement that read it started (performance.now()). */
  readAt: number
}

export function boardOf(rows: BoardRows, readAt: number): Board {
  const rankOf = new Map<string, number>()
  let version = 0
  for (let i = 0; i < rows.ids.length; i++) {
    rankOf.set(rows.ids[i]!, i)
    version += rows.invites[i]!
  }
  return { ...rows, version, rankOf, readAt }
}

interface Slot {
  board: Board | null
  building: Promise<Board> | null
  /** When the last two rebuilds started: a third within FRESH_MS is refused to a version hint. */
  builds: [number, number]
}

export interface BoardCacheOptions {
  freshMs?: number
  maxMs?: number
  rooms?: number
  sharers?: number
  clock?: () => number
}

export class BoardCache {
  private readonly slots = new Map<string, Slot>()
  private readonly freshMs: number
  private readonly maxMs: number
  private readonly rooms: number
  private readonly sharers: number
  /** Sharers on the boards kept. */
  private kept = 0
  private readonly clock: () => number
  /** Rebuilds started, for the bench and the tests. */
  rebuilds = 0

  constructor(opts: BoardCacheOptions = {}) {
    this.freshMs = opts.freshMs ?? FRESH_MS
    this.maxMs = opts.maxMs ?? MAX_MS
    this.rooms = opts.rooms ?? BOARD_ROOMS
    this.sharers = opts.sharers ?? BOARD_SHARERS
    this.clock = opts.clock ?? (() => performance.now())
  }

  /**
   * The room's board: the one kept while it may be served, else one `load` reads (a single read per
   * room at a time: concurrent callers share it, and a failed read is everyone's failure and is not
   * kept). `want` is the version the caller's poll saw, if any.
   */
  async read(roomId: string, want: number | undefined, load: () => Promise<BoardRows>): Promise<Board> {
    const slot = this.slots.get(roomId)
    const kept = slot?.board
    if (!slot || !kept) return slot?.building ?? this.rebuild(roomId, slot, load)
    const now = this.clock()
    const age = now - kept.readAt
    const behind = want !== undefined && want > kept.version
    if (slot.building) return behind || age >= this.maxMs ? slot.building : kept
    if (age >= this.freshMs) return this.rebuild(roomId, slot, load)
    if (behind && now - slot.builds[0] >= this.freshMs) return this.rebuild(roomId, slot, load)
    return kept
  }

  private rebuild(roomId: string, found: Slot | undefined, load: () => Promise<BoardRows>): Promise<Board> {
    const slot: Slot = found ?? { board: null, building: null, builds: [-Infinity, -Infinity] }
    const startedAt = this.clock()
    slot.builds = [slot.builds[1], startedAt]
    this.rebuilds++
    const building = (async () => {
      try {
        const board = boardOf(await load(), startedAt)
        this.kept += board.ids.length - (slot.board?.ids.length ?? 0)
        slot.board = board
        // Kept in the order of their rebuilds: the first is the one rebuilt longest ago. The one just
        // rebuilt stays, however big.
        this.slots.delete(roomId)
        this.slots.set(roomId, slot)
        while (this.slots.size > 1 && (this.slots.size > this.rooms || this.kept > this.sharers)) {
          const [oldest, dropped] = this.slots.entries().next().value!
          this.slots.delete(oldest)
          this.kept -= dropped.board?.ids.length ?? 0
          // A rebuild of it still under way counts it afresh when it lands.
          dropped.board = null
        }
        return board
      } catch (err) {
        // A room that was never read (unknown, say) keeps no slot: nothing grows with bad ids.
        if (!slot.board && this.slots.get(roomId) === slot) this.slots.delete(roomId)
        throw err
      } finally {
        slot.building = null
      }
    })()
    slot.building = building
    if (!found) this.slots.set(roomId, slot)
    return building
  }

  /** Rooms with a board kept or being read. */
  get size(): number {
    return this.slots.size
  }

  /** Forgets every board (tests). */
  clear(): void {
    this.slots.clear()
    this.kept = 0
  }
}

/** This process's boards: each host, each CloudBase instance, keeps its own. */
export const boards = new BoardCache()
