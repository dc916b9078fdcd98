import { window as taroWindow } from '@tarojs/runtime'

type Sha256 = (text: string) => string
let sha256Impl: Sha256 | null = null

/**
 * js-sha256, loaded on first use. It would take any environment with `process` for Node.js and
 * reach for its crypto module, which a mini-program doesn't have: tell it not to.
 */
function sha256(text: string): string {
  if (!sha256Impl) {
    ;(taroWindow as unknown as Record<string, unknown>).JS_SHA256_NO_NODE_JS = true
    ;(globalThis as Record<string, unknown>).JS_SHA256_NO_NODE_JS = true
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    sha256Impl = (require('js-sha256') as { sha256: Sha256 }).sha256
  }
  return sha256Impl(text)
}

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
