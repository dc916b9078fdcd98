/**
 * The console's own small rules, run without a browser: money typed as yuan becomes fen by its
 * digits (never a float), the product editor's matrix and checks mirror the contract, and the batch
 * shipment's CSV is read line by line with each line's problem.
 */
import { formatFen, parseYuan, percent, yuanProblem } from '../../admin/src/lib/money'
import { csvCell, csvText, idText } from '../../admin/src/lib/download'
import { csvCell as serverCsvCell } from '../../cloud/core/csv'
import { settleSlot, type UploadSlot } from '../../admin/src/components/upload-order'
import { LOW_STOCK_LABEL, stockRows } from '../../admin/src/pages/products/stock-rows'
import type { AdminProductDetail } from '../../cloud/contract'
import {
  cheapSkus,
  combos,
  createInput,
  draftOf,
  emptyDraft,
  existingSkus,
  fieldOfPath,
  parsePct,
  problems,
  saveSkusInput,
  specsKey,
  updateInput,
  type Draft,
} from '../../admin/src/pages/products/draft'
import { linesOf, ORDER_NO_PATTERN, TRACKING_NO_PATTERN, orderNoProblem } from '../../admin/src/pages/orders/ship-csv'
import { CARRIERS, eventLabel, refundState } from '../../admin/src/pages/orders/labels'
import {
  CARRIERS as CONTRACT_CARRIERS,
  ORDER_NO_PATTERN as CONTRACT_ORDER_NO,
  TRACKING_NO_PATTERN as CONTRACT_TRACKING_NO,
  Carrier,
  TrackingNo,
} from '../../cloud/contract'
import { CARRIER_PROBLEM } from '../../admin/src/pages/orders/ship-csv'
import { showsRoleTag } from '../../admin/src/roles'
import { loginPathFor } from '../../admin/src/lib/login-path'
import { loadPending, PENDING_KEY, savePending } from '../../admin/src/pages/login/pending-ticket'
import { stoppingSkus } from '../../admin/src/pages/products/draft'
import { orderNoProblem as serverOrderNoProblem } from '../../cloud/core/order/desk.service'

describe('money', () => {
  test('fen is shown as yuan with two decimals and grouped thousands', () => {
    expect(formatFen(0)).toBe('¥0.00')
    expect(formatFen(7)).toBe('¥0.07')
    expect(formatFen(1990)).toBe('¥19.90')
    expect(formatFen(123456789)).toBe('¥1,234,567.89')
  })

  test('typed yuan becomes exact fen, where a float would not (0.07 × 100 = 7.000000000000001)', () => {
    expect(parseYuan('0.07')).toBe(7)
    expect(parseYuan('19.9')).toBe(1990)
    expect(parseYuan('19.90')).toBe(1990)
    expect(parseYuan('1.10')).toBe(110)
    expect(parseYuan('.5')).toBe(50)
    expect(parseYuan('¥1,234.56')).toBe(123456)
    expect(parseYuan(' 68 ')).toBe(6800)
    for (const bad of ['', '.', 'abc', '1.234', '-5', '1e3', '12..3', '12345678']) expect(parseYuan(bad)).toBeNull()
  })

  test('the price checks name what is wrong', () => {
    expect(yuanProblem('')).toBe('请输入价格')
    expect(yuanProblem('1.234')).toBe('价格格式不正确（最多两位小数）')
    expect(yuanProblem('0')).toBe('价格须大于 0')
    expect(yuanProblem('1000000.01')).toBe('价格不能超过 ¥1,000,000')
    expect(yuanProblem('1000000')).toBeNull()
  })

  test('a rate is shown as a percentage with one decimal', () => {
    expect(percent(0)).toBe('0.0%')
    expect(percent(1 / 3)).toBe('33.3%')
    expect(percent(1)).toBe('100.0%')
  })
})

const matrixDraft = (patch: Partial<Draft> = {}): Draft => ({
  ...emptyDraft(),
  title: '古树滇红',
  images: ['/media/uploads/a.jpg'],
  groups: [
    { key: 'g1', name: '规格', values: ['250g', '500g'] },
    { key: 'g2', name: '包装', values: ['罐装', '袋装'] },
  ],
  rows: {
    '250g\u0001罐装': { price: '68', listPrice: '', stock: '20' },
    '250g\u0001袋装': { price: '58', listPrice: '88', stock: '30' },
    '500g\u0001罐装': { price: '128', listPrice: '', stock: '10' },
    '500g\u0001袋装': { price: '108.5', listPrice: '', stock: '15' },
  },
  ...patch,
})

describe('the product editor', () => {
  test('two spec groups of two values make four SKUs, each with its specs', () => {
    const cs = combos(matrixDraft().groups)
    expect(cs.map((c) => c.specText)).toEqual(['250g / 罐装', '250g / 袋装', '500g / 罐装', '500g / 袋装'])
    expect(cs[3]!.specs).toEqual({ 规格: '500g', 包装: '袋装' })
  })

  test('a complete draft has no problems and creates the product with prices in fen and opening stock', () => {
    const d = matrixDraft({ commissionPct: '12.5' })
    expect(problems(d, new Map())).toEqual({})
    const input = createInput(d)
    expect(input.commissionRate).toBe(0.125)
    expect(input.specGroups).toEqual([
      { name: '规格', values: ['250g', '500g'] },
      { name: '包装', values: ['罐装', '袋装'] },
    ])
    expect(input.skus).toEqual([
      { specs: { 规格: '250g', 包装: '罐装' }, priceFen: 6800, stock: 20 },
      { specs: { 规格: '250g', 包装: '袋装' }, priceFen: 5800, listPriceFen: 8800, stock: 30 },
      { specs: { 规格: '500g', 包装: '罐装' }, priceFen: 12800, stock: 10 },
      { specs: { 规格: '500g', 包装: '袋装' }, priceFen: 10850, stock: 15 },
    ])
  })

  test('the checks mirror the contract: title, images, duplicate names (width-folded), list price, stock of new SKUs', () => {
    const d = matrixDraft({
      title: ' ',
      images: [],
      commissionPct: '51',
      groups: [
        { key: 'g1', name: 'ABC', values: ['250g'] },
        { key: 'g2', name: 'ＡＢＣ', values: ['罐装'] },
      ],
      rows: { '250g\u0001罐装': { price: '10', listPrice: '9', stock: '' } },
      params: [
        { key: 'p1', name: '产地', value: '云南' },
        { key: 'p2', name: '产地', value: '' },
      ],
    })
    const e = problems(d, new Map())
    expect(e).toMatchObject({
      title: '请输入商品标题',
      images: '至少需要一张商品图片',
      commission: '佣金比例为 0 到 50 的数，最多一位小数',
      'groups.1.name': '规格名称重复（全角半角视为相同）',
      'row.250g\u0001罐装.listPrice': '划线价不能低于售价',
      'row.250g\u0001罐装.stock': '请输入库存',
      'params.1.name': '参数名称重复（全角半角视为相同）',
      'params.1.value': '请输入参数内容',
    })
  })

  test('saving the matrix sends no stock for SKUs that exist (stock moves through 调整库存), and opening stock for new ones', () => {
    const d = matrixDraft()
    const existing = new Map([
      [
        specsKey({ 规格: '250g', 包装: '罐装' }),
        { id: 's1', specs: { 规格: '250g', 包装: '罐装' }, specText: '', priceFen: 6800, listPriceFen: null, stock: 3 },
      ],
    ])
    // An existing SKU needs no stock typed.
    const withoutStock = matrixDraft({ rows: { ...d.rows, '250g\u0001罐装': { price: '70', listPrice: '', stock: '' } } })
    expect(problems(withoutStock, existing)).toEqual({})
    const input = saveSkusInput('p1', withoutStock, existing)
    expect(input.skus[0]).toEqual({ specs: { 规格: '250g', 包装: '罐装' }, priceFen: 7000 })
    expect(input.skus[1]).toEqual({ specs: { 规格: '250g', 包装: '袋装' }, priceFen: 5800, listPriceFen: 8800, stock: 30 })
    expect(existingSkus(null).size).toBe(0)
  })

  test('without spec groups, one price and stock', () => {
    const d = { ...emptyDraft(), title: '茶', images: ['/media/uploads/a.jpg'], single: { price: '9.9', listPrice: '', stock: '5' } }
    expect(problems(d, new Map())).toEqual({})
    expect(createInput(d)).toMatchObject({ priceFen: 990, stock: 5 })
    expect(createInput(d)).not.toHaveProperty('skus')
  })

  test('commission percent is read by its digits', () => {
    expect(parsePct('0')).toBe(0)
    expect(parsePct('50')).toBe(0.5)
    expect(parsePct('7.5')).toBe(0.075)
    for (const bad of ['50.1', '-1', '', '1.25', 'x']) expect(parsePct(bad)).toBeNull()
  })

  test("a server refusal's path lands on the editor's field", () => {
    expect(fieldOfPath('title')).toBe('title')
    expect(fieldOfPath('specGroups.1.name')).toBe('groups.1.name')
    expect(fieldOfPath('specs.2.value')).toBe('params.2.value')
    expect(fieldOfPath('commissionRate')).toBe('commission')
    expect(fieldOfPath('skus')).toBe('groups')
    expect(fieldOfPath('somethingElse')).toBeNull()
  })
})

describe('the product editor after review round 2', () => {
  const saved: AdminProductDetail = {
    id: 'p1',
    title: '古树滇红',
    subtitle: '',
    description: '',
    priceFen: 6800,
    listPriceFen: null,
    stock: 3,
    categoryId: null,
    cover: '/media/uploads/a.jpg',
    images: ['/media/uploads/a.jpg'],
    specGroups: [{ name: '规格', values: ['250g'] }],
    detailImages: [],
    specs: [],
    soldCount: 0,
    skus: [{ id: 's1', specs: { 规格: '250g' }, specText: '250g', priceFen: 6800, listPriceFen: null, stock: 3 }],
    status: 'on',
    commissionRate: 0,
    retiredSkuIds: [],
  } as AdminProductDetail

  test('创建商品 sends the 上架状态 (立即上架 by default) and the editor session key', () => {
    const d = matrixDraft()
    expect(d.status).toBe('on')
    expect(createInput(d, 'c-0123456789abcdef')).toMatchObject({ status: 'on', idempotencyKey: 'c-0123456789abcdef' })
    expect(createInput({ ...d, status: 'off' }, 'c-0123456789abcdef').status).toBe('off')
  })

  test('保存 is one updateProduct: the matrix rides along when it changed, the status when it changed', () => {
    const d = draftOf(saved)
    const same = updateInput('p1', d, saved)
    expect(same).not.toHaveProperty('matrix')
    expect(same).not.toHaveProperty('status')
    const changed = updateInput(
      'p1',
      { ...d, title: '新标题', rows: { '250g': { price: '70', listPrice: '', stock: '' } }, status: 'off' },
      saved,
    )
    expect(changed).toMatchObject({
      productId: 'p1',
      title: '新标题',
      status: 'off',
      matrix: { specGroups: [{ name: '规格', values: ['250g'] }], skus: [{ specs: { 规格: '250g' }, priceFen: 7000 }] },
    })
    expect(changed.matrix!.skus[0]).not.toHaveProperty('stock')
  })

  test('a price below ¥1.00 is named for the confirmation; ¥1.00 and more are not', () => {
    const single = { ...emptyDraft(), single: { price: '0.5', listPrice: '', stock: '1' } }
    expect(cheapSkus(single)).toEqual(['默认'])
    expect(cheapSkus({ ...single, single: { ...single.single, price: '1' } })).toEqual([])
    const d = matrixDraft()
    expect(cheapSkus({ ...d, rows: { ...d.rows, '250g\u0001袋装': { price: '0.99', listPrice: '', stock: '3' } } })).toEqual([
      '250g / 袋装',
    ])
  })

  test('images picked together keep their pick order, whichever upload finishes first; a failed one is dropped', () => {
    let slots: UploadSlot[] = [1, 2, 3].map((id) => ({ id, url: null, failed: false }))
    let r = settleSlot(slots, 3, '/c.jpg')
    expect(r.ready).toEqual([])
    r = settleSlot(r.slots, 1, '/a.jpg')
    expect(r.ready).toEqual(['/a.jpg'])
    slots = r.slots
    r = settleSlot(slots, 2, null)
    expect(r.ready).toEqual(['/c.jpg'])
    expect(r.slots).toEqual([])
  })

  test('the stock panel: retired SKUs after the others as 已停售, never 低库存; one low-stock label', () => {
    const sku = (id: string, stock: number) => ({ id, specs: {}, specText: id, priceFen: 100, listPriceFen: null, stock })
    const rows = stockRows([sku('old', 2), sku('a', 5), sku('b', 50)], ['old'])
    expect(rows.map((r) => [r.id, r.retired, r.low])).toEqual([
      ['a', false, true],
      ['b', false, false],
      ['old', true, false],
    ])
    expect(LOW_STOCK_LABEL).toBe('低库存')
  })
})

describe('batch shipping CSV', () => {
  test("the console's carriers are the contract's, in its order", () => {
    expect([...CARRIERS]).toEqual([...CONTRACT_CARRIERS])
  })

  test('lines are read under the header (BOM, quotes, any column order), each with its problem', () => {
    const text =
      '\ufeff运单号,订单编号,快递公司\r\nSF123456,"2026120100000001",顺丰速运\r\n\r\nYT1,2026120100000002,火星快递\r\n,2026120100000003,中通快递\r\n'
    const { lines, error } = linesOf(text)
    expect(error).toBeNull()
    expect(lines).toEqual([
      { row: 2, orderNo: '2026120100000001', carrier: '顺丰速运', trackingNo: 'SF123456', problem: null },
      // The blank row 3 counts, as in a spreadsheet.
      { row: 4, orderNo: '2026120100000002', carrier: '火星快递', trackingNo: 'YT1', problem: expect.stringContaining('请选择快递公司（') },
      { row: 5, orderNo: '2026120100000003', carrier: '中通快递', trackingNo: '', problem: '缺少运单号' },
    ])
  })

  test('cells as Excel and our own files leave them are trimmed; order numbers, waybills and repeats are checked before sending', () => {
    const text = [
      '订单编号,快递公司,运单号',
      '"\t2026120100000028", 顺丰速运 ,"\tSF1234567890"',
      '2.02612E+15,顺丰速运,SF1234567891',
      '20261201,顺丰速运,SF1234567892',
      '',
      '2026120100000028,顺丰速运,SF1234567890',
      '2026120100000029,中通快递,ZT-12',
      '2026120100000030,中通快递,ｚｔ１２３４５６７８',
    ].join('\r\n')
    const { lines, error } = linesOf(text)
    expect(error).toBeNull()
    expect(lines.map((l) => [l.row, l.orderNo, l.carrier, l.trackingNo, l.problem])).toEqual([
      [2, '2026120100000028', '顺丰速运', 'SF1234567890', null],
      [3, '2.02612E+15', '顺丰速运', 'SF1234567891', '订单编号被 Excel 改成了科学计数法，请把订单编号列设为文本后重新导出/填写'],
      [4, '20261201', '顺丰速运', 'SF1234567892', '订单编号应为 16-20 位数字'],
      [6, '2026120100000028', '顺丰速运', 'SF1234567890', '与第 2 行的订单重复'],
      [7, '2026120100000029', '中通快递', 'ZT-12', '运单号为 6-40 位字母或数字'],
      // Full-width is folded as the contract folds it: no problem.
      [8, '2026120100000030', '中通快递', 'ｚｔ１２３４５６７８', null],
    ])
  })

  test("order numbers and waybills are written so Excel keeps them as text (a tab inside the quotes); people's text is still neutralised", () => {
    expect(csvCell(idText('2026120100000028'))).toBe('"\t2026120100000028"')
    expect(csvCell(idText('SF1234567890'))).toBe('"\tSF1234567890"')
    // Not our digits: the usual rules.
    expect(csvCell(idText('=1+1'))).toBe("'=1+1")
    expect(csvCell(idText(''))).toBe('')
    expect(
      csvText([
        ['订单编号', '运单号'],
        [idText('2026120100000028'), idText('SF1')],
      ]),
    ).toBe('\ufeff订单编号,运单号\r\n"\t2026120100000028","\tSF1"\r\n')
    // What we write reads back as the same number.
    const back = linesOf(
      csvText([
        ['订单编号', '快递公司', '运单号'],
        [idText('2026120100000028'), '顺丰速运', idText('SF1234567890')],
      ]),
    )
    expect(back.lines[0]).toMatchObject({ orderNo: '2026120100000028', trackingNo: 'SF1234567890', problem: null })
  })

  test("the console's order-number and waybill rules are the contract's and the server's", () => {
    expect(ORDER_NO_PATTERN.source).toBe(CONTRACT_ORDER_NO.source)
    expect(TRACKING_NO_PATTERN.source).toBe(CONTRACT_TRACKING_NO.source)
    for (const no of ['', '2.02612E+15', '2.02612e15', '20261201', '2026120100000028', '2026120100000028x'])
      expect(orderNoProblem(no)).toBe(serverOrderNoProblem(no))
    expect(TrackingNo.parse('ｓｆ１２３４５６７８')).toBe('SF12345678')
  })

  test('a file without the header is refused as a whole', () => {
    expect(linesOf('a,b,c\n1,2,3').error).toBe('第一行须为表头：订单编号、快递公司、运单号（可下载模板）')
    expect(linesOf('').error).toBe('文件是空的')
  })

  test('cells a spreadsheet would run stay text; the file opens in Chinese (BOM)', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('+86')).toBe("'+86")
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvText([['订单编号'], ['1']])).toBe('\ufeff订单编号\r\n1\r\n')
  })
})

describe('the order timeline and refund block', () => {
  test('each entry says what happened: a rejection, an approval and a merchant refund are named', () => {
    expect(eventLabel({ from: 'refund_requested', to: 'paid', actor: 'staff' })).toBe('商家拒绝退款')
    expect(eventLabel({ from: 'refund_requested', to: 'shipped', actor: 'staff' })).toBe('商家拒绝退款')
    expect(eventLabel({ from: 'refund_requested', to: 'refunded', actor: 'staff' })).toBe('同意退款')
    expect(eventLabel({ from: 'paid', to: 'refunded', actor: 'staff' })).toBe('商家主动退款')
    expect(eventLabel({ from: 'completed', to: 'refunded', actor: 'staff' })).toBe('商家主动退款')
    expect(eventLabel({ from: 'paid', to: 'refund_requested', actor: 'shopper' })).toBe('买家申请退款')
    expect(eventLabel({ from: 'paid', to: 'shipped', actor: 'staff' })).toBe('已发货')
    expect(eventLabel({ from: null, to: 'pending_payment', actor: 'shopper' })).toBe('待付款')
  })

  test('the refund block shows an amount only once refunded; a rejected request is named as such', () => {
    const refund = { amountFen: 5900, reason: '买多了', rejectReason: '已拆封', refundedAt: null }
    expect(refundState({ refund, order: { status: 'paid' } })).toEqual({ state: '已拒绝退款', amountFen: null })
    expect(refundState({ refund: { ...refund, rejectReason: null }, order: { status: 'refund_requested' } })).toEqual({
      state: '退款审核中',
      amountFen: null,
    })
    expect(refundState({ refund: { ...refund, refundedAt: '2026-12-01T12:00:00.000Z' }, order: { status: 'refunded' } })).toEqual({
      state: '已退款',
      amountFen: 5900,
    })
    expect(refundState({ refund: null, order: { status: 'paid' } })).toBeNull()
  })
})

describe('after review round 3', () => {
  const twoGroups = {
    id: 'p2',
    title: '正山小种',
    subtitle: '',
    description: '',
    priceFen: 3000,
    listPriceFen: null,
    stock: 10,
    categoryId: null,
    cover: '',
    images: [],
    specGroups: [
      { name: '规格', values: ['50g', '100g'] },
      { name: '包装', values: ['袋装', '罐装'] },
    ],
    detailImages: [],
    specs: [],
    soldCount: 0,
    skus: [
      { id: 'a', specs: { 规格: '50g', 包装: '袋装' }, specText: '50g / 袋装', priceFen: 3000, listPriceFen: null, stock: 4 },
      { id: 'b', specs: { 规格: '50g', 包装: '罐装' }, specText: '50g / 罐装', priceFen: 3200, listPriceFen: null, stock: 0 },
      { id: 'c', specs: { 规格: '100g', 包装: '袋装' }, specText: '100g / 袋装', priceFen: 5500, listPriceFen: null, stock: 9 },
      { id: 'd', specs: { 规格: '100g', 包装: '罐装' }, specText: '100g / 罐装', priceFen: 5800, listPriceFen: null, stock: 6 },
      // Retired earlier: already off sale, not asked about again.
      { id: 'e', specs: { 规格: '200g', 包装: '罐装' }, specText: '200g / 罐装', priceFen: 9000, listPriceFen: null, stock: 2 },
    ],
    status: 'on',
    commissionRate: 0,
    retiredSkuIds: ['e'],
  } as AdminProductDetail

  test('removing a spec value names the SKUs that stop selling with their stock; unchanged or stockless, nothing', () => {
    const d = draftOf(twoGroups)
    expect(stoppingSkus(d, twoGroups)).toEqual([])
    expect(stoppingSkus(d, null)).toEqual([])
    const without100g = { ...d, groups: d.groups.map((g, i) => (i === 0 ? { ...g, values: ['50g'] } : g)) }
    expect(stoppingSkus(without100g, twoGroups)).toEqual(['100g / 袋装（库存 9）', '100g / 罐装（库存 6）'])
    // 罐装 removed: 50g / 罐装 has no stock, so only 100g / 罐装 is named.
    const withoutCan = { ...d, groups: d.groups.map((g, i) => (i === 1 ? { ...g, values: ['袋装'] } : g)) }
    expect(stoppingSkus(withoutCan, twoGroups)).toEqual(['100g / 罐装（库存 6）'])
  })

  test("the batch file's bad carrier is named in the server's words", () => {
    const refused = Carrier.safeParse('火星快递')
    expect(refused.success).toBe(false)
    expect(CARRIER_PROBLEM).toBe(refused.error!.issues[0]!.message)
    expect(linesOf('订单编号,快递公司,运单号\n2026120100000002,火星快递,YT1').lines[0]!.problem).toBe(CARRIER_PROBLEM)
  })

  test('the header shows the role beside a nickname, not beside the role’s own name', () => {
    expect(showsRoleTag('店主', 'owner')).toBe(false)
    expect(showsRoleTag('王小茶', 'owner')).toBe(true)
    expect(showsRoleTag('客服', 'operator')).toBe(true)
    expect(showsRoleTag('运营', 'operator')).toBe(false)
  })

  test('a 401 goes to sign-in saying why (expired=1), and back to the page afterwards', () => {
    expect(loginPathFor('/', '')).toBe('/login?expired=1')
    expect(loginPathFor('/orders', '?tab=paid')).toBe(`/login?next=${encodeURIComponent('/orders?tab=paid')}&expired=1`)
  })

  test('the pending code is kept for a reload until it expires; anything else kept is dropped', () => {
    const kept = new Map<string, string>()
    const store = {
      getItem: (k: string) => kept.get(k) ?? null,
      setItem: (k: string, v: string) => void kept.set(k, v),
      removeItem: (k: string) => void kept.delete(k),
    }
    const now = Date.parse('2026-12-01T10:00:00Z')
    const t = {
      ticket: 'T1',
      secret: 'S1',
      expiresAt: '2026-12-01T10:03:00Z',
      codeImage: 'data:image/png;base64,AA',
      scene: 'T1',
      page: 'p',
    }
    savePending(store, t)
    expect(loadPending(store, now)).toEqual(t)
    expect(loadPending(store, Date.parse('2026-12-01T10:03:00Z'))).toBeNull()
    expect(kept.has(PENDING_KEY)).toBe(false)
    kept.set(PENDING_KEY, '{not json')
    expect(loadPending(store, now)).toBeNull()
    kept.set(PENDING_KEY, JSON.stringify({ ticket: 'T1', expiresAt: '2026-12-01T10:03:00Z' }))
    expect(loadPending(store, now)).toBeNull()
  })
})

describe('the console’s CSV cells guard as the server’s do', () => {
  const starts = ['=', '+', '-', '@', '\t', '\r', '\n', '＝', '＋', '－', '＠', 'a', '茶', ' ', '"', ',', "'", '1', '＝＝', '']
  const tails = ['', 'SUM(A1:A2)', 'HYPERLINK("http://x")', '1,2', 'say "hi"', '两\n行', '茶友', ' 1+1']
  test.each(starts.flatMap((a) => tails.map((b) => [`${a}${b}`])))('%j', (text) => {
    expect(csvCell(text)).toBe(serverCsvCell(text))
  })
  test('full-width formula starts are kept as text', () => {
    expect(csvCell('＝1+1')).toBe("'＝1+1")
    expect(csvCell('＠SUM(A1)')).toBe("'＠SUM(A1)")
    expect(csvCell('－2')).toBe("'－2")
    expect(csvCell('＋2')).toBe("'＋2")
  })
})
