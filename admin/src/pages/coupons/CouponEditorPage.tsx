/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function CouponEditorPage({ id }: { id: string | null }) {
  void id
  return <Result status="info" title="新建优惠券" subTitle="正在建设中" />
}
