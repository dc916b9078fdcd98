import Taro, { useDidShow, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { ActionButton } from '../../../components/action-button'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import { ALL, feedOf, useCatalogStore } from '../../../features/catalog/catalog-store'
import { useCouponStore } from '../../../features/coupon/coupon-store'
import { useConsoleStore } from '../../../features/live/console-store'
import type { Outcome } from '../../../features/shared/outcome'
import { formatFen } from '../../../lib/money'
import { toast } from '../../../lib/toast'
import './index.scss'

export default function LiveConsolePage() {
  const { params } = useRouter()
  const roomId = params.id ?? ''
  const { room, stats, records, busy } = useConsoleStore()
  const c = useConsoleStore.getState()
  // Each console action says how it went: its own words when done, the refusal otherwise.
  const tell = (action: Promise<Outcome<unknown> | null>, doneText: string) =>
    void action.then((r) => r && (r.ok ? toast(doneText, 'success') : toast(r.message)))
  const draw = () =>
    void c.drawLottery().then((r) => {
      if (!r) return
      if (!r.ok) toast(r.message)
      else if (r.value.drawn) toast('已开奖', 'success')
      else toast('没有待开奖的抽奖')
    })
  const products = useCatalogStore((s) => feedOf(s, ALL).items)
  const coupons = useCouponStore((s) => s.center)

  useDidShow(() => {
    void c.load(roomId).then((r) => !r.ok && toast(r.message))
    void useCatalogStore.getState().refreshFeed(ALL)
    void useCouponStore.getState().loadCenter()
  })

  if (!room) return <StateView kind="loading" />
  const exportCsv = () => {
    if (!records) return
    // The merchant pastes the CSV into a spreadsheet (or saves it on the desktop H5 build).
    void Taro.setClipboardData({ data: records.csv }).then(() => toast(`已复制 ${records.items.length} 条记录`))
  }

  return (
    <View className="console">
      <View className="console__card">
        <Text className="console__title">{room.title}</Text>
        <Text className="console__muted">状态：{room.status === 'live' ? '直播中' : room.status === 'upcoming' ? '未开播' : '已结束'}</Text>
        {stats ? (
          <View className="console__stats">
            <Text>观众 {stats.viewers}</Text>
            <Text>点赞 {stats.likes}</Text>
            <Text>邀请 {stats.credits}</Text>
            <Text>订单 {stats.orders}</Text>
            <Text>成交 {formatFen(stats.gmvFen)}</Text>
          </View>
        ) : null}
        {room.status === 'upcoming' ? (
          <ActionButton disabled={busy} onClick={() => tell(c.startLive(), '已开播')}>
            开始直播
          </ActionButton>
        ) : null}
        {room.status === 'live' ? (
          <ActionButton kind="plain" disabled={busy} onClick={() => tell(c.endLive(), '已结束')}>
            结束直播
          </ActionButton>
        ) : null}
      </View>

      <View className="console__card">
        <Text className="console__title">推送讲解商品</Text>
        {products.slice(0, 20).map((p) => (
          <View key={p.id} className="console__row" onClick={() => !busy && tell(c.pushGoods(p.id), '已推送')}>
            <Text className="console__row-main">{p.title}</Text>
            <Text className="console__link">{room.pinned?.id === p.id ? '讲解中' : '推送'}</Text>
          </View>
        ))}
      </View>

      <View className="console__card">
        <Text className="console__title">发券 / 奖励</Text>
        {coupons.slice(0, 10).map((coupon) => (
          <View key={coupon.couponId} className="console__row">
            <Text className="console__row-main">{coupon.title}</Text>
            {room.status === 'live' ? (
              <Text className="console__link" onClick={() => !busy && tell(c.dropCoupon(coupon.couponId), '已发券')}>
                直播间发券
              </Text>
            ) : null}
            <Text className="console__link" onClick={() => !busy && tell(c.awardTopSharers(coupon.couponId), '已奖励前三名')}>
              奖励前三
            </Text>
            {room.status === 'ended' ? (
              <Text className="console__link" onClick={() => !busy && tell(c.issueToViewers(coupon.couponId), '已发放')}>
                发给全部观众
              </Text>
            ) : null}
          </View>
        ))}
      </View>

      <View className="console__card">
        <Text className="console__title">抽奖</Text>
        <Text className="console__muted">先公布承诺值，开奖时公开种子，观众可在直播间验证结果</Text>
        <View className="console__buttons">
          <ActionButton
            kind="plain"
            disabled={busy}
            onClick={() => tell(c.commitLottery({ winners: 3, pool: 'viewers', prize: '直播间福利' }), '已创建')}
          >
            观众抽 3 人
          </ActionButton>
          <ActionButton
            kind="plain"
            disabled={busy}
            onClick={() => tell(c.commitLottery({ winners: 3, pool: 'sharers', prize: '分享达人奖' }), '已创建')}
          >
            分享者抽 3 人
          </ActionButton>
        </View>
        <ActionButton disabled={busy} onClick={draw}>
          开奖
        </ActionButton>
      </View>

      <View className="console__card">
        <Text className="console__title">分享记录 · {records?.items.length ?? 0} 条</Text>
        {records?.items.slice(-20).map((r) => (
          <Text key={`${r.viewerId}`} className="console__muted">
            {r.sharerNickname} 邀请了 {r.viewerNickname} · {new Date(r.createdAt).toLocaleString('zh-CN', { hour12: false })}
          </Text>
        ))}
        <ActionButton kind="plain" disabled={!records || records.items.length === 0} onClick={exportCsv}>
          导出 CSV
        </ActionButton>
      </View>
      <PrivacyPopup />
    </View>
  )
}
