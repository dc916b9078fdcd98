/**
 * 直播报告: what a show did, laid out for the merchant — viewers, peak, likes, comments, credited
 * invites, orders, buyers, GMV and conversion; the top sharers; the coupons claimed and used here; the
 * goods pushed with their sales; and 导出分享记录 as a CSV Excel opens (UTF-8 with a BOM).
 */
import { ArrowLeftOutlined, DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { RoomReport } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { csvText, downloadText } from '../../lib/download'
import { formatFen, percent } from '../../lib/money'
import { shopNow, shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps } from '../../router'
import { durationText, ROOM_STATUS_COLOR, ROOM_STATUS_LABEL } from './labels'

type Sharer = RoomReport['topSharers'][number]
type ReportCoupon = RoomReport['coupons'][number]
type Goods = RoomReport['goods'][number]

export default function RoomReportPage({ id }: { id: string | null }) {
  const roomId = id ?? ''
  const { message } = App.useApp()
  const report = useLoad(() => call('admin', 'roomReport', { roomId }), [roomId])
  const [exporting, setExporting] = useState(false)

  const exportShares = async () => {
    setExporting(true)
    try {
      const { items } = await call('admin', 'shareRecords', { roomId })
      if (items.length === 0) {
        message.info('本场还没有分享记录')
        return
      }
      const rows = [
        ['分享者ID', '分享者昵称', '观众ID', '观众昵称', '进入时间'],
        ...items.map((r) => [r.sharerId, r.sharerNickname, r.viewerId, r.viewerNickname, shopTime(r.createdAt)]),
      ]
      downloadText(`分享记录-${report.data?.room.title ?? roomId}-${shopNow('YYYYMMDD-HHmm')}.csv`, csvText(rows))
      message.success(`已导出 ${items.length} 条分享记录`)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setExporting(false)
    }
  }

  if (report.error) return <LoadError message={report.error} onRetry={report.reload} />
  const r = report.data
  if (!r) return <CenteredSpin />

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Button icon={<ArrowLeftOutlined />} {...linkProps('/live')}>
            返回
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }}>
            直播报告 · {r.room.title}
          </Typography.Title>
          <Tag color={ROOM_STATUS_COLOR[r.room.status]}>{ROOM_STATUS_LABEL[r.room.status]}</Tag>
        </Space>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={report.reload} loading={report.loading}>
            刷新
          </Button>
          <Button {...linkProps(`/live/${encodeURIComponent(roomId)}/console`)}>进入控制台</Button>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportShares()}>
            导出分享记录
          </Button>
        </Space>
      </Space>
      <Typography.Text type="secondary">
        主播 {r.room.anchorName} ·{' '}
        {r.room.startedAt
          ? `开播于 ${shopTime(r.room.startedAt, 'YYYY-MM-DD HH:mm')}`
          : `未开播（预计开播 ${shopTime(r.room.startsAt, 'YYYY-MM-DD HH:mm')}）`}
        {r.room.endedAt ? ` · 结束 ${shopTime(r.room.endedAt, 'YYYY-MM-DD HH:mm')}` : ''} · 时长 {durationText(r.durationSec)}
        {r.room.status === 'live' ? '（直播中，数据实时）' : ''}
      </Typography.Text>

      <Card size="small" title="核心数据" data-testid="report-figures">
        <Row gutter={[16, 16]}>
          {[
            ['观看人数', r.viewers],
            ['最高在线', r.peakViewers],
            ['点赞', r.likes],
            ['评论', r.comments],
            ['邀请成功', r.credits],
            ['订单数', r.orders],
            ['下单人数', r.buyers],
            ['成交额', formatFen(r.gmvFen)],
            ['转化率', percent(r.conversion)],
          ].map(([title, value]) => (
            <Col span={4} key={title as string}>
              <Statistic title={title} value={value as string | number} />
            </Col>
          ))}
        </Row>
        <Typography.Paragraph type="secondary" style={{ margin: '12px 0 0', fontSize: 12 }}>
          订单与成交额只计本场直播间下单、已支付且未退款的订单；转化率 = 下单人数 ÷ 观看人数；最高在线为直播中每 15
          秒采样一次的同时在线人数（60 秒内有访问即算在线）。
        </Typography.Paragraph>
      </Card>

      <Card size="small" title="分享排行（不含店员）">
        <Table<Sharer>
          rowKey="userId"
          size="small"
          pagination={false}
          dataSource={r.topSharers}
          locale={{ emptyText: '本场还没有成功邀请' }}
          data-testid="report-sharers"
          columns={[
            { title: '排名', width: 70, render: (_: unknown, __, i) => i + 1 },
            { title: '分享者', dataIndex: 'nickname' },
            { title: '邀请成功', dataIndex: 'invites', width: 110, align: 'right' },
            { title: '带来订单', dataIndex: 'orders', width: 110, align: 'right' },
            { title: '带来成交额', dataIndex: 'gmvFen', width: 140, align: 'right', render: (v: number) => formatFen(v) },
          ]}
        />
      </Card>

      <Card size="small" title="优惠券（本场发出或直播专享）">
        <Table<ReportCoupon>
          rowKey="couponId"
          size="small"
          pagination={false}
          dataSource={r.coupons}
          locale={{ emptyText: '本场没有发券' }}
          data-testid="report-coupons"
          columns={[
            { title: '券', dataIndex: 'title' },
            { title: '规则', dataIndex: 'ruleText', width: 200 },
            { title: '本场领取', dataIndex: 'claimed', width: 110, align: 'right' },
            { title: '已使用', dataIndex: 'used', width: 110, align: 'right' },
            { title: '优惠金额', dataIndex: 'discountFen', width: 140, align: 'right', render: (v: number) => formatFen(v) },
            {
              title: '赛后发放',
              key: 'granted',
              width: 150,
              align: 'right',
              render: (_: unknown, c: ReportCoupon) => (c.granted ? `${c.granted} 张（已用 ${c.grantedUsed}）` : '—'),
            },
          ]}
        />
      </Card>

      <Card size="small" title="直播商品">
        <Table<Goods>
          rowKey="productId"
          size="small"
          pagination={false}
          dataSource={r.goods}
          locale={{ emptyText: '本场没有推送或售出商品' }}
          data-testid="report-goods"
          columns={[
            {
              title: '商品',
              dataIndex: 'title',
              render: (title: string, g: Goods) => (
                <>
                  {title}
                  {g.pushed ? null : (
                    <Tag style={{ marginLeft: 8 }} title="没有在本场推送，观众从直播间的卡片或链接购买">
                      未推送
                    </Tag>
                  )}
                </>
              ),
            },
            { title: '售出件数', dataIndex: 'units', width: 110, align: 'right' },
            { title: '成交额', dataIndex: 'gmvFen', width: 140, align: 'right', render: (v: number) => formatFen(v) },
          ]}
        />
      </Card>
    </Space>
  )
}
