/**
 * 客户详情 (/customers/:id): the profile, RFM and segment against the shop's averages, where they came
 * from (room, sharer), their orders (each links to the order desk), coupons, invites and earnings.
 */
import { ArrowLeftOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Col, Descriptions, Empty, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import type { AdminOrderRow, MemberDetail } from '../../../../cloud/contract'
import { call } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { firstChar } from '../../lib/text'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { navigate } from '../../router'
import { STATUS_COLOR, STATUS_LABEL } from '../orders/labels'
import { recencyText, SEGMENT_COLOR, SEGMENT_LABEL } from './segments'

const COUPON_STATUS: Record<MemberDetail['coupons'][number]['status'], { label: string; color: string }> = {
  available: { label: '未使用', color: 'green' },
  locked: { label: '下单中', color: 'gold' },
  used: { label: '已使用', color: 'blue' },
  expired: { label: '已过期', color: 'default' },
}

const go = (to: string) => (e: React.MouseEvent) => {
  e.preventDefault()
  void navigate(to)
}

export default function MemberPage({ id }: { id: string | null }) {
  const page = useLoad(() => call('admin', 'member', { userId: id ?? '' }), [id])
  const segs = useLoad(() => call('admin', 'segments', {}), [])
  if (page.loading && !page.data) return <CenteredSpin />
  if (page.error || !page.data) return <LoadError message={page.error ?? '客户不存在'} onRetry={page.reload} />
  const d = page.data
  const m = d.member
  const avg = segs.data?.averages
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space>
        <Button icon={<ArrowLeftOutlined />} href="/admin/customers" onClick={go('/customers')}>
          客户列表
        </Button>
      </Space>
      <Card size="small">
        <Row gutter={16} align="middle">
          <Col flex="none">
            <Avatar size={64} src={m.avatar ?? undefined}>
              {firstChar(m.nickname)}
            </Avatar>
          </Col>
          <Col flex="auto">
            <Space direction="vertical" size={4}>
              <Space>
                <Typography.Title level={4} style={{ margin: 0 }} data-testid="member-nickname">
                  {m.nickname}
                </Typography.Title>
                {m.segment ? <Tag color={SEGMENT_COLOR[m.segment]}>{SEGMENT_LABEL[m.segment]}</Tag> : <Tag>无消费，不在分群</Tag>}
                {d.notifiable ? <Tag color="green">已开启到券提醒</Tag> : <Tag>未开启到券提醒</Tag>}
              </Space>
              <Typography.Text type="secondary">
                手机号 {m.phone ?? '—'} · 注册于 {shopTime(m.joinedAt, 'YYYY-MM-DD')} · 来源：
                {d.source.room ? `直播间「${d.source.room.title}」` : '商城'}
                {d.source.sharer ? (
                  <>
                    ，由{' '}
                    <a href={`/admin/customers/${d.source.sharer.userId}`} onClick={go(`/customers/${d.source.sharer.userId}`)}>
                      {d.source.sharer.nickname}
                    </a>{' '}
                    分享带来
                  </>
                ) : null}
              </Typography.Text>
            </Space>
          </Col>
        </Row>
      </Card>
      <Row gutter={12}>
        <Col span={8}>
          <Card size="small">
            <Statistic title="最近消费（R）" value={recencyText(m.recencyDays)} />
            <Typography.Text type="secondary">
              {m.lastPaidAt ? shopTime(m.lastPaidAt, 'YYYY-MM-DD HH:mm') : ''}
              {avg ? ` · 全店平均 ${avg.recencyDays} 天前` : ''}
            </Typography.Text>
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small">
            <Statistic title="消费次数（F）" value={m.orders} suffix="次" />
            <Typography.Text type="secondary">{avg ? `全店平均 ${avg.orders} 次` : ''}</Typography.Text>
          </Card>
        </Col>
        <Col span={8}>
          <Card size="small">
            <Statistic title="消费金额（M）" value={formatFen(m.spentFen)} />
            <Typography.Text type="secondary">{avg ? `全店平均 ${formatFen(avg.spentFen)}（已扣除退款）` : '已扣除退款'}</Typography.Text>
          </Card>
        </Col>
      </Row>
      <Card size="small" title={`订单（最近 ${d.orders.length} 笔）`}>
        <Table<AdminOrderRow>
          size="small"
          rowKey="id"
          pagination={false}
          dataSource={d.orders}
          locale={{ emptyText: '还没有下过单' }}
          columns={[
            {
              title: '订单编号',
              dataIndex: 'orderNo',
              render: (no: string, o) => (
                <a href={`/admin/orders?order=${o.id}`} style={{ fontFamily: 'monospace' }} onClick={go(`/orders?order=${o.id}`)}>
                  {no}
                </a>
              ),
            },
            { title: '下单时间', dataIndex: 'createdAt', width: 150, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
            { title: '实付', dataIndex: 'payableFen', width: 110, align: 'right', render: (v: number) => formatFen(v) },
            {
              title: '状态',
              dataIndex: 'status',
              width: 100,
              render: (s: AdminOrderRow['status']) => <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag>,
            },
          ]}
        />
      </Card>
      <Row gutter={12}>
        <Col span={14}>
          <Card size="small" title="优惠券">
            {d.coupons.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description="没有优惠券" />
            ) : (
              <Table
                size="small"
                rowKey={(c) => `${c.title}-${c.claimedAt}`}
                pagination={false}
                dataSource={d.coupons}
                columns={[
                  { title: '券', dataIndex: 'title' },
                  { title: '规则', dataIndex: 'ruleText', width: 140 },
                  {
                    title: '状态',
                    dataIndex: 'status',
                    width: 90,
                    render: (s: keyof typeof COUPON_STATUS) => <Tag color={COUPON_STATUS[s].color}>{COUPON_STATUS[s].label}</Tag>,
                  },
                  { title: '领取', dataIndex: 'claimedAt', width: 140, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
                  { title: '有效期至', dataIndex: 'validTo', width: 140, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
                ]}
              />
            )}
          </Card>
        </Col>
        <Col span={10}>
          <Card size="small" title="邀请与收益">
            <Descriptions column={1} size="small">
              <Descriptions.Item label="直播间邀请（已计入）">{d.invites.room} 人</Descriptions.Item>
              <Descriptions.Item label="9.9 助力邀请（已计入）">{d.invites.deal} 人</Descriptions.Item>
              <Descriptions.Item label="待结算收益">{formatFen(d.earnings.pendingFen)}</Descriptions.Item>
              <Descriptions.Item label="可提现收益">{formatFen(d.earnings.settledFen)}</Descriptions.Item>
              <Descriptions.Item label="已提现">{formatFen(d.earnings.withdrawnFen)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
    </Space>
  )
}
