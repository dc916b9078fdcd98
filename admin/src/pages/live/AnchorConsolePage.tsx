/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function AnchorConsolePage({ id }: { id: string | null }) {
  void id
  return <Result status="info" title="主播控制台" subTitle="正在建设中" />
}
