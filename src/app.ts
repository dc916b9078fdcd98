import Taro, { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { prepareSession } from './api/call'
import { CLOUD_ENV } from './api/config'
import { listenPrivacy } from './components/privacy-popup/privacy'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Inside WeChat with CloudBase configured, calls go to cloud functions (see src/api/call.ts).
    if (process.env.TARO_ENV === 'weapp' && CLOUD_ENV) Taro.cloud.init({ env: CLOUD_ENV, traceUser: true })
    prepareSession()
    // WeChat asks before the first use of each privacy API; the page's PrivacyPopup answers.
    if (process.env.TARO_ENV === 'weapp') listenPrivacy()
  })
  return children
}

export default App
