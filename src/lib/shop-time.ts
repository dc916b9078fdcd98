import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

/**
 * The shop's clock is Asia/Shanghai (UTC+8, no daylight saving since 1991): times shown to shoppers
 * and staff read the same on every phone, whatever its own time zone. A fixed offset, so it needs no
 * time-zone database (Intl) on the device.
 */
const SHOP_OFFSET_MINUTES = 8 * 60

/** An instant (ISO string) in the shop's clock, in a dayjs pattern: shopTime(iso, 'M月D日 HH:mm'). */
export function shopTime(iso: string, pattern = 'YYYY-MM-DD HH:mm:ss'): string {
  return dayjs.utc(iso).utcOffset(SHOP_OFFSET_MINUTES).format(pattern)
}
