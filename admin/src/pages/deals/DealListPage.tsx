/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function DealListPage() {
  return <Result status="info" title="新人9.9" subTitle="正在建设中" />
}
