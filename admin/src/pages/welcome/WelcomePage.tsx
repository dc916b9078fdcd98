/** Where a role with no page of this console yet (主播) lands. */
import { Result } from 'antd'

export default function WelcomePage() {
  return <Result status="info" title="欢迎使用好茶小铺商家后台" subTitle="直播间管理请在小程序的主播控制台中进行。" />
}
