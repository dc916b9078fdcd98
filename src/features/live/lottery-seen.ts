import Taro from '@tarojs/taro'

/** Lotteries whose result this viewer has been shown, per user on this device (newest first). */
const KEY = (userId: string) => `weshop.lotteryResultSeen.${userId}`
const MAX = 200

export function readSeenResults(userId: string): string[] {
  try {
    const stored: unknown = Taro.getStorageSync(KEY(userId))
    return Array.isArray(stored) ? stored.filter((id): id is string => typeof id === 'string') : []
  } catch {
    return []
  }
}

export function rememberSeenResults(userId: string, ids: string[]): void {
  if (ids.length === 0) return
  const before = readSeenResults(userId)
  const next = [...ids.filter((id) => !before.includes(id)), ...before].slice(0, MAX)
  try {
    Taro.setStorageSync(KEY(userId), next)
  } catch {
    // Storage full or unavailable: at worst a result shows once more.
  }
}

/**
 * The drawn lottery whose result opens by itself, newest first: one this viewer won, or saw waiting
 * for its draw in this room, and has not been shown the result of yet (on this device, as this user).
 */
export function resultToOpen(
  lotteries: { lotteryId: string; status: string; winnerList?: { userId: string }[] | null }[],
  meId: string,
  seen: string[],
  sawCommitted: (lotteryId: string) => boolean,
): string | null {
  for (const l of lotteries) {
    if (l.status !== 'drawn' || seen.includes(l.lotteryId)) continue
    const won = (l.winnerList ?? []).some((w) => w.userId === meId)
    if (won || sawCommitted(l.lotteryId)) return l.lotteryId
  }
  return null
}
