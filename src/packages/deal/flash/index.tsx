import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Image, Text, View } from '@tarojs/components'
import { assetUrl } from '../../../lib/asset-url'
import { ActionButton } from '../../../components/action-button'
import { Price } from '../../../components/price'
import { StateView } from '../../../components/state-view'
import { useFlashStore } from '../../../features/deal/flash-store'
import { useSessionStore } from '../../../features/session/session-store'
import { useServerNow } from '../../../features/shared/server-clock'
import { routes } from '../../../lib/routes'
import './index.scss'
import { navigateTo } from '../../../lib/navigate'

const hms = (ms: number) => {
  const s = Math.max(0, Math.floor(ms / 1000))
  return [Math.floor(s / 3600), Math.floor((s % 3600) / 60), s % 60].map((n) => String(n).padStart(2, '0')).join(':')
}

export default function FlashSalesPage() {
  const { items: flash, status: flashStatus, load: loadFlash } = useFlashStore()
  const me = useSessionStore((s) => s.user)
  const now = useServerNow()
  useDidShow(() => {
    void loadFlash()
    void useSessionStore.getState().load()
  })
  usePullDownRefresh(() => void loadFlash().finally(() => Taro.stopPullDownRefresh()))

  if (flash.length === 0) {
    if (flashStatus === 'error') return <StateView kind="error" text="加载失败" actionText="重试" onAction={() => void loadFlash()} />
    if (flashStatus === 'ready') return <StateView kind="empty" text="暂时没有秒杀活动" />
    return <StateView kind="loading" />
  }
  return (
    <View className="flash">
      {flash.map((f) => {
        const starts = new Date(f.startsAt).getTime()
        const ends = new Date(f.endsAt).getTime()
        const upcoming = now < starts
        const ended = now >= ends
        const soldOut = f.sold >= f.stock
        const membersOnly = f.audience === 'existing'
        const refusedNew = membersOnly && me?.isNewCustomer === true
        // As the server counts the limit: units in paid and unpaid orders alike.
        const atLimit = f.mine >= f.perUserLimit
        return (
          <View key={f.id} className="flash__card">
            <Image className="flash__img" src={assetUrl(f.cover)} mode="aspectFill" />
            <View className="flash__info">
              {membersOnly ? <Text className="flash__badge">老会员专享</Text> : null}
              <Text className="flash__title">{f.title}</Text>
              <Price fen={f.salePriceFen} listFen={f.priceFen} />
              <Text className="flash__muted">
                {upcoming ? `距开始 ${hms(starts - now)}` : ended ? '已结束' : `距结束 ${hms(ends - now)}`} · 已抢 {f.sold}/{f.stock} · 限购{' '}
                {f.perUserLimit} 件
              </Text>
              {refusedNew ? <Text className="flash__warn">老会员专享：完成首单后即可参与</Text> : null}
              {f.mine > 0 ? (
                <Text className="flash__mine">
                  你已抢 {f.mine} 件{atLimit ? '，已达每人限购' : ''}（含待付款订单）
                </Text>
              ) : null}
              <ActionButton
                className="flash__buy"
                disabled={upcoming || ended || soldOut || refusedNew || atLimit}
                onClick={() =>
                  void navigateTo(routes.checkout([{ productId: f.productId, skuId: f.skuId, qty: 1 }], { flashSaleId: f.id }))
                }
              >
                {soldOut ? '已抢光' : atLimit ? '已达限购' : upcoming ? '即将开始' : ended ? '已结束' : '立即抢购'}
              </ActionButton>
            </View>
          </View>
        )
      })}
    </View>
  )
}
