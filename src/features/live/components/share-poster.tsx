// Placeholder until branch live-share is merged (its file replaces this one).
import { Text } from '@tarojs/components'
import type { RoomView } from '../../../../cloud/contract'
import { BottomSheet } from '../../../components/bottom-sheet'

export function SharePosterSheet({
  open,
  onClose,
  room,
}: {
  open: boolean
  onClose: () => void
  room: RoomView
  load: () => Promise<{ code: string; path: string }>
}) {
  return (
    <BottomSheet open={open} onClose={onClose} title="分享海报">
      <Text>{room.title}</Text>
    </BottomSheet>
  )
}
