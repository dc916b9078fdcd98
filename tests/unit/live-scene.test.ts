/** The share poster's scene: 32 hex naming the room and the sharer, decoded by the room page. */
import { decodeScene, encodeScene, roomEntry } from '../../src/features/live/scene'

const room = 'r_0123456789abcdef'
const sharer = 'u_fedcba9876543210'

test('a scene is the room id and the sharer id without their prefixes, and decodes back to both', () => {
  const scene = encodeScene(room, sharer)
  expect(scene).toBe('0123456789abcdeffedcba9876543210')
  expect(scene).toHaveLength(32)
  expect(decodeScene(scene)).toEqual({ roomId: room, sharerId: sharer })
})

test('WeChat hands the scene URL-encoded, sometimes in upper case: it still decodes', () => {
  expect(decodeScene(encodeURIComponent('0123456789ABCDEFfedcba9876543210'))).toEqual({ roomId: room, sharerId: sharer })
})

test('anything else is no scene: wrong length, other characters, ids of another form', () => {
  expect(decodeScene(undefined)).toBeNull()
  expect(decodeScene('')).toBeNull()
  expect(decodeScene('0123456789abcdef')).toBeNull()
  expect(decodeScene('0123456789abcdeffedcba987654321')).toBeNull()
  expect(decodeScene('0123456789abcdeffedcba98765432100')).toBeNull()
  expect(decodeScene('0123456789abcdefxedcba9876543210')).toBeNull()
  expect(decodeScene('%E0%A4%A')).toBeNull()
  expect(encodeScene('r_short', sharer)).toBeNull()
  expect(encodeScene(room, 'x_fedcba9876543210')).toBeNull()
})

test('the page takes the scene first, then the link parameters', () => {
  expect(roomEntry({ scene: '0123456789abcdeffedcba9876543210', id: 'r_other' })).toEqual({ roomId: room, sharerId: sharer })
  expect(roomEntry({ id: room, sharerId: sharer })).toEqual({ roomId: room, sharerId: sharer })
  expect(roomEntry({ id: room })).toEqual({ roomId: room })
  expect(roomEntry({ scene: 'bad', id: room })).toEqual({ roomId: room })
  expect(roomEntry({})).toEqual({ roomId: '' })
})
