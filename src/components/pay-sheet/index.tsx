import { Text, View } from '@tarojs/components'
import { formatFen } from '../../lib/money'
import { ActionButton } from '../action-button'
import './index.scss'

interface Props {
  amountFen: number
  busy: boolean
  onConfirm: () => void
  onClose: () => void
}

/** The sandbox provider's 模拟支付 sheet: it stands where WeChat Pay's own sheet would. */
export function PaySheet({ amountFen, busy, onConfirm, onClose }: Props) {
  return (
    <View className="pay-sheet">
      <View className="pay-sheet__mask" onClick={() => !busy && onClose()} />
      <View className="pay-sheet__panel">
        <Text className="pay-sheet__title">模拟支付</Text>
        <Text className="pay-sheet__hint">本地沙箱环境，不会产生真实扣款</Text>
        <Text className="pay-sheet__amount">{formatFen(amountFen)}</Text>
        <ActionButton className="pay-sheet__confirm" kind="wechat" loading={busy} onClick={onConfirm}>
          确认支付
        </ActionButton>
        <Text className="pay-sheet__cancel" onClick={() => !busy && onClose()}>
          暂不支付
        </Text>
      </View>
    </View>
  )
}
