// Placeholder until branch live-sheets is merged (its file replaces this one).
import { Text, View } from '@tarojs/components'
import type { LotteryView } from '../../../../cloud/contract'

export function LotteryEntry({
  lotteries,
}: {
  lotteries: LotteryView[]
  meId: string | null
  onVerify: (lotteryId: string) => Promise<boolean>
}) {
  const l = lotteries[0]
  if (!l) return null
  return (
    <View className="lottery-entry">
      <Text>{l.status === 'drawn' ? '已开奖' : '抽奖'}</Text>
    </View>
  )
}
