/** The sharer ranking's ranges and cursors, and the guide code's scene read back by the home page. */
import { decodeSharerCursor, encodeSharerCursor, guidePath, guideScene, sharerRangeOf } from '../../cloud/core/sharer/sharers.rules'
import { homeSharer } from '../../src/features/catalog/home-entry'

describe('ranges by the shop clock', () => {
  test('7d is seven whole Shanghai days ending with today, whatever the UTC date', () => {
    // 2026-12-01 23:30 in Shanghai is 15:30 UTC the same day; 00:30 on the 2nd is 16:30 UTC on the 1st.
    expect(sharerRangeOf('7d', new Date('2026-12-01T15:30:00Z'))).toEqual({
      from: new Date('2026-11-24T16:00:00Z'),
      to: new Date('2026-12-01T16:00:00Z'),
    })
    expect(sharerRangeOf('7d', new Date('2026-12-01T16:30:00Z'))).toEqual({
      from: new Date('2026-11-25T16:00:00Z'),
      to: new Date('2026-12-02T16:00:00Z'),
    })
    expect(sharerRangeOf('90d', new Date('2026-12-01T15:30:00Z')).from).toEqual(new Date('2026-09-02T16:00:00Z'))
    expect(sharerRangeOf('all', new Date())).toEqual({ from: null, to: null })
  })
})

describe('cursors', () => {
  const p = { orders: 3, gmvFen: 5000, commissionFen: 800, userId: 'u_0123456789abcdef' }
  test('read back for their own sort only', () => {
    expect(decodeSharerCursor('gmv', encodeSharerCursor('gmv', p))).toEqual(p)
    expect(() => decodeSharerCursor('orders', encodeSharerCursor('gmv', p))).toThrow()
    expect(() => decodeSharerCursor('gmv', 'nonsense')).toThrow()
    expect(() => decodeSharerCursor('gmv', Buffer.from("r:gmv:1:2:3:u_1' OR 1=1").toString('base64url'))).toThrow()
  })
})

describe('the guide code', () => {
  test('its scene is the id’s 16 hex, and the home reads it back as the sharer; anything else names nobody', () => {
    const id = 'u_0123456789abcdef'
    expect(guideScene(id)).toBe('0123456789abcdef')
    expect(guideScene('r_0123456789abcdef')).toBeNull()
    expect(guidePath(id)).toBe('pages/index/index?sharerId=u_0123456789abcdef')
    expect(homeSharer({ scene: guideScene(id)! })).toBe(id)
    expect(homeSharer({ scene: encodeURIComponent(guideScene(id)!) })).toBe(id)
    expect(homeSharer({ sharerId: id })).toBe(id)
    for (const bad of [{ scene: '0123456789ABCDEF' }, { scene: '0123' }, { scene: '%E0%A4%A' }, { sharerId: 'x' }, {}]) {
      expect(homeSharer(bad)).toBeUndefined()
    }
  })
})
