import { Text, View } from '@tarojs/components'
import './index.scss'

interface Props {
  loadingMore: boolean
  hasMore: boolean
  error: string | null
  onRetry: () => void
}

/** The line under a paged list: 加载中…, 没有更多了, or the error with 点击重试. */
export function FeedFooter({ loadingMore, hasMore, error, onRetry }: Props) {
  if (error) {
    return (
      <View className="feed-footer feed-footer--error" onClick={onRetry}>
        <Text>{error}，点击重试</Text>
      </View>
    )
  }
  return (
    <View className="feed-footer">
      <Text>{loadingMore ? '加载中…' : hasMore ? '上拉加载更多' : '没有更多了'}</Text>
    </View>
  )
}
