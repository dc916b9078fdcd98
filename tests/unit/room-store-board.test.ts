/**
 * The room page's leaderboard follows the polls: it asks with the version its poll saw, and when the
 * board it got holds fewer credits (a host's board is up to a second old) it asks again at the next
 * poll, even though that poll names no new version; once it has caught up it asks no more.
 */
const calls: Array<{ action: string; data: Record<string, unknown> }> = []
let answers: Record<string, Array<Record<string, unknown>>> = {}

jest.mock('../../src/api/call', () => ({
  __esModule: true,
  errorMessage: (e: unknown) => String(e),
  call: async (_fn: string, action: string, data: Record<string, unknown>) => {
    calls.push({ action, data })
    const next = answers[action]?.shift()
    if (!next) throw new Error(`no answer scripted for ${action}`)
    return next
  },
}))
jest.mock('../../src/features/live/verify', () => ({ verifyOnDevice: () => true }))
jest.mock('../../src/features/shared/server-clock', () => ({ useServerClock: { getState: () => ({ sync: () => undefined }) } }))

import { createRoomStore } from '../../src/features/live/room-store'

const board = (version: number) => ({ entries: [], me: { rank: null, invites: 0 }, version })
const settle = () => new Promise((r) => setTimeout(r, 0))

test('a board older than the poll’s version is asked for again at the next poll, with that version; then no more', async () => {
  const store = createRoomStore('r_1')
  answers = {
    enter: [{ room: { status: 'live', likeCount: 0, viewerCount: 1 }, serverTime: new Date().toISOString() }],
    sync: [
      { cursor: 'c1', leaderboardVersion: 5 },
      { cursor: 'c2' }, // nothing moved
      { cursor: 'c3' },
    ],
    leaderboard: [board(4), board(5)],
  }
  await store.getState().enter()
  await settle()
  expect(calls.filter((c) => c.action === 'leaderboard').map((c) => c.data.version)).toEqual([5])
  expect(store.getState().leaderboard?.version).toBe(4)

  await store.getState().poll()
  await settle()
  // Behind: asked again though the poll named nothing new.
  expect(calls.filter((c) => c.action === 'leaderboard').map((c) => c.data.version)).toEqual([5, 5])
  expect(store.getState().leaderboard?.version).toBe(5)

  await store.getState().poll()
  await settle()
  // Caught up: no more.
  expect(calls.filter((c) => c.action === 'leaderboard')).toHaveLength(2)
})
