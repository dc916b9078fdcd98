/** Words the live pages share: a room's status, a stream's kind, a lottery's pool, a duration. */
import type { LotteryPool, RoomStatus, StreamKind } from '../../../../cloud/contract'

export const ROOM_STATUS_LABEL: Record<RoomStatus, string> = { upcoming: '即将开始', live: '直播中', ended: '已结束' }
export const ROOM_STATUS_COLOR: Record<RoomStatus, string> = { upcoming: 'blue', live: 'red', ended: 'default' }

export const STREAM_KIND_LABEL: Record<StreamKind, string> = {
  'live-player': '小程序直播推流（live-player）',
  channels: '视频号直播',
  video: '视频文件（录播 / 测试）',
}

export const POOL_LABEL: Record<LotteryPool, string> = { viewers: '进入直播间的观众', sharers: '成功邀请好友的分享者' }

/** 3725 → '1小时2分5秒'. */
export function durationText(sec: number | null): string {
  if (sec === null) return '—'
  const h = Math.floor(sec / 3600)
  const m = Math.floor((sec % 3600) / 60)
  const s = sec % 60
  return `${h ? `${h}小时` : ''}${h || m ? `${m}分` : ''}${s}秒`
}
