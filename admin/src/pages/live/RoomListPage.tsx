/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function RoomListPage() {
  return <Result status="info" title="直播" subTitle="正在建设中" />
}
