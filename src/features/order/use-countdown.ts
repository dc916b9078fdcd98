import { useEffect, useRef } from 'react'
import { useServerNow } from '../shared/server-clock'

/**
 * Seconds left until `deadline` (ISO) by the server's clock, as the flash sales count; null without
 * one. `onZero` runs once when it reaches zero (again only if a later clock sync moved it back up).
 */
export function useCountdown(deadline: string | null, onZero?: () => void): number | null {
  const now = useServerNow(deadline !== null)
  const seconds = deadline ? Math.max(0, Math.ceil((new Date(deadline).getTime() - now) / 1000)) : null
  const fired = useRef(false)
  useEffect(() => {
    if (seconds === null || seconds > 0) fired.current = false
    else if (!fired.current) {
      fired.current = true
      onZero?.()
    }
    // onZero is read when zero comes; a new function each render must not restart anything.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [seconds])
  return seconds
}

export const mmss = (seconds: number) => `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`

/**
 * What an unpaid order's countdown says: the time left and what happens when it runs out (`then`,
 * e.g. 超时订单将自动取消), or that it is closing once the time is up.
 */
export const payCountdownText = (seconds: number | null, then: string) =>
  seconds !== null && seconds > 0 ? `剩余 ${mmss(seconds)}，${then}` : '订单已超时，正在关闭'
