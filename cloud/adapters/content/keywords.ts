import type { ContentChecker } from '../../core/services.ports'

/**
 * Words the local stand-in for msgSecCheck refuses (spam, fraud and abuse markers), as they read
 * after `normalizeForMatch`. A pattern where a plain word would catch innocent text: 加V but not 加VIP.
 */
export const BLOCKED_WORDS: Array<string | RegExp> = [
  '加微信',
  /加v(?!ip)/,
  '+v',
  '+微',
  'weixin',
  'vx',
  'v信',
  'wx号',
  'wxid',
  '微信号',
  '薇信',
  '刷单',
  '代购返利',
  '赌博',
  '博彩',
  '色情',
  '傻逼',
  '操你',
  '诈骗',
  '免费领取iphone',
]

/**
 * The text as the filter compares it: full-width and compatibility forms folded (NFKC: ｗｅｉｘｉｎ →
 * weixin, ＶＸ → VX, ⓥ → v), lower case, and without the characters that hide a word while showing
 * nothing or a gap: format characters (\p{Cf}: zero-width spaces and joiners, soft hyphen, BOM, word
 * joiner, bidi marks), white space, and punctuation between the characters (加.微.信, 加-微-信).
 */
export function normalizeForMatch(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\p{Cf}\p{White_Space}\p{P}]/gu, '')
}

/** A local keyword filter in place of WeChat's content check; width, case, spaces and invisible characters don't get around it. */
export function keywordChecker(words: Array<string | RegExp> = BLOCKED_WORDS): ContentChecker {
  const matchers = words.map((w) => (typeof w === 'string' ? normalizeForMatch(w) : w))
  return {
    async check(text) {
      const t = normalizeForMatch(text)
      return !matchers.some((m) => (typeof m === 'string' ? t.includes(m) : m.test(t)))
    },
  }
}
