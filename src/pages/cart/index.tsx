import Taro from '@tarojs/taro'
import { View } from '@tarojs/components'
import { StateView } from '../../components/state-view'
import { routes } from '../../lib/routes'

export default function CartPage() {
  return (
    <View className="cart">
      <StateView kind="empty" text="购物车还是空的" actionText="去逛逛" onAction={() => void Taro.switchTab({ url: routes.home })} />
    </View>
  )
}
