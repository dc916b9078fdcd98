/** Times as the shop reads them: every instant shown on the shop's clock (Asia/Shanghai), whatever the computer's zone. */
import dayjs, { type Dayjs } from 'dayjs'
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

/*
 * antd's pickers hold a Dayjs read on the computer's clock. The console's pickers mean shop time: a
 * picker value is the shop's wall-clock reading (its fields are Beijing's), whatever the zone of the
 * computer, so a merchant abroad picks and reads the same times the rest of the console shows.
 */

/** The shop's wall clock now, as a picker value (to the minute). */
export function shopPickerNow(): Dayjs {
  return dayjs(dayjs().tz(SHOP_TZ).format('YYYY-MM-DD HH:mm'), 'YYYY-MM-DD HH:mm')
}

/** An instant as a picker value on the shop's clock (to the minute). */
export function toShopPicker(iso: string): Dayjs {
  return dayjs(shopTime(iso, 'YYYY-MM-DD HH:mm'), 'YYYY-MM-DD HH:mm')
}

/** A picker value read as the shop's wall clock, as an ISO instant. */
export function fromShopPicker(d: Dayjs): string {
  return dayjs.tz(d.format('YYYY-MM-DD HH:mm'), SHOP_TZ).toISOString()
}

/** For a picker's disabledDate: a day already over on the shop's clock. */
export function beforeShopToday(d: Dayjs): boolean {
  return d.isBefore(shopPickerNow().startOf('day'))
}
