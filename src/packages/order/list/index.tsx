import Taro, { useDidShow, usePullDownRefresh, useReachBottom, useRouter } from '@tarojs/taro'
import { Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { OrderTab } from '../../../../cloud/contract'
import { FeedFooter } from '../../../components/feed-footer'
import { PrivacyPopup } from '../../../components/privacy-popup'
import { StateView } from '../../../components/state-view'
import { PaymentSheet } from '../../../features/order/components/payment-sheet'
import { listOf, TABS, useOrderStore } from '../../../features/order/order-store'
import { useOrderActions } from '../../../features/order/use-order-actions'
import { routes } from '../../../lib/routes'
import { OrderCard } from './order-card'
import './index.scss'
import { switchTab } from '../../../lib/navigate'

export default function OrderListPage() {
  const { params } = useRouter()
  const [tab, setTab] = useState<OrderTab>(TABS.some((t) => t.tab === params.tab) ? (params.tab as OrderTab) : 'all')
  const list = useOrderStore((s) => listOf(s, tab))
  const { loadList, loadMore } = useOrderStore.getState()
  const actions = useOrderActions()

  useDidShow(() => void loadList(tab))
  usePullDownRefresh(() => void loadList(tab).finally(() => Taro.stopPullDownRefresh()))
  useReachBottom(() => void loadMore(tab))

  const choose = (t: OrderTab) => {
    setTab(t)
    void loadList(t)
  }

  let body
  if (list.items.length === 0) {
    if (list.status === 'error')
      body = <StateView kind="error" text={list.error ?? undefined} actionText="重试" onAction={() => void loadList(tab)} />
    else if (list.status === 'ready')
      body = <StateView kind="empty" text="还没有相关订单" actionText="去逛逛" onAction={() => void switchTab(routes.home)} />
    else body = <StateView kind="loading" />
  } else {
    body = (
      <View className="orders__list">
        {list.items.map((o) => (
          <OrderCard key={o.id} order={o} actions={actions} />
        ))}
        <FeedFooter
          loadingMore={list.loadingMore}
          hasMore={list.nextCursor !== null}
          error={list.error}
          onRetry={() => void loadMore(tab)}
        />
      </View>
    )
  }

  return (
    <View className="orders">
      <View className="orders__tabs">
        {TABS.map((t) => (
          <Text key={t.tab} className={`orders__tab ${t.tab === tab ? 'orders__tab--on' : ''}`} onClick={() => choose(t.tab)}>
            {t.title}
          </Text>
        ))}
      </View>
      {body}
      <PaymentSheet payment={actions.payment} />
      <PrivacyPopup />
    </View>
  )
}
