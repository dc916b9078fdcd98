/**
 * The leaderboard's per-room board in the host (cloud/core/live/board.ts), on a clock the test moves:
 * served while fresh, read again once older, one read per room at a time, a poll's newer version
 * honoured within the rebuild budget, never older than the bound, failures not kept, rooms bounded.
 */
import { BoardCache, boardOf, type BoardRows } from '../../cloud/core/live/board'

/** A database stand-in for the board statement: the rows it would read now, and how many reads it took. */
function source(initial: BoardRows) {
  let rows = initial
  let reads = 0
  let gate: Promise<void> | null = null
  return {
    set(next: BoardRows) {
      rows = next
    },
    /** Holds the next reads until the returned function is called. */
    hold() {
      let release!: () => void
      gate = new Promise((r) => (release = r))
      return () => {
        gate = null
        release()
      }
    },
    get reads() {
      return reads
    },
    load: async () => {
      reads++
      const snapshot = rows
      if (gate) await gate
      return snapshot
    },
  }
}

const rows = (...pairs: Array<[string, number]>): BoardRows => ({
  ids: pairs.map(([id]) => id),
  invites: pairs.map(([, n]) => n),
  names: pairs.map(([id]) => `name-${id}`),
})

function cache() {
  let t = 0
  const c = new BoardCache({ freshMs: 1000, maxMs: 2000, rooms: 2, clock: () => t })
  return { c, at: (ms: number) => (t = ms) }
}

test('a board is its rows with the rank of each sharer and the credits it holds; an empty room has version 0', () => {
  const b = boardOf(rows(['a', 3], ['b', 2], ['c', 2]), 5)
  expect(b.version).toBe(7)
  expect([b.rankOf.get('a'), b.rankOf.get('c'), b.rankOf.get('zz')]).toEqual([0, 2, undefined])
  expect(boardOf(rows(), 0).version).toBe(0)
})

test('served without a read while fresh; read again once FRESH_MS old, so a change shows within the bound', async () => {
  const { c, at } = cache()
  const db = source(rows(['a', 1]))
  expect((await c.read('r', undefined, db.load)).version).toBe(1)
  db.set(rows(['a', 2]))
  at(999)
  expect((await c.read('r', undefined, db.load)).version).toBe(1)
  expect(db.reads).toBe(1)
  at(1000)
  expect((await c.read('r', undefined, db.load)).version).toBe(2)
  expect(db.reads).toBe(2)
})

test('concurrent readers of a room share one read; rooms are kept apart', async () => {
  const { c } = cache()
  const db = source(rows(['a', 1]))
  const other = source(rows(['x', 5]))
  const release = db.hold()
  const reads = Array.from({ length: 50 }, () => c.read('r', undefined, db.load))
  const elsewhere = c.read('s', undefined, other.load)
  release()
  const boards = await Promise.all(reads)
  expect(new Set(boards).size).toBe(1)
  expect(db.reads).toBe(1)
  expect((await elsewhere).version).toBe(5)
})

test('while one reader rebuilds, the others get the previous board if it is younger than MAX_MS, else wait for the new one', async () => {
  const { c, at } = cache()
  const db = source(rows(['a', 1]))
  await c.read('r', undefined, db.load)
  db.set(rows(['a', 2]))
  at(1500)
  const release = db.hold()
  const rebuilding = c.read('r', undefined, db.load)
  expect((await c.read('r', undefined, db.load)).version).toBe(1) // 1.5 s old: still served
  at(2000)
  const waiting = c.read('r', undefined, db.load) // 2 s old: never served again
  release()
  expect((await rebuilding).version).toBe(2)
  expect((await waiting).version).toBe(2)
  expect(db.reads).toBe(2)
})

test('a poll naming a newer version gets a rebuilt board, at most two rebuilds a second; the answer says which version it holds', async () => {
  const { c, at } = cache()
  const db = source(rows(['a', 1]))
  await c.read('r', 1, db.load) // rebuild 1 at t=0
  db.set(rows(['a', 2]))
  at(100)
  expect((await c.read('r', 2, db.load)).version).toBe(2) // rebuild 2 at t=100
  db.set(rows(['a', 3]))
  at(200)
  // A third within the second is refused: the board kept comes back with its version (2 < 3).
  expect((await c.read('r', 3, db.load)).version).toBe(2)
  expect(db.reads).toBe(2)
  // A version it already holds needs nothing.
  expect((await c.read('r', 2, db.load)).version).toBe(2)
  at(1000) // a second after rebuild 1: the budget allows one more
  expect((await c.read('r', 3, db.load)).version).toBe(3)
  expect(db.reads).toBe(3)
  // A version beyond the database's (a client's guess) costs a rebuild within the budget, no more.
  at(1050)
  await c.read('r', 99, db.load)
  at(1060)
  await c.read('r', 99, db.load)
  expect(db.reads).toBe(3) // rebuilds at 100 and 1000: none more before 1100
  at(1100)
  await c.read('r', 99, db.load)
  expect(db.reads).toBe(4)
})

test('a reader naming a newer version joins a rebuild under way rather than taking the previous board', async () => {
  const { c, at } = cache()
  const db = source(rows(['a', 1]))
  await c.read('r', undefined, db.load)
  db.set(rows(['a', 2]))
  at(1200)
  const release = db.hold()
  const rebuilding = c.read('r', undefined, db.load)
  const asking = c.read('r', 2, db.load)
  release()
  expect((await asking).version).toBe(2)
  expect(await rebuilding).toBe(await asking)
})

test('a failed read is every waiting reader’s failure and is not kept; an unknown room leaves nothing behind', async () => {
  const { c } = cache()
  let fail = true
  const load = async () => {
    if (fail) throw new Error('NOT_FOUND')
    return rows(['a', 1])
  }
  const both = await Promise.allSettled([c.read('r', undefined, load), c.read('r', undefined, load)])
  expect(both.map((b) => b.status)).toEqual(['rejected', 'rejected'])
  expect(c.size).toBe(0)
  fail = false
  expect((await c.read('r', undefined, load)).version).toBe(1)
})

test('at most `rooms` boards are kept: the one rebuilt longest ago goes first', async () => {
  const { c } = cache()
  const db = { r1: source(rows(['a', 1])), r2: source(rows(['b', 1])), r3: source(rows(['c', 1])) }
  await c.read('r1', undefined, db.r1.load)
  await c.read('r2', undefined, db.r2.load)
  await c.read('r3', undefined, db.r3.load)
  await c.read('r2', undefined, db.r2.load)
  await c.read('r3', undefined, db.r3.load)
  expect([db.r2.reads, db.r3.reads]).toEqual([1, 1])
  await c.read('r1', undefined, db.r1.load) // r1 was dropped: read again
  expect(db.r1.reads).toBe(2)
})

test('at most `sharers` sharers are kept over all boards: the oldest boards go first, the one just read always stays', async () => {
  const c = new BoardCache({ freshMs: 1000, maxMs: 2000, rooms: 100, sharers: 4, clock: () => 0 })
  const small = source(rows(['a', 1], ['b', 1]))
  const other = source(rows(['c', 1], ['d', 1]))
  const huge = source(rows(['e', 1], ['f', 1], ['g', 1], ['h', 1], ['i', 1]))
  await c.read('small', undefined, small.load)
  await c.read('other', undefined, other.load)
  expect(c.size).toBe(2) // 4 sharers: both fit
  await c.read('huge', undefined, huge.load)
  expect(c.size).toBe(1) // 5 sharers alone: the others went, the huge one stays
  await c.read('huge', undefined, huge.load)
  expect(huge.reads).toBe(1)
  await c.read('small', undefined, small.load)
  expect(small.reads).toBe(2)
  expect(c.size).toBe(1) // the huge one, rebuilt longest ago, went for it
})
