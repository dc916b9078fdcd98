import { View } from '@tarojs/components'
import { useEffect, useRef, useState } from 'react'
import './hearts.scss'

/** At most this many hearts float at once: a fast tapper adds no nodes (or setData) beyond it. */
export const MAX_HEARTS = 6
const FLOAT_MS = 1400
const LANES = 3
const COLORS = 4

interface Heart {
  id: number
  lane: number
  color: number
}

/** Floating hearts above the like button: one per tap (`taps` counts them), CSS-animated, capped. */
export function Hearts({ taps }: { taps: number }) {
  const [hearts, setHearts] = useState<Heart[]>([])
  const seen = useRef(taps)
  const timers = useRef<Array<ReturnType<typeof setTimeout>>>([])
  useEffect(() => {
    if (taps <= seen.current) return
    seen.current = taps
    setHearts((hs) => (hs.length >= MAX_HEARTS ? hs : [...hs, { id: taps, lane: taps % LANES, color: taps % COLORS }]))
    timers.current.push(setTimeout(() => setHearts((hs) => hs.filter((h) => h.id !== taps)), FLOAT_MS))
  }, [taps])
  useEffect(() => () => timers.current.forEach(clearTimeout), [])
  // The box stays while empty: hearts are appended to it, never inserted among the page's nodes.
  return (
    <View className="hearts">
      {hearts.map((h) => (
        <View key={h.id} className={`hearts__one hearts__one--lane${h.lane} hearts__one--color${h.color}`} />
      ))}
    </View>
  )
}
