/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function FlashListPage() {
  return <Result status="info" title="秒杀" subTitle="正在建设中" />
}
