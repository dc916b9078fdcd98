/**
 * 批量发货's file: a CSV with the header 订单编号, 快递公司, 运单号, read into lines, each with the
 * problem already visible before sending (a missing cell, a carrier the contract doesn't know).
 * The server checks every line again (admin.shipBatch); this only saves a round trip.
 */
import Papa from 'papaparse'
import { CARRIERS } from './labels'

export const HEADER = ['订单编号', '快递公司', '运单号'] as const
export const MAX_LINES = 300

export interface Line {
  /** The row in the file (the header is row 1). */
  row: number
  orderNo: string
  carrier: string
  trackingNo: string
  problem: string | null
}

/** The lines of a parsed CSV, each with what is already wrong with it. */
export function linesOf(text: string): { lines: Line[]; error: string | null } {
  const parsed = Papa.parse<string[]>(text.replace(/^\ufeff/, ''), { skipEmptyLines: 'greedy' })
  const rows = parsed.data
  if (!rows.length) return { lines: [], error: '文件是空的' }
  const head = rows[0]!.map((h) => h.trim())
  const col = HEADER.map((h) => head.indexOf(h))
  if (col.some((c) => c < 0)) return { lines: [], error: `第一行须为表头：${HEADER.join('、')}（可下载模板）` }
  const lines = rows.slice(1).map((r, i) => {
    const cell = (k: number) => (r[col[k]!] ?? '').trim().replace(/^'/, '')
    const line: Line = { row: i + 2, orderNo: cell(0), carrier: cell(1), trackingNo: cell(2), problem: null }
    if (!line.orderNo) line.problem = '缺少订单编号'
    else if (!line.carrier) line.problem = '缺少快递公司'
    else if (!(CARRIERS as readonly string[]).includes(line.carrier)) line.problem = `快递公司须为：${CARRIERS.join('、')}`
    else if (!line.trackingNo) line.problem = '缺少运单号'
    return line
  })
  if (lines.length > MAX_LINES) return { lines: [], error: `一次最多 ${MAX_LINES} 行，本文件有 ${lines.length} 行，请分批上传` }
  return { lines, error: null }
}
