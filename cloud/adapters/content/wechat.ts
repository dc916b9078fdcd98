import type { ContentChecker } from '../../core/services.ports'

/** cloud.openapi.security.msgSecCheck (version 2). */
export interface MsgSecCheckApi {
  msgSecCheck(p: { content: string; version: 2; scene: number; openid: string }): Promise<{ result?: { suggest?: string } }>
}

/** WeChat's content check; only a `pass` verdict shows the text (scene 1: a profile field, 2: a comment). */
export function wechatContentChecker(api: MsgSecCheckApi): ContentChecker {
  return {
    async check(text, openid, scene = 'comment') {
      const res = await api.msgSecCheck({ content: text, version: 2, scene: scene === 'profile' ? 1 : 2, openid })
      return res.result?.suggest === 'pass'
    },
  }
}
