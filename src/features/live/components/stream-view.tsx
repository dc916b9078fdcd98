import Taro from '@tarojs/taro'
import { Image, LivePlayer, Text, Video, View } from '@tarojs/components'
import type { RoomView } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import './stream-view.scss'

/**
 * The one StreamSource of a room: `live-player` (RTMP/FLV, for merchants with the 社交-直播 category),
 * `channels` (the merchant's 视频号 live, opened by WeChat), `video` (HLS/MP4, replays and H5), or
 * the poster with the room's status when there is no stream.
 */
export function StreamView({ room }: { room: RoomView }) {
  const stream = room.stream
  if (!stream) {
    const text =
      room.status === 'upcoming'
        ? `${new Date(room.startsAt).toLocaleString('zh-CN', { hour12: false })} 开播`
        : room.status === 'ended'
          ? '直播已结束'
          : '主播正在准备中'
    return (
      <View className="stream-view stream-view--poster">
        {room.poster ? <Image className="stream-view__poster" src={assetUrl(room.poster)} mode="aspectFill" /> : null}
        <Text className="stream-view__status">{text}</Text>
      </View>
    )
  }
  if (stream.kind === 'channels') {
    // streamUrl holds "finderUserName|feedId" of the 视频号 live.
    const [finderUserName, feedId] = stream.url.split('|')
    return (
      <View
        className="stream-view stream-view--poster"
        onClick={() => void Taro.openChannelsLive({ finderUserName: finderUserName ?? '', feedId: feedId ?? '' }).catch(() => undefined)}
      >
        <Text className="stream-view__status">点击进入视频号直播间</Text>
      </View>
    )
  }
  if (stream.kind === 'live-player' && process.env.TARO_ENV === 'weapp') {
    return <LivePlayer className="stream-view" src={stream.url} mode="live" autoplay objectFit="fillCrop" />
  }
  return (
    <Video
      className="stream-view"
      src={assetUrl(stream.url)}
      autoplay={room.status === 'live'}
      loop={room.status === 'live'}
      controls
      showCenterPlayBtn
      objectFit="cover"
    />
  )
}
