/** The pure rules behind the abuse limits: the rates, the bounded rejection body, CSV cells, the comment filter. */
import { keywordChecker, normalizeForMatch } from '../../cloud/adapters/content/keywords'
import {
  COMMENTS,
  LIKES,
  LIKES_PER_CALL,
  NOTIFY_REJECTIONS,
  REJECTION_BODY_BYTES,
  boundedJson,
  limitKeys,
  mostInWindow,
} from '../../cloud/core/limits'
import { csvCell } from '../../cloud/core/csv'

describe('the rates', () => {
  test('comments: a burst of 3, then one per 2 s', () => {
    expect(mostInWindow(COMMENTS, 0)).toBe(3)
    expect(mostInWindow(COMMENTS, 1.9)).toBe(3)
    expect(mostInWindow(COMMENTS, 2)).toBe(4)
    expect(mostInWindow(COMMENTS, 60)).toBe(33)
  })

  test('likes: never more than 300 in any 60 s, and one call (50) fits the burst', () => {
    expect(mostInWindow(LIKES, 60)).toBe(300)
    expect(LIKES.burst).toBeGreaterThanOrEqual(LIKES_PER_CALL)
  })

  test('rejected notifies: a bounded store — at most ~14,000 rows of 2 KB per provider and reason in 30 days', () => {
    expect(mostInWindow(NOTIFY_REJECTIONS, 60)).toBe(30)
    expect(mostInWindow(NOTIFY_REJECTIONS, 30 * 86_400) * REJECTION_BODY_BYTES).toBeLessThan(1024 ** 3)
  })

  test('keys name the viewer and the room, or the provider and the reason', () => {
    expect(limitKeys.comment('r_1', 'u_1')).toBe('comment:r_1:u_1')
    expect(limitKeys.like('r_1', 'u_1')).not.toBe(limitKeys.comment('r_1', 'u_1'))
    expect(limitKeys.notifyRejection('sandbox', 'BAD_SIGNATURE')).toBe('notify-rejection:sandbox:BAD_SIGNATURE')
  })
})

describe('boundedJson: what is kept of a rejected notify', () => {
  test('a small body is kept whole', () => {
    expect(JSON.parse(boundedJson({ orderId: 'o_1', amountFen: 1 }))).toEqual({ orderId: 'o_1', amountFen: 1 })
    expect(boundedJson(undefined)).toBe('null')
  })

  test('a large body is cut to the cap, saying how big it was', () => {
    const body = { orderId: 'o_1', junk: '"\\'.repeat(30_000) }
    const text = boundedJson(body)
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(REJECTION_BODY_BYTES)
    const kept = JSON.parse(text)
    expect(kept).toMatchObject({ truncated: true, bytes: Buffer.byteLength(JSON.stringify(body)) })
    expect(kept.head.startsWith('{"orderId":"o_1"')).toBe(true)
  })

  test('multi-byte text and emoji stay under the cap and well formed', () => {
    const text = boundedJson({ s: '茶😀'.repeat(5_000) })
    expect(Buffer.byteLength(text)).toBeLessThanOrEqual(REJECTION_BODY_BYTES)
    expect(text).not.toMatch(/\\ud[89a-f]/i)
    expect(JSON.parse(text).truncated).toBe(true)
  })

  test('NUL and lone surrogates, which jsonb refuses, are replaced, in values and in keys', () => {
    expect(JSON.parse(boundedJson({ a: 'x\u0000y', b: ['\ud800'] }))).toEqual({ a: 'x\ufffdy', b: ['\ufffd'] })
    // A NUL in a key: the body is kept as the text of its JSON, where the NUL is an escape, not a NUL.
    const keyed = JSON.parse(boundedJson({ 'k\u0000': 1 }))
    expect(keyed).toMatchObject({ truncated: true, head: '{"k\\u0000":1}' })
    expect(keyed.head).not.toContain('\u0000')
  })

  test('what JSON cannot hold does not throw', () => {
    const circular: Record<string, unknown> = {}
    circular.self = circular
    expect(() => JSON.parse(boundedJson(circular))).not.toThrow()
    expect(() => JSON.parse(boundedJson({ n: BigInt(1) }))).not.toThrow()
  })
})

describe('CSV cells a spreadsheet would run as formulas', () => {
  test.each([
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    ['+1+1', "'+1+1"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1', "'\t=1"],
    ['\r=1', `"'\r=1"`],
    ['＝1+1', "'＝1+1"],
  ])('%j becomes text: %j', (input, cell) => {
    expect(csvCell(input)).toBe(cell)
  })

  test('ordinary cells are left alone, commas, quotes and line breaks still quoted', () => {
    expect(csvCell('茶友小王')).toBe('茶友小王')
    expect(csvCell('a-b')).toBe('a-b')
    expect(csvCell('2026-01-01T00:00:00.000Z')).toBe('2026-01-01T00:00:00.000Z')
    expect(csvCell('小王, 小李')).toBe('"小王, 小李"')
    expect(csvCell('say "hi"')).toBe('"say ""hi"""')
    expect(csvCell('两\n行')).toBe('"两\n行"')
  })
})

describe('the local comment filter', () => {
  const filter = keywordChecker()
  const passes = (text: string) => filter.check(text, 'openid')

  test('normalising folds width and case and drops invisible characters, spaces and punctuation', () => {
    expect(normalizeForMatch('ｗｅｉｘｉｎ')).toBe('weixin')
    expect(normalizeForMatch('ＶＸ')).toBe('vx')
    expect(normalizeForMatch('加\u200b微\u2060信\ufeff')).toBe('加微信')
    expect(normalizeForMatch('wei\u00adxin')).toBe('weixin')
    expect(normalizeForMatch('加 . 微 - 信')).toBe('加微信')
  })

  test.each([
    '加\u200b微信',
    '加\u200c微\u200d信',
    '加\u2062微信',
    '加微\u00ad信',
    '\ufeff加微信',
    'ｗｅｉｘｉｎ：abc123',
    'ＶＸ：abc123',
    '主播vx多少',
    '私聊 V X',
    '加Ｖ领优惠',
    '加v领优惠',
    '＋V',
    '+微 abc',
    'wx号abc123',
    'WXID_abc',
    '我的微信号是abc',
    'v信联系',
    '加.微.信',
    '加-微-信',
    'ⓥⓧ',
    '想要优惠的加微 信123',
  ])('refuses %j', async (text) => {
    expect(await passes(text)).toBe(false)
  })

  test.each([
    '这款龙井多少钱？',
    '主播好！',
    '可以用微信支付吗',
    '怎么加VIP会员',
    '这茶能增加微量元素吗',
    '我很有威信',
    'V5 主播威武',
    'wxyz',
    'weight 多少克',
    'vivo 手机能看回放吗',
    '温馨提示：开水冲泡',
  ])('lets %j through', async (text) => {
    expect(await passes(text)).toBe(true)
  })
})
