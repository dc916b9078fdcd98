import { useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useEffect } from 'react'
import { ActionButton } from '../../../components/action-button'
import { StateView } from '../../../components/state-view'
import { RESULT_TEXT, ROLE_TEXT, useConsoleLoginStore } from '../../../features/console-login/console-login-store'
import { switchTab } from '../../../lib/navigate'
import { routes } from '../../../lib/routes'
import { shopTime } from '../../../lib/shop-time'
import './index.scss'

/**
 * The ticket a scanned code carries. WeChat hands a mini-program code's scene URL-encoded to the
 * page (`scene`); the sandbox's code opens the H5 page with `?scene=`. Decoded once, tolerating a
 * value that is not encoded.
 */
function ticketOf(scene: string | undefined): string {
  if (!scene) return ''
  try {
    return decodeURIComponent(scene).trim()
  } catch {
    return scene.trim()
  }
}

const LOADING = { kind: 'loading' } as const

/** The code's expiry as HH:mm in the shop's clock (Asia/Shanghai), as the console shows it. */
const clockText = (iso: string) => shopTime(iso, 'HH:mm')

/**
 * Opened by scanning the web console's sign-in code: asks the staff member to confirm the sign-in
 * (登录商家后台？) and tells how it ended; the console then continues on the computer.
 */
export default function ConsoleLoginPage() {
  const { params } = useRouter()
  const ticket = ticketOf(params.scene)
  // A ticket opened before (an earlier scan) is not shown while this one loads.
  const view = useConsoleLoginStore((s) => (s.ticket === ticket ? s.view : LOADING))
  const sending = useConsoleLoginStore((s) => s.sending)
  const { open, answer } = useConsoleLoginStore.getState()

  useEffect(() => {
    void open(ticket)
  }, [ticket, open])

  const home = () => void switchTab(routes.home)

  if (view.kind === 'loading') return <StateView kind="loading" />
  if (view.kind === 'error') return <StateView kind="error" text={view.message} actionText="重试" onAction={() => void open(ticket)} />

  return (
    <View className="console-login">
      <View className="console-login__screen">
        <View className={`console-login__monitor console-login__monitor--${view.kind === 'ask' ? 'ask' : view.result}`} />
        <View className="console-login__stand" />
      </View>
      {view.kind === 'ask' ? (
        <>
          <Text className="console-login__title">登录商家后台？</Text>
          <Text className="console-login__line">以{ROLE_TEXT[view.role]}身份登录电脑上的商家后台</Text>
          {/* Where the sign-in happens: a code someone else sent would name a browser that is not yours. */}
          <Text className="console-login__device">登录设备：{view.device}</Text>
          <Text className="console-login__hint">二维码 {clockText(view.expiresAt)} 前有效，如果不是你本人在电脑前扫码，请点取消</Text>
          <ActionButton
            className="console-login__btn"
            loading={sending === 'approve'}
            disabled={sending !== null}
            onClick={() => void answer(true)}
          >
            确认登录
          </ActionButton>
          <ActionButton
            className="console-login__btn"
            kind="plain"
            loading={sending === 'reject'}
            disabled={sending !== null}
            onClick={() => void answer(false)}
          >
            取消
          </ActionButton>
        </>
      ) : (
        <>
          <Text className="console-login__title">{RESULT_TEXT[view.result]}</Text>
          <ActionButton className="console-login__btn" kind="plain" onClick={home}>
            返回首页
          </ActionButton>
        </>
      )}
    </View>
  )
}
