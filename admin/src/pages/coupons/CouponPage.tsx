/**
 * 优惠券详情 (/marketing/coupons/:id): the coupon's rule and window, its figures (领取, 发放, 使用, GMV,
 * 优惠金额), its grants (发放记录), and 发给客户 (the customers page, with this coupon to issue).
 */
import { ArrowLeftOutlined, EditOutlined, ReloadOutlined, SendOutlined } from '@ant-design/icons'
import { Button, Card, Col, Descriptions, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { AdminCoupon, CouponGrant, Segment } from '../../../../cloud/contract'
import { call } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps, navigate } from '../../router'
import { StatusActions, StatusTag, windowText } from './coupon-ui'

const SEGMENT_LABEL: Record<Segment, string> = {
  important_value: '重要价值客户',
  important_develop: '重要发展客户',
  important_keep: '重要保持客户',
  important_retain: '重要挽留客户',
  general_value: '一般价值客户',
  general_develop: '一般发展客户',
  general_keep: '一般保持客户',
  general_retain: '一般挽留客户',
}

export default function CouponPage({ id }: { id: string }) {
  const loaded = useLoad(() => call('admin', 'coupon', { couponId: id }), [id])
  const [c, setC] = useState<AdminCoupon | null>(null)
  useEffect(() => setC(loaded.data?.coupon ?? null), [loaded.data])

  if (loaded.error) return <LoadError message={loaded.error} onRetry={loaded.reload} />
  if (!c || !loaded.data) return <CenteredSpin />
  const grants = loaded.data.grants
  const useRate = c.figures.claimed + c.figures.granted > 0 ? c.figures.used / (c.figures.claimed + c.figures.granted) : 0

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/marketing/coupons')}>
            返回列表
          </Button>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.title}
          </Typography.Title>
          <StatusTag status={c.status} />
          {c.room ? <Tag color="magenta">直播专享 · {c.room.title}</Tag> : null}
        </Space>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={loaded.reload}>
            刷新
          </Button>
          <Button icon={<EditOutlined />} {...linkProps(`/marketing/coupons/${encodeURIComponent(c.couponId)}/edit`)}>
            编辑
          </Button>
          <StatusActions coupon={c} onChanged={setC} />
          <Button
            type="primary"
            icon={<SendOutlined />}
            disabled={c.status === 'ended'}
            {...linkProps(`/customers?issue=${encodeURIComponent(c.couponId)}`)}
          >
            发给客户
          </Button>
        </Space>
      </Space>
      <Card size="small">
        <Descriptions size="small" column={3}>
          <Descriptions.Item label="规则">
            <Typography.Text strong data-testid="coupon-rule">
              {c.ruleText}
            </Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="适用范围">
            {c.scope === 'all'
              ? '全部商品'
              : c.scope === 'products'
                ? `指定商品（${c.scopeIds.length}）`
                : `指定分类（${c.scopeIds.length}）`}
            {c.allowOnSpecial ? '，含特价商品' : ''}
          </Descriptions.Item>
          <Descriptions.Item label="每人限领">{c.perUserLimit} 张</Descriptions.Item>
          <Descriptions.Item label="领取时间">{windowText(c)}</Descriptions.Item>
          <Descriptions.Item label="使用有效期">{c.validDays ? `领取后 ${c.validDays} 天` : '与领取时间相同'}</Descriptions.Item>
          <Descriptions.Item label="创建时间">{shopTime(c.createdAt, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Row gutter={16}>
        <Col span={4}>
          <Card size="small">
            <Statistic title="已领取 / 库存" value={c.figures.claimed} suffix={`/ ${c.stock}`} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="店铺发放" value={c.figures.granted} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="已使用" value={c.figures.used} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="使用率" value={(useRate * 100).toFixed(1)} suffix="%" />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="用券订单 GMV" value={formatFen(c.figures.gmvFen)} />
          </Card>
        </Col>
        <Col span={4}>
          <Card size="small">
            <Statistic title="优惠金额" value={formatFen(c.figures.discountFen)} />
          </Card>
        </Col>
      </Row>
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        已使用：用这张券付款且未退款的订单（含退款处理中）；GMV 为这些订单的实付金额，已退款的订单不计。
      </Typography.Text>
      <Card size="small" title="发放记录">
        <Table<CouponGrant>
          rowKey="grantKey"
          dataSource={grants}
          pagination={false}
          locale={{ emptyText: '还没有发放记录，点击「发给客户」按分群或指定客户发券' }}
          columns={[
            {
              title: '发放对象',
              dataIndex: 'segment',
              render: (s: Segment | null) => (s ? <Tag color="blue">{SEGMENT_LABEL[s]}</Tag> : <Tag>指定客户</Tag>),
            },
            { title: '已发', dataIndex: 'issued', width: 100, align: 'right' },
            { title: '已用', dataIndex: 'used', width: 100, align: 'right' },
            { title: '已通知', dataIndex: 'notified', width: 100, align: 'right' },
            { title: '时间', dataIndex: 'createdAt', width: 180, render: (t: string) => shopTime(t, 'YYYY-MM-DD HH:mm') },
            { title: '操作人', dataIndex: 'actorName', width: 140 },
          ]}
        />
      </Card>
    </Space>
  )
}
