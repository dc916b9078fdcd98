/** The first character as a person sees it (a whole code point: an emoji is not split in half), or ''. */
export function firstChar(s: string): string {
  return Array.from(s)[0] ?? ''
}
