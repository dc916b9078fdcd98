/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function CouponListPage() {
  return <Result status="info" title="优惠券" subTitle="正在建设中" />
}
