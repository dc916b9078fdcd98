/**
 * Loads what a page shows and keeps the three states apart: loading (the first time), the data, and
 * an error the merchant can read and retry. A newer load wins over a slower older one.
 */
import { useCallback, useEffect, useRef, useState } from 'react'
import { messageOf } from '../api'

export interface Loaded<T> {
  data: T | null
  loading: boolean
  error: string | null
  reload: () => void
}

export function useLoad<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const seq = useRef(0)
  // eslint-disable-next-line react-hooks/exhaustive-deps
  const run = useCallback(load, deps)

  const reload = useCallback(() => {
    const mine = ++seq.current
    setLoading(true)
    setError(null)
    run().then(
      (d) => {
        if (seq.current !== mine) return
        setData(d)
        setLoading(false)
      },
      (err: unknown) => {
        if (seq.current !== mine) return
        setError(messageOf(err))
        setLoading(false)
      },
    )
  }, [run])

  useEffect(() => {
    reload()
  }, [reload])

  return { data, loading, error, reload }
}
