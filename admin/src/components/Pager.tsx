/** 上一页 / 下一页 over cursor paging: the page number, and 回到第一页 when the way back is not known (after a reload). */
import { Button, Space, Typography } from 'antd'

export function Pager({
  page,
  hasPrev,
  hasNext,
  total,
  onPrev,
  onNext,
  onFirst,
}: {
  page: number
  hasPrev: boolean
  hasNext: boolean
  total?: number
  onPrev: () => void
  onNext: () => void
  onFirst: () => void
}) {
  return (
    <Space style={{ width: '100%', justifyContent: 'flex-end', marginTop: 12 }}>
      {typeof total === 'number' ? <Typography.Text type="secondary">共 {total} 条</Typography.Text> : null}
      {page > 1 && !hasPrev ? <Button onClick={onFirst}>回到第一页</Button> : null}
      <Button disabled={!hasPrev} onClick={onPrev}>
        上一页
      </Button>
      <Typography.Text>第 {page} 页</Typography.Text>
      <Button disabled={!hasNext} onClick={onNext}>
        下一页
      </Button>
    </Space>
  )
}
