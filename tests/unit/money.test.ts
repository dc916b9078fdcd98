import { formatFen, yuan } from '../../src/lib/money'

describe('money is integer fen, shown as yuan', () => {
  test.each([
    [990, '¥9.90'],
    [5900, '¥59.00'],
    [1, '¥0.01'],
    [0, '¥0.00'],
    [10, '¥0.10'],
    [123456789, '¥1234567.89'],
    [-250, '-¥2.50'],
  ])('%i fen is %s', (fen, text) => {
    expect(formatFen(fen)).toBe(text)
  })

  test('yuan splits cleanly for the big-and-small price display', () => {
    expect(yuan(36800).split('.')).toEqual(['368', '00'])
  })

  test('a fraction of a fen is a bug, not something to round', () => {
    expect(() => formatFen(9.9)).toThrow(RangeError)
    expect(() => formatFen(Number.NaN)).toThrow(RangeError)
  })
})
