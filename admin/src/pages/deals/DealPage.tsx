/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function DealPage({ id }: { id: string | null }) {
  void id
  return <Result status="info" title="新人9.9 活动" subTitle="正在建设中" />
}
