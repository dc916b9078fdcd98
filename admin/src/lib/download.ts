/** Files the console hands the merchant: a Blob download, and CSV cells a spreadsheet won't run as formulas. */

/** Saves `text` as a file named `name` (UTF-8). */
export function downloadText(name: string, text: string, mime = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type: mime }))
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const BOM = '\ufeff'

/**
 * An order number or a waybill, which Excel must keep as text: as a number it shows 2.02612E+15 and
 * rounds past 15 digits (2026120100000028 becomes 2026120100000020, another order).
 */
export interface IdText {
  id: string
}
export const idText = (id: string): IdText => ({ id })

/**
 * One CSV cell: quoted when needed; a cell starting with = + - @, a tab or CR gets a leading ' (stays
 * text in Excel). An `IdText` of digits and letters (ours or a carrier's, never people's text, so no
 * formula) is written with a tab inside the quotes, the usual way to keep it text in Excel.
 */
export function csvCell(value: string | number | IdText): string {
  if (typeof value === 'object') {
    if (/^[0-9A-Za-z]+$/.test(value.id)) return `"\t${value.id}"`
    value = value.id
  }
  let s = String(value)
  // The same guard as the server's CSV (cloud/core/csv.ts, docs/rules.md): the ASCII formula starts,
  // a tab or line break, and the full-width ＝＋－＠ that spreadsheets read as formulas too.
  if (/^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows as a CSV file Excel opens in Chinese (UTF-8 with a BOM, CRLF lines). */
export function csvText(rows: Array<Array<string | number | IdText>>): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
