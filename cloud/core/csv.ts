/** CSV the merchant downloads (share records, the order export). */

/**
 * One CSV cell. A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return,
 * OWASP's list; a line feed and the full-width forms too) as a formula, and nicknames are the users'
 * own: such a cell gets a leading ' so it stays text. Then the usual quoting of commas, quotes and
 * line breaks.
 */
export function csvCell(v: string): string {
  const text = /^[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]/.test(v) ? `'${v}` : v
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text
}
