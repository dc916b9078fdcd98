/**
 * 批量发货's file: a CSV with the header 订单编号, 快递公司, 运单号, read into lines, each with the
 * problem already visible before sending: a missing cell, an order number that isn't one (16–20
 * digits; one Excel turned into 2.02612E+15 is named as such), a carrier or waybill the contract
 * refuses, an order repeated in the file. Cells are trimmed (the export and the template write order
 * numbers and waybills with a leading tab, so Excel keeps them as text). The server checks every line
 * again (admin.shipBatch, with the same messages); this only saves a round trip.
 */
import Papa from 'papaparse'
import { CARRIERS } from './labels'

export const HEADER = ['订单编号', '快递公司', '运单号'] as const

/** A carrier the contract doesn't know, in the server's words (cloud/contract/order.ts Carrier). */
export const CARRIER_PROBLEM = `请选择快递公司（${CARRIERS.join('、')}）`
export const MAX_LINES = 300

/** The contract's order number (ORDER_NO_PATTERN) and waybill (TrackingNo), as value copies: the console imports no runtime code from cloud/. */
export const ORDER_NO_PATTERN = /^[0-9]{16,20}$/
export const TRACKING_NO_PATTERN = /^[A-Z0-9]{6,40}$/

/** A waybill as the contract stores it: full-width folded (NFKC), spaces and dashes dropped, letters upper-cased. */
export const foldTrackingNo = (s: string): string =>
  s
    .normalize('NFKC')
    .replace(/[\s\-‐-―－]/g, '')
    .toUpperCase()

export const SCIENTIFIC_MESSAGE = '订单编号被 Excel 改成了科学计数法，请把订单编号列设为文本后重新导出/填写'

/** What is wrong with an order number, or null (the server's orderNoProblem). */
export function orderNoProblem(orderNo: string): string | null {
  if (!orderNo) return '缺少订单编号'
  if (/^[0-9.]+E\+?[0-9]+$/i.test(orderNo)) return SCIENTIFIC_MESSAGE
  if (!ORDER_NO_PATTERN.test(orderNo)) return '订单编号应为 16-20 位数字'
  return null
}

export interface Line {
  /** The row in the file (the header is row 1; blank rows count, as in a spreadsheet). */
  row: number
  orderNo: string
  carrier: string
  trackingNo: string
  problem: string | null
}

/** The lines of a parsed CSV, each with what is already wrong with it. */
export function linesOf(text: string): { lines: Line[]; error: string | null } {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: false })
  const rows = parsed.data.map((r, i) => ({ r, row: i + 1 })).filter(({ r }) => r.some((c) => c.trim() !== ''))
  if (!rows.length) return { lines: [], error: '文件是空的' }
  const head = rows[0]!.r.map((h) => h.trim())
  const col = HEADER.map((h) => head.indexOf(h))
  if (col.some((c) => c < 0)) return { lines: [], error: `第一行须为表头：${HEADER.join('、')}（可下载模板）` }
  const firstRow = new Map<string, number>()
  const lines = rows.slice(1).map(({ r, row }) => {
    const cell = (k: number) => (r[col[k]!] ?? '').trim().replace(/^'/, '').trim()
    const line: Line = { row, orderNo: cell(0), carrier: cell(1), trackingNo: cell(2), problem: null }
    const first = firstRow.get(line.orderNo)
    line.problem = orderNoProblem(line.orderNo)
    if (line.problem) return line
    if (first !== undefined) line.problem = `与第 ${first} 行的订单重复`
    else {
      firstRow.set(line.orderNo, row)
      if (!line.carrier) line.problem = '缺少快递公司'
      else if (!(CARRIERS as readonly string[]).includes(line.carrier)) line.problem = CARRIER_PROBLEM
      else if (!line.trackingNo) line.problem = '缺少运单号'
      else if (!TRACKING_NO_PATTERN.test(foldTrackingNo(line.trackingNo))) line.problem = '运单号为 6-40 位字母或数字'
    }
    return line
  })
  if (lines.length > MAX_LINES) return { lines: [], error: `一次最多 ${MAX_LINES} 行，本文件有 ${lines.length} 行，请分批上传` }
  return { lines, error: null }
}
