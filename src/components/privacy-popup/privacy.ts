/**
 * WeChat's privacy authorization (用户隐私保护指引): before the first use of a privacy API — the
 * shopper's WeChat address, avatar or nickname, phone number, saving to the album, the clipboard — WeChat pauses
 * the call and fires onNeedPrivacyAuthorization. The app (src/app.ts) listens once; the request
 * goes to the PrivacyPopup mounted on the current page, which asks 同意 / 拒绝 and resolves it.
 */
import Taro from '@tarojs/taro'
import { create } from 'zustand'

type Answer = { event: 'agree'; buttonId: string } | { event: 'disagree' } | { event: 'exposureAuthorization' }
type Resolve = (answer: Answer) => void

/** The id of the popup's <Button open-type="agreePrivacyAuthorization">: WeChat checks it was tapped. */
export const AGREE_BUTTON_ID = 'privacy-agree'

interface PrivacyState {
  /** The paused call waiting for the shopper's answer, and what asked (e.g. "chooseAddress"). */
  pending: { resolve: Resolve; referrer: string } | null
  /** How many popups are mounted (pages in the stack that show one). */
  mounted: number
}

export const usePrivacyStore = create<PrivacyState>()(() => ({ pending: null, mounted: 0 }))

/** What the shopper is asked to allow, by the API or component WeChat names as the referrer. */
export function purposeOf(referrer: string): string {
  if (/address/i.test(referrer)) return '使用微信收货地址'
  if (/avatar/i.test(referrer)) return '使用微信头像'
  if (/nickname/i.test(referrer)) return '使用微信昵称'
  if (/phone/i.test(referrer)) return '获取手机号'
  if (/album|image|photo/i.test(referrer)) return '保存图片到相册'
  if (/clipboard/i.test(referrer)) return '复制内容到剪贴板'
  return '使用该功能'
}

/** The shopper's answer to the pending request; the paused call then goes on (agree) or fails (disagree). */
export function answerPrivacy(agree: boolean): void {
  const pending = usePrivacyStore.getState().pending
  if (!pending) return
  usePrivacyStore.setState({ pending: null })
  pending.resolve(agree ? { event: 'agree', buttonId: AGREE_BUTTON_ID } : { event: 'disagree' })
}

export const openPrivacyContract = () => void Taro.openPrivacyContract({})

function onNeed(resolve: Resolve, referrer: string): void {
  const { mounted, pending } = usePrivacyStore.getState()
  if (mounted > 0) {
    // A newer request replaces one still open: the older call fails as refused, never hangs.
    pending?.resolve({ event: 'disagree' })
    usePrivacyStore.setState({ pending: { resolve, referrer } })
    resolve({ event: 'exposureAuthorization' })
    return
  }
  // A page without the popup: WeChat needs a tap on our agree button, so the call is refused here and
  // the shopper is told where to read the guide.
  resolve({ event: 'disagree' })
  void Taro.showModal({
    title: '用户隐私保护提示',
    content: `${purposeOf(referrer)}需要你先同意《用户隐私保护指引》，请在「我的 › 个人资料」中查看并同意后再试`,
    confirmText: '查看指引',
    cancelText: '知道了',
  }).then((r) => r.confirm && openPrivacyContract())
}

/** Registers the one listener at launch (weapp only; WeChat base library 2.32.3+). */
export function listenPrivacy(): void {
  if (typeof Taro.onNeedPrivacyAuthorization !== 'function') return
  Taro.onNeedPrivacyAuthorization((resolve, info) => onNeed(resolve as Resolve, info?.referrer ?? ''))
}
