import Taro, { useLaunch } from '@tarojs/taro'
import type { PropsWithChildren } from 'react'
import { prepareSession } from './api/call'
import { CLOUD_ENV } from './api/config'
import { listenPrivacy } from './components/privacy-popup/privacy'
import { watchChunkFailures } from './lib/navigate'
import './app.scss'

function App({ children }: PropsWithChildren) {
  useLaunch(() => {
    // Inside WeChat with CloudBase configured, calls go to cloud functions (see src/api/call.ts).
    if (process.env.TARO_ENV === 'weapp' && CLOUD_ENV) Taro.cloud.init({ env: CLOUD_ENV, traceUser: true })
    prepareSession()
    // WeChat asks before the first use of each privacy API; the page's PrivacyPopup answers.
    if (process.env.TARO_ENV === 'weapp') listenPrivacy()
    // H5: a page whose code can't be fetched (offline) says so and offers 重试, however it was opened.
    watchChunkFailures()
  })
  return children
}

export default App
