/** The live room's comment window: a ring of slots, read oldest to newest. */
import type { Comment } from '../../cloud/contract'
import { COMMENT_WINDOW, emptyRing, inOrder, pushComments, pushOwn } from '../../src/features/live/comment-ring'

const comments = (from: number, to: number): Comment[] =>
  Array.from({ length: to - from + 1 }, (_, i) => ({
    id: from + i,
    userId: 'u_1',
    nickname: '茶友',
    text: `第${from + i}条`,
    createdAt: '2026-11-22T10:00:00.000Z',
  }))

test('the window keeps the latest comments, oldest first', () => {
  let ring = pushComments(emptyRing, comments(1, 30))
  ring = pushComments(ring, comments(31, 75))
  expect(inOrder(ring).map((c) => c.id)).toEqual(comments(26, 75).map((c) => c.id))
  expect(ring.slots).toHaveLength(COMMENT_WINDOW)
})

test('a new comment takes the oldest one slot and leaves every other slot as it was', () => {
  const full = pushComments(emptyRing, comments(1, 60))
  const next = pushComments(full, comments(61, 61))
  const changed = next.slots.map((s, i) => (s === full.slots[i] ? null : i)).filter((i) => i !== null)
  expect(changed).toHaveLength(1)
  const slot = changed[0]!
  expect(full.slots[slot]!.comment.id).toBe(11) // the oldest on screen
  expect(next.slots[slot]!.comment.id).toBe(61)
  expect(inOrder(next).at(-1)!.text).toBe('第61条')
  expect(inOrder(next)[0]!.id).toBe(12)
})

test('comments already on screen are not shown twice when a full resync sends them again', () => {
  const ring = pushComments(emptyRing, comments(1, 10))
  const again = pushComments(ring, comments(1, 12))
  expect(inOrder(again).map((c) => c.id)).toEqual(comments(1, 12).map((c) => c.id))
  expect(pushComments(again, comments(5, 12))).toBe(again)
})

test('a burst larger than the window keeps only its latest comments', () => {
  const ring = pushComments(pushComments(emptyRing, comments(1, 5)), comments(6, 200), 20)
  expect(inOrder(ring).map((c) => c.id)).toEqual(comments(181, 200).map((c) => c.id))
})

test("the viewer's own comment shows at once and is not shown again when the poll brings it", () => {
  const ring = pushComments(emptyRing, comments(1, 5))
  const [mine] = comments(8, 8)
  const shown = pushOwn(ring, { ...mine!, text: '我的评论' })
  expect(inOrder(shown).at(-1)!.text).toBe('我的评论')
  // The poll brings two comments posted just before it, and the own one: each shows once.
  const polled = pushComments(shown, [...comments(6, 7), { ...mine!, text: '我的评论' }])
  expect(inOrder(polled).map((c) => c.id)).toEqual([1, 2, 3, 4, 5, 8, 6, 7])
  expect(polled.ahead).toEqual([])
  // Pushing it again, or the poll again, changes nothing.
  expect(pushOwn(polled, mine!)).toBe(polled)
  expect(pushComments(polled, comments(6, 8))).toBe(polled)
})

test('an own comment still ahead of the polls stays skipped until they pass it', () => {
  const ring = pushOwn(pushComments(emptyRing, comments(1, 2)), comments(10, 10)[0]!)
  const some = pushComments(ring, comments(3, 4))
  expect(some.ahead).toEqual([10])
  const rest = pushComments(some, comments(5, 11))
  expect(inOrder(rest).map((c) => c.id)).toEqual([1, 2, 10, 3, 4, 5, 6, 7, 8, 9, 11])
  expect(rest.ahead).toEqual([])
})
