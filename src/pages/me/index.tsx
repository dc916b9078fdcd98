import Taro, { useDidShow, usePullDownRefresh } from '@tarojs/taro'
import { Button, Image, Text, View } from '@tarojs/components'
import { StateView } from '../../components/state-view'
import { TABS, useOrderStore } from '../../features/order/order-store'
import { hasDefaultNickname } from '../../features/profile/profile-store'
import { useMemberStore } from '../../features/member/member-store'
import { TIER_NAME } from '../../features/member/member-text'
import { assetUrl } from '../../lib/asset-url'
import { routes } from '../../lib/routes'
import { useSessionStore } from '../../features/session/session-store'
import './index.scss'
import { navigateTo } from '../../lib/navigate'

export default function MePage() {
  const user = useSessionStore((s) => s.user)
  const status = useSessionStore((s) => s.status)
  const error = useSessionStore((s) => s.error)
  const load = useSessionStore((s) => s.load)

  const counts = useOrderStore((s) => s.counts)
  const loadCounts = useOrderStore((s) => s.loadCounts)
  const member = useMemberStore((s) => s.status)
  const loadMember = useMemberStore((s) => s.loadStatus)

  useDidShow(() => {
    void load(true)
    void loadCounts()
    void loadMember()
  })
  usePullDownRefresh(() => void Promise.all([load(true), loadCounts(), loadMember()]).finally(() => Taro.stopPullDownRefresh()))
  const open = (url: string) => void navigateTo(url)

  if (!user) {
    if (status === 'error') return <StateView kind="error" text={error ?? undefined} actionText="重试" onAction={() => void load(true)} />
    return <StateView kind="loading" />
  }

  return (
    <View className="me">
      <View className="me__profile" onClick={() => open(routes.profile)}>
        {user.avatarUrl ? (
          <Image className="me__avatar me__avatar--img" src={assetUrl(user.avatarUrl)} mode="aspectFill" />
        ) : (
          <View className="me__avatar">{user.nickname.slice(0, 1)}</View>
        )}
        <View className="me__who">
          <Text className="me__name">{user.nickname}</Text>
          <View className="me__tags">
            <Text className="me__tag">{user.isNewCustomer ? '新顾客' : '老会员'}</Text>
            {user.isAdmin ? <Text className="me__tag me__tag--admin">{user.role === 'guide' ? '导购' : '店铺管理员'}</Text> : null}
          </View>
        </View>
        <Text className="me__edit">{hasDefaultNickname(user) || !user.avatarUrl ? '设置头像和昵称 ›' : '编辑资料 ›'}</Text>
      </View>
      <View className="me__orders">
        <View className="me__orders-head" onClick={() => open(routes.orders('all'))}>
          <Text className="me__orders-title">我的订单</Text>
          <Text className="me__orders-all">全部订单 ›</Text>
        </View>
        <View className="me__orders-tabs">
          {TABS.filter((t) => t.tab !== 'all').map((t) => (
            <View key={t.tab} className="me__orders-tab" onClick={() => open(routes.orders(t.tab))}>
              <Text className="me__orders-count">{counts?.[t.tab] ?? 0}</Text>
              <Text className="me__orders-name">{t.title}</Text>
            </View>
          ))}
        </View>
      </View>
      <View className="me__list">
        <View className="me__item" onClick={() => open(routes.member)}>
          <Text>会员中心</Text>
          <Text className="me__item-value">
            {member === null
              ? '›'
              : member.isMember && member.tier
                ? `${TIER_NAME[member.tier]} · ${member.points.available}积分 ›`
                : '开通会员 ›'}
          </Text>
        </View>
        <View className="me__item" onClick={() => open(routes.earnings)}>
          <Text>我的收益</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.lives)}>
          <Text>直播</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.myCoupons)}>
          <Text>我的优惠券</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.couponCenter)}>
          <Text>领券中心</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.assistCampaign())}>
          <Text>好友助力 · 砍价</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.profile)}>
          <Text>个人资料</Text>
          <Text className="me__item-value">›</Text>
        </View>
        <View className="me__item" onClick={() => open(routes.addresses())}>
          <Text>收货地址</Text>
          <Text className="me__item-value">›</Text>
        </View>
        {process.env.TARO_ENV === 'weapp' ? (
          <Button className="me__item me__item--button" openType="contact">
            联系客服
          </Button>
        ) : null}
      </View>
    </View>
  )
}
