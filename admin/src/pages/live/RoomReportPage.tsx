/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function RoomReportPage({ id }: { id: string | null }) {
  void id
  return <Result status="info" title="直播报告" subTitle="正在建设中" />
}
