import { Button, Text, View } from '@tarojs/components'
import { useEffect } from 'react'
import { AGREE_BUTTON_ID, answerPrivacy, openPrivacyContract, purposeOf, usePrivacyStore } from './privacy'
import './index.scss'

/**
 * The privacy prompt of a page that uses a privacy API (weapp): shown when WeChat asks for the
 * shopper's consent, with the guide one tap away. 同意 is WeChat's agreePrivacyAuthorization button,
 * as WeChat requires; 拒绝 makes the paused call fail and changes nothing.
 */
export function PrivacyPopup() {
  const pending = usePrivacyStore((s) => s.pending)
  useEffect(() => {
    usePrivacyStore.setState((s) => ({ mounted: s.mounted + 1 }))
    return () => {
      usePrivacyStore.setState((s) => ({ mounted: s.mounted - 1 }))
    }
  }, [])
  if (process.env.TARO_ENV !== 'weapp' || !pending) return null
  return (
    <View className="privacy-popup">
      <View className="privacy-popup__panel">
        <Text className="privacy-popup__title">用户隐私保护提示</Text>
        <View className="privacy-popup__body">
          <Text>{purposeOf(pending.referrer)}前，请仔细阅读</Text>
          <Text className="privacy-popup__link" onClick={openPrivacyContract}>
            《用户隐私保护指引》
          </Text>
          <Text>。同意后才能继续；拒绝不影响浏览和购物。</Text>
        </View>
        <View className="privacy-popup__buttons">
          <Button className="privacy-popup__button privacy-popup__button--no" onClick={() => answerPrivacy(false)}>
            拒绝
          </Button>
          <Button
            id={AGREE_BUTTON_ID}
            className="privacy-popup__button privacy-popup__button--yes"
            openType="agreePrivacyAuthorization"
            onAgreePrivacyAuthorization={() => answerPrivacy(true)}
          >
            同意
          </Button>
        </View>
      </View>
    </View>
  )
}
