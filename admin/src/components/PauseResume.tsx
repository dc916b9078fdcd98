import { Button, Popconfirm } from 'antd'

/**
 * A marketing desk's 暂停活动 / 恢复活动 button, each behind a confirm that says what the change does
 * for shoppers. Shown for an active or paused campaign; nothing for any other status (ended).
 */
export function PauseResume(props: {
  status: string
  busy: boolean
  /** What pausing does, shown in the confirm (暂停后…). */
  pauseMeans: string
  /** What resuming does (恢复后…); none: the confirm asks only. */
  resumeMeans?: string
  /** The campaign's name in the confirm's title: 这个{noun}. */
  noun?: string
  onChange: (status: 'active' | 'paused') => void
}) {
  const { status, busy, pauseMeans, resumeMeans, noun = '活动', onChange } = props
  if (status === 'active')
    return (
      <Popconfirm title={`暂停这个${noun}？`} description={pauseMeans} okText="暂停" cancelText="取消" onConfirm={() => onChange('paused')}>
        <Button danger loading={busy} disabled={busy}>
          暂停活动
        </Button>
      </Popconfirm>
    )
  if (status === 'paused')
    return (
      <Popconfirm
        title={`恢复这个${noun}？`}
        description={resumeMeans}
        okText="恢复"
        cancelText="取消"
        onConfirm={() => onChange('active')}
      >
        <Button type="primary" loading={busy} disabled={busy}>
          恢复活动
        </Button>
      </Popconfirm>
    )
  return null
}
