import type { NotificationSender } from '../../core/services.ports'

/** The part of wx-server-sdk this adapter uses: cloud.openapi.subscribeMessage.send. */
export interface SubscribeMessageApi {
  send(p: {
    touser: string
    templateId: string
    page: string
    data: Record<string, { value: string }>
    miniprogramState?: string
  }): Promise<{ errCode?: number; errMsg?: string }>
}

/**
 * Subscribe messages through CloudBase. Template ids come from the merchant's mini-program
 * (订阅消息 in the WeChat admin), one per kind, mapped in `templates`; field names are theirs too.
 */
export function wechatNotifier(
  api: SubscribeMessageApi,
  templates: Record<string, { id: string; fields: Record<string, string> }>,
): NotificationSender {
  return {
    async send(msg) {
      const t = templates[msg.template]
      if (!t) throw new Error(`no subscribe template configured for ${msg.template}`)
      const data = Object.fromEntries(Object.entries(t.fields).map(([ours, theirs]) => [theirs, { value: msg.data[ours] ?? '' }]))
      const res = await api.send({ touser: msg.openid, templateId: t.id, page: msg.page, data })
      if (res.errCode) throw new Error(`subscribeMessage.send failed: ${res.errCode} ${res.errMsg ?? ''}`)
    },
  }
}
