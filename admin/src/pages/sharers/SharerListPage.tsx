/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function SharerListPage() {
  return <Result status="info" title="分销员" subTitle="正在建设中" />
}
