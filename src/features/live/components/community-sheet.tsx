import { Image, Text, View } from '@tarojs/components'
import { BottomSheet } from '../../../components/bottom-sheet'
import { assetUrl } from '../../../lib/asset-url'
import './community-sheet.scss'

/** The merchant's fan group (加群) card: the QR code, recognised by a long press in WeChat. */
export function CommunitySheet({ open, onClose, qr }: { open: boolean; onClose: () => void; qr: string }) {
  return (
    <BottomSheet open={open} onClose={onClose} title="加入粉丝群">
      <View className="community-sheet">
        <Text className="community-sheet__hint">长按识别二维码，第一时间获取开播和福利消息</Text>
        {qr ? (
          <Image className="community-sheet__qr" src={assetUrl(qr)} showMenuByLongpress mode="aspectFit" />
        ) : (
          <Text className="community-sheet__none">店铺暂未设置粉丝群</Text>
        )}
      </View>
    </BottomSheet>
  )
}
