/** 助力砍价: the campaigns with their face, terms, status and results at a glance. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Space, Table, Tag, Typography } from 'antd'
import type { AdminAssistCampaign } from '../../../../cloud/contract'
import { call } from '../../api'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { shopShort } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps } from '../../router'
import { ASSIST_STATUS_COLOR, ASSIST_STATUS_LABEL, FACE_LABEL, termsPreview } from './assist-text'

const pageOf = (id: string) => `/marketing/assist/${encodeURIComponent(id)}`

export default function AssistListPage() {
  const list = useLoad(() => call('admin', 'assistCampaigns', {}), [])
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          助力砍价
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} {...linkProps('/marketing/assist/new')}>
            新建活动
          </Button>
        </Space>
      </Space>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<AdminAssistCampaign>
            rowKey="campaignId"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '还没有助力活动，点击右上角「新建活动」' }}
            columns={[
              {
                title: '活动',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <div>
                    <a {...linkProps(pageOf(r.campaignId))}>{title}</a>
                    <div style={{ color: '#999', fontSize: 12 }}>
                      {FACE_LABEL[r.face]} · {termsPreview({ ...r, rewardTitle: r.reward?.title, ...r.product })}
                    </div>
                  </div>
                ),
              },
              {
                title: '时间',
                width: 190,
                render: (_: unknown, r) => `${shopShort(r.startsAt)} 至 ${shopShort(r.endsAt)}`,
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 90,
                render: (s: AdminAssistCampaign['status']) => <Tag color={ASSIST_STATUS_COLOR[s]}>{ASSIST_STATUS_LABEL[s]}</Tag>,
              },
              { title: '发起', width: 70, align: 'right', render: (_: unknown, r) => r.results.tasksStarted },
              {
                title: '完成率',
                width: 90,
                align: 'right',
                render: (_: unknown, r) => (r.results.tasksStarted === 0 ? '—' : `${Math.round(r.results.completionRate * 100)}%`),
              },
              { title: '助力计入', width: 90, align: 'right', render: (_: unknown, r) => r.results.helpsCounted },
              { title: '新客助力', width: 90, align: 'right', render: (_: unknown, r) => r.results.newCustomersHelped },
              {
                title: '付款 / 成交额',
                width: 130,
                align: 'right',
                render: (_: unknown, r) => (r.face === 'price_cut' ? `${r.results.ordersPaid} / ${formatFen(r.results.gmvFen)}` : '—'),
              },
              { title: '操作', width: 70, render: (_: unknown, r) => <a {...linkProps(pageOf(r.campaignId))}>查看</a> },
            ]}
          />
        </Card>
      )}
    </Space>
  )
}
