import { Button, Text, View } from '@tarojs/components'
import { BottomSheet } from '../../../components/bottom-sheet'
import './share-sheet.scss'

interface Props {
  open: boolean
  onClose: () => void
  /** H5 only: no WeChat share there, so 分享给好友 copies the room's link instead. */
  onCopyLink: () => void
  onPoster: () => void
}

/** The share button's small action sheet: 分享给好友 (WeChat's share, or the link copied on H5) and 生成分享海报. */
export function ShareSheet({ open, onClose, onCopyLink, onPoster }: Props) {
  return (
    <BottomSheet open={open} onClose={onClose} title="分享直播间">
      <View className="share-sheet">
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="share-sheet__item" openType="share" onClick={onClose}>
            分享给好友
          </Button>
        ) : (
          <View className="share-sheet__item" onClick={onCopyLink}>
            <Text>分享给好友</Text>
          </View>
        )}
        <View className="share-sheet__item" onClick={onPoster}>
          <Text>生成分享海报</Text>
        </View>
      </View>
    </BottomSheet>
  )
}
