/**
 * Images picked together keep the order they were picked in, whichever upload finishes first: each
 * pick takes a slot in order; a slot is filled (or dropped, when its upload failed) as its upload
 * ends, and the filled slots at the front leave for the list in order. A slot waits for the ones
 * picked before it.
 */
export interface UploadSlot {
  id: number
  /** The uploaded image, once its upload is done. */
  url: string | null
  failed: boolean
}

/** The slots after slot `id` ended with `url` (null: it failed), and the images now ready to append in order. */
export function settleSlot(slots: readonly UploadSlot[], id: number, url: string | null): { slots: UploadSlot[]; ready: string[] } {
  const next = slots.map((s) => (s.id === id ? { ...s, url, failed: url === null } : s))
  const ready: string[] = []
  while (next.length && (next[0]!.url !== null || next[0]!.failed)) {
    const done = next.shift()!
    if (done.url !== null) ready.push(done.url)
  }
  return { slots: next, ready }
}
