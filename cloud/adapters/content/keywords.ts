import type { ContentChecker } from '../../core/ports'

/** Words the local stand-in for msgSecCheck refuses (spam, fraud and abuse markers). */
export const BLOCKED_WORDS = ['加微信', '加V', '刷单', '代购返利', '赌博', '博彩', '色情', '傻逼', '操你', '诈骗', '免费领取iPhone']

/** A local keyword filter in place of WeChat's content check; case and spaces don't get around it. */
export function keywordChecker(words: string[] = BLOCKED_WORDS): ContentChecker {
  const normalized = words.map((w) => w.toLowerCase().replace(/\s+/g, ''))
  return {
    async check(text) {
      const t = text.toLowerCase().replace(/\s+/g, '')
      return !normalized.some((w) => t.includes(w))
    },
  }
}
