// Placeholder until branch live-sheets is merged (its file replaces this one).
import { Image } from '@tarojs/components'
import { BottomSheet } from '../../../components/bottom-sheet'
import { assetUrl } from '../../../lib/asset-url'

export function CommunitySheet({ open, onClose, qr }: { open: boolean; onClose: () => void; qr: string }) {
  return (
    <BottomSheet open={open} onClose={onClose} title="加入粉丝群">
      <Image src={assetUrl(qr)} showMenuByLongpress mode="aspectFit" />
    </BottomSheet>
  )
}
