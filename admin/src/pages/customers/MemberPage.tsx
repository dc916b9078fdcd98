/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function MemberPage({ id }: { id: string | null }) {
  void id
  return <Result status="info" title="客户详情" subTitle="正在建设中" />
}
