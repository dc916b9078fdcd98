import { Text, View } from '@tarojs/components'
import type { CommentRing } from '../comment-ring'
import './comment-stream.scss'

interface Props {
  ring: CommentRing
  /** The latest viewer who came in, shown briefly under the comments. */
  welcome: { name: string; key: number } | null
}

/**
 * The comments as a translucent stream over the lower left of the video, newest at the bottom,
 * about 8 lines tall (scroll up for older ones). One row per ring slot (see comment-ring): a
 * new comment replaces one slot in setData. The column is reversed and each row ordered by its
 * negated arrival number, so the newest sits at the bottom and the scroll starts there.
 */
export function CommentStream({ ring, welcome }: Props) {
  return (
    <View className="comment-stream">
      {/* Always there (empty when nobody just came in): a line appearing before the list would make
          Taro resend the list. Two classes, alternating per arrival, restart the slide-in. */}
      <Text className={`comment-stream__welcome ${welcome ? `comment-stream__welcome--on${welcome.key % 2}` : ''}`}>
        {welcome ? `欢迎 ${welcome.name} 进入直播间` : ''}
      </Text>
      <View className="comment-stream__list">
        {ring.slots.map(({ n, comment }, slot) => (
          <View key={slot} className="comment-stream__item" style={{ order: -n }}>
            <Text className="comment-stream__who">{comment.nickname}：</Text>
            <Text>{comment.text}</Text>
          </View>
        ))}
      </View>
    </View>
  )
}
