import { useReachBottom, useRouter } from '@tarojs/taro'
import { Input, Text, View } from '@tarojs/components'
import { useEffect, useState } from 'react'
import { searchOf, useCatalogStore } from '../../../features/catalog/catalog-store'
import { ProductGrid } from '../../../features/catalog/components/product-grid'
import { clearSearchHistory, readSearchHistory, rememberSearch } from '../../../features/catalog/search-history'
import { toast } from '../../../lib/toast'
import './index.scss'

/** What catalog.search takes: 1–30 characters after trimming. */
const MAX_QUERY = 30

/** A query parameter as the page gets it: encoded on weapp; decoding twice must not throw on a literal %. */
const param = (raw: string | undefined) => {
  try {
    return decodeURIComponent(raw ?? '')
  } catch {
    return raw ?? ''
  }
}

/** 搜索: a query box, the recent searches of this device, and the paged results with their empty state. */
export default function SearchPage() {
  const { params } = useRouter()
  const initial = param(params.q).trim()
  const [text, setText] = useState(initial)
  // The query whose results are shown; '' before the first search.
  const [query, setQuery] = useState('')
  const [history, setHistory] = useState<string[]>(() => readSearchHistory())
  const results = useCatalogStore((s) => searchOf(s, query))
  const { search, searchMore } = useCatalogStore.getState()

  const submit = (raw: string) => {
    const q = raw.trim()
    if (!q) return toast('请输入要搜索的商品')
    setText(q)
    setQuery(q)
    setHistory(rememberSearch(q))
    void search(q)
  }

  useEffect(() => {
    if (initial) submit(initial)
    // Once, for the query the page was opened with (from the home's search box).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [])
  useReachBottom(() => query && void searchMore(query))

  return (
    <View className="search">
      <View className="search__bar">
        <Input
          className="search__input"
          value={text}
          maxlength={MAX_QUERY}
          focus={!initial}
          placeholder="搜索茶叶、茶具、零食"
          confirmType="search"
          onInput={(e) => setText(e.detail.value)}
          onConfirm={(e) => submit(e.detail.value)}
        />
        <Text className="search__go" onClick={() => submit(text)}>
          搜索
        </Text>
      </View>
      {query ? (
        <View className="search__results">
          <ProductGrid
            feed={results}
            emptyText={`没有找到与“${query}”相关的商品，换个词试试`}
            onRetry={() => void search(query)}
            onLoadMore={() => void searchMore(query)}
          />
        </View>
      ) : history.length > 0 ? (
        <View className="search__history">
          <View className="search__history-head">
            <Text className="search__history-title">最近搜索</Text>
            <Text
              className="search__history-clear"
              onClick={() => {
                clearSearchHistory()
                setHistory([])
              }}
            >
              清空
            </Text>
          </View>
          <View className="search__chips">
            {history.map((q) => (
              <Text key={q} className="search__chip" onClick={() => submit(q)}>
                {q}
              </Text>
            ))}
          </View>
        </View>
      ) : (
        <Text className="search__hint">按商品名称或描述搜索，如「龙井」「茶具」</Text>
      )}
    </View>
  )
}
