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

/** One CSV cell: quoted when needed; a cell starting with = + - @, a tab or CR gets a leading ' (stays text in Excel). */
export function csvCell(value: string | number): string {
  let s = String(value)
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s
}

/** Rows as a CSV file Excel opens in Chinese (UTF-8 with a BOM, CRLF lines). */
export function csvText(rows: Array<Array<string | number>>): string {
  return BOM + rows.map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n'
}
