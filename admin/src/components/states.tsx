/** The states every page shows the same way: loading, a load that failed (with 重试), 无权限, not found. */
import { Button, Result, Spin } from 'antd'

export function CenteredSpin({ tip }: { tip?: string }) {
  return (
    <div style={{ padding: '96px 0', textAlign: 'center' }}>
      <Spin size="large" />
      {tip ? <div style={{ marginTop: 16, color: '#888' }}>{tip}</div> : null}
    </div>
  )
}

export function LoadError({ message, onRetry }: { message: string; onRetry?: () => void }) {
  return (
    <Result
      status="warning"
      title="加载失败"
      subTitle={message}
      extra={
        onRetry ? (
          <Button type="primary" onClick={onRetry}>
            重试
          </Button>
        ) : null
      }
    />
  )
}

export function Forbidden({ onHome }: { onHome?: () => void }) {
  return (
    <Result
      status="403"
      title="无权限"
      subTitle="你的角色不能使用这个页面，如需开通请联系店主。"
      extra={onHome ? <Button onClick={onHome}>返回首页</Button> : null}
    />
  )
}

export function NotFound({ onHome }: { onHome?: () => void }) {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="地址可能有误，或内容已被删除。"
      extra={onHome ? <Button onClick={onHome}>返回首页</Button> : null}
    />
  )
}
