/**
 * The console's own small rules, run without a browser: money typed as yuan becomes fen by its
 * digits (never a float), the product editor's matrix and checks mirror the contract, and the batch
 * shipment's CSV is read line by line with each line's problem.
 */
import { formatFen, parseYuan, percent, yuanProblem } from '../../admin/src/lib/money'
import { csvCell, csvText } from '../../admin/src/lib/download'
import {
  combos,
  createInput,
  emptyDraft,
  existingSkus,
  fieldOfPath,
  parsePct,
  problems,
  saveSkusInput,
  specsKey,
  type Draft,
} from '../../admin/src/pages/products/draft'
import { linesOf } from '../../admin/src/pages/orders/ship-csv'
import { CARRIERS } from '../../admin/src/pages/orders/labels'
import { CARRIERS as CONTRACT_CARRIERS } from '../../cloud/contract'

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
      { row: 3, orderNo: '2026120100000002', carrier: '火星快递', trackingNo: 'YT1', problem: expect.stringContaining('快递公司须为') },
      { row: 4, orderNo: '2026120100000003', carrier: '中通快递', trackingNo: '', problem: '缺少运单号' },
    ])
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
