/** Placeholder until its owner builds it (issue 16). */
import { Result } from 'antd'

export default function WithdrawalListPage() {
  return <Result status="info" title="提现审核" subTitle="正在建设中" />
}
