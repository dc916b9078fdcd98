/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function GuidePage() {
  return <Result status="info" title="导购码" subTitle="正在建设中" />
}
