import { Image, Input, Text, View } from '@tarojs/components'
import { useState } from 'react'
import type { ProductSummary, RoomView } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import { formatFen } from '../../../lib/money'
import { cleanText } from '../../../lib/people-text'
import { MAX_ROWS, listOf, useConsoleStore } from '../console-store'
import { ConsoleCard, tell } from './console-ui'

/** What catalog.search takes: 1–30 characters after trimming. */
const MAX_QUERY = 30

function GoodsRow({ p, room, busy }: { p: ProductSummary; room: RoomView; busy: boolean }) {
  const pinned = room.status === 'live' && room.pinned?.id === p.id
  const onShelf = room.goods.some((g) => g.id === p.id)
  const push = () => {
    if (busy) return
    void useConsoleStore
      .getState()
      .pushGoods(p.id)
      .then((r) => tell(r, room.status === 'live' ? '已推送讲解' : '已加入商品袋'))
  }
  let action = null
  if (pinned)
    action = (
      <Text key="pinned" className="console__tag console__tag--on">
        讲解中
      </Text>
    )
  else if (room.status === 'live')
    action = (
      <Text key="push" className="console__btn" onClick={push}>
        推送讲解
      </Text>
    )
  else if (room.status === 'upcoming')
    action = onShelf ? (
      <Text key="shelf" className="console__tag">
        已在商品袋
      </Text>
    ) : (
      <Text key="add" className="console__btn console__btn--plain" onClick={push}>
        加入商品袋
      </Text>
    )
  return (
    <View className="console-goods">
      <Image className="console-goods__img" src={assetUrl(p.cover)} mode="aspectFill" lazyLoad />
      <View className="console-goods__info">
        <Text className="console-goods__title">{p.title}</Text>
        <Text className="console-goods__meta">
          {formatFen(p.priceFen)} · 库存 {p.stock}
        </Text>
      </View>
      {action}
    </View>
  )
}

/**
 * 推送讲解: the room's shelf, then the whole catalog paged (加载更多 or scrolling to the end), or
 * the results of a search (the shoppers' catalog.search).
 */
export function ConsoleGoods({
  room,
  busy,
  query,
  onQuery,
}: {
  room: RoomView
  busy: boolean
  query: string
  onQuery: (q: string) => void
}) {
  const [text, setText] = useState(query)
  // The query is trimmed; '' lists the whole catalog.
  const list = useConsoleStore((s) => listOf(s, query))
  const store = useConsoleStore.getState()
  const submit = (raw: string) => {
    const q = raw.trim()
    // Nothing but hidden or bidi characters searches nothing: the whole catalog again.
    if (!cleanText(q)) return onQuery('')
    setText(q)
    onQuery(q)
    void store.search(q)
  }
  const full = list.items.length >= MAX_ROWS
  // The query as echoed back: without hidden and bidi characters (a \u202e would turn 搜索“…” around).
  const shown = cleanText(query)
  const more = () => void store.moreSearch(query)
  const retry = () => void store.search(query)

  return (
    <View>
      <ConsoleCard title={`本场商品 · ${room.goods.length}`}>
        {room.goods.length === 0 ? <Text className="console__muted">还没有商品，从下方商品库推送</Text> : null}
        {room.goods.map((p) => (
          <GoodsRow key={p.id} p={p} room={room} busy={busy} />
        ))}
      </ConsoleCard>
      <ConsoleCard title={query ? `搜索“${shown}”` : '商品库'}>
        <View className="console__search">
          <Input
            className="console__search-input"
            value={text}
            maxlength={MAX_QUERY}
            placeholder="搜索商品名称"
            confirmType="search"
            onInput={(e) => setText(e.detail.value)}
            onConfirm={(e) => submit(e.detail.value)}
          />
          <Text className="console__btn" onClick={() => submit(text)}>
            搜索
          </Text>
          {query ? (
            <Text
              className="console__link"
              onClick={() => {
                setText('')
                onQuery('')
              }}
            >
              全部商品
            </Text>
          ) : null}
        </View>
        {list.status === 'error' && list.items.length === 0 ? (
          <Text key="retry" className="console__muted console__retry" onClick={retry}>
            {list.error ?? '加载失败'}，点击重试
          </Text>
        ) : list.status === 'ready' && list.items.length === 0 ? (
          <Text key="empty" className="console__muted">
            {query ? `没有找到与“${shown}”相关的商品` : '商品库还没有在售商品'}
          </Text>
        ) : list.items.length === 0 ? (
          <Text key="loading" className="console__muted">
            加载中…
          </Text>
        ) : null}
        {list.items.slice(0, MAX_ROWS).map((p) => (
          <GoodsRow key={p.id} p={p} room={room} busy={busy} />
        ))}
        {list.items.length > 0 ? (
          list.error ? (
            <Text key="more-error" className="console__more" onClick={more}>
              {list.error}，点击重试
            </Text>
          ) : list.loadingMore ? (
            <Text key="more-loading" className="console__more">
              加载中…
            </Text>
          ) : list.nextCursor && full ? (
            <Text key="more-full" className="console__more">
              已显示 {MAX_ROWS} 件，更多商品请搜索
            </Text>
          ) : list.nextCursor ? (
            <Text key="more" className="console__more console__more--on" onClick={more}>
              加载更多
            </Text>
          ) : (
            <Text key="more-end" className="console__more">
              没有更多了 · 共 {list.items.length} 件
            </Text>
          )
        ) : null}
      </ConsoleCard>
    </View>
  )
}
