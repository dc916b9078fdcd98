import Taro from '@tarojs/taro'
import { Image, LivePlayer, Text, Video, View } from '@tarojs/components'
import type { RoomView } from '../../../../cloud/contract'
import { assetUrl } from '../../../lib/asset-url'
import './stream-view.scss'

interface Props {
  room: RoomView
  /** The live video plays muted (H5 autoplays only so) until the viewer turns the sound on. */
  muted: boolean
  onToggleMute: () => void
  /** Where the sound toggle sits, under the page's top bar (px). */
  controlsTop: number
}

/**
 * The room's stream, filling the screen (cover): `live-player` for a push stream (merchants with the
 * 社交-直播 category), `channels` (the merchant's 视频号 live, opened by WeChat on a tap), `video`
 * (the demo stream and H5): while live a looping video without VOD controls, seek bar or center
 * play button; after the end the replay as a normal video. Without a stream, the poster.
 */
export function StreamView({ room, muted, onToggleMute, controlsTop }: Props) {
  const stream = room.stream
  const poster = room.poster ? <Image className="stream-view__poster" src={assetUrl(room.poster)} mode="aspectFill" /> : null
  if (!stream || room.status === 'upcoming') {
    return <View className="stream-view stream-view--poster">{poster}</View>
  }
  if (stream.kind === 'channels') {
    // streamUrl holds "finderUserName|feedId" of the 视频号 live.
    const [finderUserName, feedId] = stream.url.split('|')
    return (
      <View
        className="stream-view stream-view--poster"
        onClick={() => void Taro.openChannelsLive({ finderUserName: finderUserName ?? '', feedId: feedId ?? '' }).catch(() => undefined)}
      >
        {poster}
        <Text className="stream-view__open">点击进入视频号直播间</Text>
      </View>
    )
  }
  if (stream.kind === 'live-player' && room.status === 'live' && process.env.TARO_ENV === 'weapp') {
    return <LivePlayer className="stream-view" src={stream.url} mode="live" autoplay muted={muted} objectFit="fillCrop" />
  }
  if (room.status === 'ended') {
    // The replay: a normal video, controls and all.
    return (
      <Video
        key="replay"
        className="stream-view"
        src={assetUrl(stream.url)}
        poster={room.poster ? assetUrl(room.poster) : undefined}
        controls
        showCenterPlayBtn
        objectFit="cover"
      />
    )
  }
  return (
    <View className="stream-view">
      <Video
        key="live"
        className="stream-view__video"
        src={assetUrl(stream.url)}
        autoplay
        loop
        muted={muted}
        controls={false}
        showCenterPlayBtn={false}
        showPlayBtn={false}
        showProgress={false}
        showFullscreenBtn={false}
        enableProgressGesture={false}
        objectFit="cover"
      />
      <Text className="stream-view__sound" style={{ top: `${controlsTop}px` }} onClick={onToggleMute}>
        {muted ? '开启声音' : '静音'}
      </Text>
    </View>
  )
}
