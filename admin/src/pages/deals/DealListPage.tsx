/** 新人9.9: the campaigns with their status, deal price against the list price, and the funnel's key numbers. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Space, Table, Tag, Typography } from 'antd'
import type { AdminDealCampaign } from '../../../../cloud/contract'
import { call } from '../../api'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { useLoad } from '../../lib/use-load'
import { linkProps } from '../../router'
import { DEAL_STATUS_COLOR, DEAL_STATUS_LABEL } from './deal-text'

export default function DealListPage() {
  const list = useLoad(() => call('admin', 'dealCampaigns', {}), [])
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          新人9.9
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} {...linkProps('/marketing/deals/new')}>
            新建活动
          </Button>
        </Space>
      </Space>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<AdminDealCampaign>
            rowKey="campaignId"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: '还没有新人活动，点击右上角「新建活动」' }}
            columns={[
              {
                title: '活动商品',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <Space>
                    <Avatar shape="square" size={48} src={r.cover || undefined} alt="" />
                    <div>
                      <a {...linkProps(`/marketing/deals/${encodeURIComponent(r.campaignId)}`)}>{title}</a>
                      <div style={{ color: '#999', fontSize: 12 }}>
                        {r.specText || '默认规格'} · 库存 {r.stock}
                      </div>
                    </div>
                  </Space>
                ),
              },
              {
                title: '新人价 / 售价',
                width: 150,
                render: (_: unknown, r) => (
                  <span>
                    <b style={{ color: '#e4393c' }}>{formatFen(r.dealPriceFen)}</b>
                    <span style={{ color: '#999', marginLeft: 6, textDecoration: 'line-through' }}>{formatFen(r.priceFen)}</span>
                  </span>
                ),
              },
              {
                title: '状态',
                dataIndex: 'status',
                width: 90,
                render: (s: AdminDealCampaign['status']) => <Tag color={DEAL_STATUS_COLOR[s]}>{DEAL_STATUS_LABEL[s]}</Tag>,
              },
              { title: '进入', width: 80, align: 'right', render: (_: unknown, r) => r.funnel.entered },
              {
                title: '邀请计入 / 打开',
                width: 130,
                align: 'right',
                render: (_: unknown, r) => `${r.funnel.invitesCounted} / ${r.funnel.invitesSent}`,
              },
              { title: '领取', width: 80, align: 'right', render: (_: unknown, r) => r.funnel.claims },
              { title: '付款', width: 80, align: 'right', render: (_: unknown, r) => r.funnel.paid },
              {
                title: '邀请奖励（待结算 / 已结算）',
                width: 200,
                align: 'right',
                render: (_: unknown, r) => `${formatFen(r.funnel.rewardsPendingFen)} / ${formatFen(r.funnel.rewardsSettledFen)}`,
              },
              {
                title: '操作',
                width: 90,
                render: (_: unknown, r) => <a {...linkProps(`/marketing/deals/${encodeURIComponent(r.campaignId)}`)}>查看</a>,
              },
            ]}
          />
        </Card>
      )}
    </Space>
  )
}
