import { useEffect, useState } from 'react'

/** Seconds left until `deadline` (ISO), ticking each second while the page is mounted; null without one. */
export function useCountdown(deadline: string | null, onZero?: () => void): number | null {
  const left = () => (deadline ? Math.max(0, Math.ceil((new Date(deadline).getTime() - Date.now()) / 1000)) : null)
  const [seconds, setSeconds] = useState(left)
  useEffect(() => {
    if (!deadline) return undefined
    setSeconds(left())
    const timer = setInterval(() => {
      const s = left()
      setSeconds(s)
      if (s === 0) {
        clearInterval(timer)
        onZero?.()
      }
    }, 1000)
    return () => clearInterval(timer)
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [deadline])
  return seconds
}

export const mmss = (seconds: number) => `${String(Math.floor(seconds / 60)).padStart(2, '0')}:${String(seconds % 60).padStart(2, '0')}`
