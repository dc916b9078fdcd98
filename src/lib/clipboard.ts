import Taro from '@tarojs/taro'
import { toast } from './toast'

/** Copies text the shopper asked for (an order number, a waybill, a hash); WeChat says 内容已复制 itself. */
export function copyText(text: string) {
  Taro.setClipboardData({ data: text }).catch(() => toast('复制失败，请长按选择文字'))
}

/**
 * H5 has no WeChat share sheet: copies `title` and the link to this app's page `path` (carrying the
 * sharer) for the shopper to send, and says `doneText` when it is copied.
 */
export function copyShareLink(title: string, path: string, doneText: string) {
  const link = `${window.location.origin}${window.location.pathname}#${path}`
  Taro.setClipboardData({ data: `${title} ${link}` })
    .then(() => toast(doneText, 'none'))
    .catch(() => toast('复制失败，请稍后再试', 'none'))
}
