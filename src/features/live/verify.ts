import { sha256 } from 'js-sha256'

/**
 * The viewer's own check of a drawn lottery, independent of the server: the seed matches the
 * commitment published before the draw, and the winners are the candidates with the smallest
 * sha256(seed + ":" + id), in that order.
 */
export function verifyOnDevice(d: { seed: string; commitment: string; candidates: string[]; winnerIds: string[] }): boolean {
  if (sha256(d.seed) !== d.commitment) return false
  const sorted = [...d.candidates].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
  if (sorted.some((c, i) => c !== d.candidates[i])) return false
  const keyed = d.candidates.map((c) => ({ c, key: sha256(`${d.seed}:${c}`) })).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
  const expected = keyed.slice(0, d.winnerIds.length).map((x) => x.c)
  return expected.length === d.winnerIds.length && expected.every((w, i) => w === d.winnerIds[i])
}
