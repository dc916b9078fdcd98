import { useEffect, useState } from 'react'
import { create } from 'zustand'

interface ServerClockState {
  /** Server time minus device time when the last answer carrying the server's time arrived. */
  offsetMs: number
  synced: boolean
  sync: (serverTime: string) => void
}

/** Countdowns run on the server's clock: a phone set three hours fast must not close a sale or an order early. */
export const useServerClock = create<ServerClockState>()((set) => ({
  offsetMs: 0,
  synced: false,
  sync: (serverTime) => set({ offsetMs: new Date(serverTime).getTime() - Date.now(), synced: true }),
}))

/** The server's now, as far as the device can tell (the device clock measures only the time since the sync). */
export const serverNow = () => Date.now() + useServerClock.getState().offsetMs

/** The server's now, re-read each second while `active` (a page with nothing counting down stays still). */
export function useServerNow(active = true): number {
  const offsetMs = useServerClock((s) => s.offsetMs)
  const [now, setNow] = useState(() => Date.now() + offsetMs)
  useEffect(() => {
    setNow(Date.now() + offsetMs)
    if (!active) return undefined
    const timer = setInterval(() => setNow(Date.now() + offsetMs), 1000)
    return () => clearInterval(timer)
  }, [offsetMs, active])
  return now
}
