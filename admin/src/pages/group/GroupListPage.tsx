/** 拼团: the campaigns with their terms, status and results (groups opened / succeeded, paid members, GMV). */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Space, Table, Tag, Typography } from 'antd'
import type { AdminGroupCampaign } from '../../../../cloud/contract'
import { call } from '../../api'
import { LoadError } from '../../components/states'
import { formatFen, percent } from '../../lib/money'
import { shopShort } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps } from '../../router'

export const campaignState = (c: AdminGroupCampaign, now: number): { label: string; color: string } => {
  if (c.status === 'ended') return { label: '已结束', color: 'default' }
  if (c.status === 'paused') return { label: '已暂停', color: 'orange' }
  if (new Date(c.endsAt).getTime() <= now) return { label: '已结束', color: 'default' }
  if (new Date(c.startsAt).getTime() > now) return { label: '未开始', color: 'blue' }
  return { label: '进行中', color: 'green' }
}

export default function GroupListPage() {
  const list = useLoad(() => call('admin', 'groupCampaigns', {}), [])
  const now = list.data ? new Date(list.data.serverTime).getTime() : Date.now()
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          拼团
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} {...linkProps('/marketing/group/new')}>
            新建拼团
          </Button>
        </Space>
      </Space>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<AdminGroupCampaign>
            rowKey="campaignId"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '还没有拼团活动，点击右上角「新建拼团」' }}
            columns={[
              {
                title: '活动',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <Space>
                    <Avatar shape="square" size={48} src={r.cover || undefined} alt="" />
                    <div>
                      <a {...linkProps(`/marketing/group/${encodeURIComponent(r.campaignId)}`)}>{title}</a>
                      <div style={{ color: '#999', fontSize: 12 }}>
                        {r.specText || '默认规格'} · {r.groupSize}人团 · {r.groupHours} 小时 · 至 {shopShort(r.endsAt)}
                      </div>
                    </div>
                  </Space>
                ),
              },
              {
                title: '拼团价 / 售价',
                width: 150,
                render: (_: unknown, r) => (
                  <span>
                    <b style={{ color: '#e4393c' }}>{formatFen(r.groupPriceFen)}</b>
                    <span style={{ color: '#999', marginLeft: 6, textDecoration: 'line-through' }}>{formatFen(r.priceFen)}</span>
                  </span>
                ),
              },
              {
                title: '状态',
                width: 90,
                render: (_: unknown, r) => {
                  const s = campaignState(r, now)
                  return <Tag color={s.color}>{s.label}</Tag>
                },
              },
              { title: '开团', width: 70, align: 'right', render: (_: unknown, r) => r.groupsOpened },
              { title: '成团', width: 70, align: 'right', render: (_: unknown, r) => r.groupsSucceeded },
              { title: '进行中', width: 80, align: 'right', render: (_: unknown, r) => r.groupsForming },
              {
                title: '成团率',
                width: 80,
                align: 'right',
                render: (_: unknown, r) => (r.successRate === null ? '—' : percent(r.successRate)),
              },
              { title: '付款人数', width: 90, align: 'right', render: (_: unknown, r) => r.membersPaid },
              { title: '成交额（扣退款）', width: 140, align: 'right', render: (_: unknown, r) => formatFen(r.gmvFen) },
            ]}
          />
        </Card>
      )}
    </Space>
  )
}
