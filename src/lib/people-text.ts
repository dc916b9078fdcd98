/**
 * People's text as the server's peopleText cleans it (cloud/contract/common.ts, mirrored: src takes
 * only types from cloud), for forms that answer at once: the characters a reader can't see or that
 * steer how text shows — controls (line breaks included), zero-width and bidi marks, line and
 * paragraph separators, the byte-order mark.
 */
// eslint-disable-next-line no-control-regex -- control characters are what it drops
export const HIDDEN_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff]/g

/** Text written for others to read (a coupon's title, a prize): line breaks a space, hidden characters dropped, runs of spaces one, trimmed. */
export function cleanText(text: string): string {
  return text
    .replace(/[\t\n\v\f\r\u0085\u2028\u2029]/g, ' ')
    .replace(HIDDEN_CHARACTERS, '')
    .replace(/\s+/g, ' ')
    .trim()
}
