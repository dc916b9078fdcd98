import { createHash } from 'node:crypto'

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex')

/** The public commitment to a seed: sha256 of the seed's hex string (its UTF-8 bytes), in hex. */
export const commitmentOf = (seedHex: string): string => sha256Hex(seedHex)

/** Candidates in code-point order of their ids (as PostgreSQL's COLLATE "C" sorts). */
export function sortCandidates(ids: string[]): string[] {
  return [...new Set(ids)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))
}

/**
 * The draw anyone can recompute: key(c) = sha256(seed + ":" + c), and the winners are the `count`
 * candidates with the smallest keys (hex order), in that order.
 */
export function drawWinners(seedHex: string, candidates: string[], count: number): string[] {
  return candidates
    .map((c) => ({ c, key: sha256Hex(`${seedHex}:${c}`) }))
    .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
    .slice(0, count)
    .map((x) => x.c)
}

/** Whether a published draw holds: the seed matches its commitment and the winners follow from it. */
export function verifyDraw(d: { seed: string; commitment: string; candidates: string[]; winners: string[] }): boolean {
  if (commitmentOf(d.seed) !== d.commitment) return false
  const sorted = sortCandidates(d.candidates)
  if (sorted.length !== d.candidates.length || sorted.some((c, i) => c !== d.candidates[i])) return false
  const expected = drawWinners(d.seed, d.candidates, d.winners.length)
  return expected.length === d.winners.length && expected.every((w, i) => w === d.winners[i])
}
