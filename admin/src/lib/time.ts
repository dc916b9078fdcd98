/** Times as the shop reads them: every instant shown on the shop's clock (Asia/Shanghai), whatever the computer's zone. */
import dayjs from 'dayjs'
import timezone from 'dayjs/plugin/timezone'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)
dayjs.extend(timezone)

export const SHOP_TZ = 'Asia/Shanghai'

/** An ISO instant on the shop's clock ('—' for none). */
export function shopTime(iso: string | null | undefined, format = 'YYYY-MM-DD HH:mm:ss'): string {
  return iso ? dayjs(iso).tz(SHOP_TZ).format(format) : '—'
}

/** Now on the shop's clock, formatted (file names). */
export function shopNow(format: string): string {
  return dayjs().tz(SHOP_TZ).format(format)
}

/** A short instant on the shop's clock: 'MM-DD HH:mm' in this year, 'YYYY-MM-DD HH:mm' in any other. */
export function shopShort(iso: string): string {
  const t = dayjs(iso).tz(SHOP_TZ)
  return t.format(t.year() === dayjs().tz(SHOP_TZ).year() ? 'MM-DD HH:mm' : 'YYYY-MM-DD HH:mm')
}
