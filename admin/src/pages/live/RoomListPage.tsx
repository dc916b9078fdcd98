/** 直播: the rooms by status (tabs in the URL) with their figures; 创建直播; per room 编辑 / 进入控制台 / 查看报告. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { AdminRoomRow, RoomStatus } from '../../../../cloud/contract'
import { call } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { linkProps, useLocation } from '../../router'
import { ROOM_STATUS_COLOR, ROOM_STATUS_LABEL } from './labels'

const TABS: Array<{ key: RoomStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'upcoming', label: '即将开始' },
  { key: 'live', label: '直播中' },
  { key: 'ended', label: '已结束' },
]

const EMPTY: Record<RoomStatus | 'all', string> = {
  all: '还没有直播，点击右上角「创建直播」',
  upcoming: '没有即将开始的直播',
  live: '现在没有正在进行的直播',
  ended: '还没有结束的直播',
}

export default function RoomListPage() {
  const { query } = useLocation()
  const pages = useCursorPages()
  const param = query.get('status')
  const status: RoomStatus | undefined = param === 'upcoming' || param === 'live' || param === 'ended' ? param : undefined
  const list = useLoad(() => call('admin', 'liveRooms', { ...(status ? { status } : {}), cursor: pages.cursor }), [status, pages.cursor])

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          直播
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} {...linkProps('/live/new')}>
            创建直播
          </Button>
        </Space>
      </Space>
      <Tabs
        activeKey={status ?? 'all'}
        onChange={(k) => pages.filter({ status: k === 'all' ? null : k })}
        items={TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<AdminRoomRow>
            rowKey="roomId"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: EMPTY[status ?? 'all'] }}
            columns={[
              {
                title: '直播',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <Space>
                    <Avatar shape="square" size={64} src={r.poster || undefined} alt="" />
                    <div>
                      <div data-testid="room-title">{title}</div>
                      <Tag color={ROOM_STATUS_COLOR[r.status]} style={{ marginTop: 4 }}>
                        {ROOM_STATUS_LABEL[r.status]}
                      </Tag>
                    </div>
                  </Space>
                ),
              },
              {
                title: '时间',
                width: 210,
                render: (_: unknown, r) => (
                  <div style={{ fontSize: 13 }}>
                    <div>预计开播 {shopTime(r.startsAt, 'MM-DD HH:mm')}</div>
                    {r.startedAt ? <div style={{ color: '#888' }}>开播于 {shopTime(r.startedAt, 'MM-DD HH:mm')}</div> : null}
                    {r.endedAt ? <div style={{ color: '#888' }}>结束 {shopTime(r.endedAt, 'MM-DD HH:mm')}</div> : null}
                  </div>
                ),
              },
              { title: '主播', dataIndex: 'anchorName', width: 120 },
              { title: '观看人数', dataIndex: 'viewers', width: 90, align: 'right' },
              { title: '最高在线', dataIndex: 'peakViewers', width: 90, align: 'right' },
              { title: '订单', dataIndex: 'orders', width: 70, align: 'right' },
              { title: '成交额', dataIndex: 'gmvFen', width: 120, align: 'right', render: (v: number) => formatFen(v) },
              {
                title: '操作',
                width: 220,
                render: (_: unknown, r) => {
                  const id = encodeURIComponent(r.roomId)
                  return (
                    <Space>
                      <a {...linkProps(`/live/${id}/edit`)}>编辑</a>
                      <a {...linkProps(`/live/${id}/console`)}>进入控制台</a>
                      <a {...linkProps(`/live/${id}/report`)}>查看报告</a>
                    </Space>
                  )
                },
              },
            ]}
          />
          <Pager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={!!list.data?.nextCursor}
            onPrev={pages.prev}
            onNext={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
            onFirst={pages.first}
          />
        </Card>
      )}
    </Space>
  )
}
