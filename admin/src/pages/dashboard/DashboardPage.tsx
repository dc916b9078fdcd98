/** 概览: the shop's figures for today / 7 / 30 days, the trend, where the money came from, and the tops. */
import { ReloadOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Col, Empty, Row, Segmented, Space, Statistic, Table, Tooltip, Typography } from 'antd'
import type { DashboardOutput, DashboardRange, OrderSource } from '../../../../cloud/contract'
import { call } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen, percent } from '../../lib/money'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { setQuery, useLocation } from '../../router'
import { SourceChart, TrendChart } from './TrendChart'

const RANGES: Array<{ label: string; value: DashboardRange }> = [
  { label: '今日', value: 'today' },
  { label: '近7天', value: '7d' },
  { label: '近30天', value: '30d' },
]
/** The range's days on the shop's clock: `to` is the start of the day after the last one. */
function rangeText(from: string, to: string): string {
  const first = shopTime(from, 'M月D日')
  const last = shopTime(new Date(Date.parse(to) - 1).toISOString(), 'M月D日')
  return first === last ? first : `${first} – ${last}`
}
export const SOURCE_LABEL: Record<OrderSource, string> = { live: '直播', deal: '9.9新人', sharer: '分享', mall: '商城' }

function Metric({ id, title, value, hint }: { id: string; title: string; value: string; hint: string }) {
  return (
    <Card size="small" data-testid={`metric-${id}`}>
      <Tooltip title={hint}>
        <Statistic title={title} value={value} valueStyle={{ fontSize: 24 }} />
      </Tooltip>
    </Card>
  )
}

export default function DashboardPage() {
  const { query } = useLocation()
  const asked = query.get('range')
  const range: DashboardRange = asked === '7d' || asked === '30d' ? asked : 'today'
  const { data, loading, error, reload } = useLoad(() => call('admin', 'dashboard', { range }), [range])

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          概览
        </Typography.Title>
        <Space>
          {data ? <Typography.Text type="secondary">{rangeText(data.from, data.to)}</Typography.Text> : null}
          <Segmented options={RANGES} value={range} onChange={(v) => setQuery({ range: v === 'today' ? null : v })} />
          <Button icon={<ReloadOutlined />} onClick={reload} loading={loading && !!data}>
            刷新
          </Button>
        </Space>
      </Space>
      {error ? <LoadError message={error} onRetry={reload} /> : !data ? <CenteredSpin /> : <Figures data={data} />}
    </Space>
  )
}

function Figures({ data }: { data: DashboardOutput }) {
  const m = data.metrics
  const slices = data.sources.filter((s) => s.gmvFen > 0 || s.paidOrders > 0).map((s) => ({ ...s, name: SOURCE_LABEL[s.source] }))
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Row gutter={[16, 16]}>
        <Col span={4}>
          <Metric id="gmv" title="成交额" value={formatFen(m.gmvFen)} hint="区间内支付的订单实付金额，不含已退款订单" />
        </Col>
        <Col span={4}>
          <Metric id="orders" title="支付订单" value={String(m.paidOrders)} hint="区间内支付且未退款的订单数" />
        </Col>
        <Col span={4}>
          <Metric id="customers" title="支付人数" value={String(m.payingCustomers)} hint="区间内有支付订单的顾客数" />
        </Col>
        <Col span={4}>
          <Metric id="new" title="新客" value={String(m.newCustomers)} hint="首笔支付订单落在区间内的顾客数" />
        </Col>
        <Col span={4}>
          <Metric id="avg" title="客单价" value={formatFen(m.avgOrderFen)} hint="成交额 ÷ 支付订单" />
        </Col>
        <Col span={4}>
          <Metric
            id="refund"
            title="退款率"
            value={percent(m.refundRate)}
            hint={`区间内支付订单中已退款的比例（退款 ${formatFen(m.refundedFen)}）`}
          />
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col span={16}>
          <Card title={data.range === 'today' ? '今日趋势（按小时）' : '趋势（按天）'} size="small">
            <TrendChart points={data.trend} />
          </Card>
        </Col>
        <Col span={8}>
          <Card title="成交来源" size="small">
            {slices.length ? (
              <SourceChart slices={slices} />
            ) : (
              <Empty style={{ height: 296, paddingTop: 90 }} description="区间内暂无成交" />
            )}
          </Card>
        </Col>
      </Row>
      <Row gutter={[16, 16]}>
        <Col span={12}>
          <Card title="热销商品" size="small">
            <Table
              size="small"
              rowKey="productId"
              pagination={false}
              dataSource={data.topProducts}
              locale={{ emptyText: '区间内暂无成交' }}
              columns={[
                {
                  title: '商品',
                  dataIndex: 'title',
                  render: (t: string, r) => (
                    <Space>
                      <Avatar shape="square" size={36} src={r.cover} />
                      {t}
                    </Space>
                  ),
                },
                { title: '件数', dataIndex: 'units', align: 'right', width: 80 },
                { title: '成交额', dataIndex: 'gmvFen', align: 'right', width: 120, render: (v: number) => formatFen(v) },
              ]}
            />
          </Card>
        </Col>
        <Col span={12}>
          <Card title="分享达人" size="small">
            <Table
              size="small"
              rowKey="userId"
              pagination={false}
              dataSource={data.topSharers}
              locale={{ emptyText: '区间内暂无分享成交' }}
              columns={[
                { title: '昵称', dataIndex: 'nickname' },
                { title: '订单', dataIndex: 'orders', align: 'right', width: 70 },
                { title: '成交额', dataIndex: 'gmvFen', align: 'right', width: 110, render: (v: number) => formatFen(v) },
                { title: '佣金', dataIndex: 'commissionFen', align: 'right', width: 100, render: (v: number) => formatFen(v) },
              ]}
            />
          </Card>
        </Col>
      </Row>
    </Space>
  )
}
