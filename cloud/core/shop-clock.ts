/** The shop's wall clock (Asia/Shanghai, UTC+8 all year, no daylight saving) as people read it. */

/** `2026-12-01 20:05:09`, or `2026-12-01 20:05` with `minutes`. */
export function shopClock(d: Date, minutes = false): string {
  const s = new Date(d.getTime() + 8 * 3_600_000).toISOString().replace('T', ' ')
  return s.slice(0, minutes ? 16 : 19)
}
