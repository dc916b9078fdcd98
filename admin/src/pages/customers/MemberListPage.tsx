/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function MemberListPage() {
  return <Result status="info" title="客户" subTitle="正在建设中" />
}
