/** An order's detail in a drawer: items, address (copyable), payment, coupon, sharer, room, deal, refund, the timeline and its actions. */
import { Avatar, Descriptions, Drawer, Empty, Space, Table, Tag, Timeline, Typography } from 'antd'
import type { AdminOrderDetail, OrderItem } from '../../../../cloud/contract'
import { call } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { ACTOR_LABEL, eventLabel, PROVIDER_LABEL, groupTag, refundState, STATUS_COLOR, STATUS_LABEL } from './labels'
import { OrderActions } from './OrderActions'

const time = (iso: string | null | undefined) => shopTime(iso)

export function OrderDrawer({ orderId, onClose, onChanged }: { orderId: string | null; onClose: () => void; onChanged: () => void }) {
  const detail = useLoad(() => (orderId ? call('admin', 'order', { orderId }) : Promise.resolve(null)), [orderId])
  const d = detail.data
  return (
    <Drawer
      width={760}
      open={!!orderId}
      onClose={onClose}
      destroyOnHidden
      title={d ? `订单 ${d.order.orderNo}` : '订单详情'}
      extra={
        d ? (
          <Space size={4}>
            <Tag color={STATUS_COLOR[d.order.status]}>{STATUS_LABEL[d.order.status]}</Tag>
            {groupTag(d.order.group) ? <Tag color={groupTag(d.order.group)!.color}>{groupTag(d.order.group)!.text}</Tag> : null}
          </Space>
        ) : null
      }
      footer={
        d ? (
          <OrderActions
            order={d.order}
            onChanged={() => {
              detail.reload()
              onChanged()
            }}
          />
        ) : null
      }
    >
      {detail.error ? <LoadError message={detail.error} onRetry={detail.reload} /> : !d ? <CenteredSpin /> : <Body d={d} />}
    </Drawer>
  )
}

function Body({ d }: { d: AdminOrderDetail }) {
  const o = d.order
  const a = o.address
  // The line the server formats (a municipality's city once), as the export writes it.
  const addressText = a ? `${a.name} ${a.phone} ${o.addressText}` : ''
  const refund = refundState(d)
  return (
    <Space direction="vertical" size={20} style={{ width: '100%' }} data-testid="order-detail">
      <Descriptions size="small" column={2} bordered title="订单信息">
        <Descriptions.Item label="订单编号">
          <Typography.Text copyable>{o.orderNo}</Typography.Text>
        </Descriptions.Item>
        <Descriptions.Item label="买家">{o.buyer.nickname}</Descriptions.Item>
        <Descriptions.Item label="下单时间">{time(o.createdAt)}</Descriptions.Item>
        <Descriptions.Item label="支付时间">{time(o.paidAt)}</Descriptions.Item>
        <Descriptions.Item label="买家留言" span={2}>
          {o.note || '—'}
        </Descriptions.Item>
        <Descriptions.Item label="收货地址" span={2}>
          {a ? <Typography.Text copyable={{ text: addressText, tooltips: ['复制地址', '已复制'] }}>{addressText}</Typography.Text> : '—'}
        </Descriptions.Item>
      </Descriptions>

      <Table<OrderItem>
        size="small"
        rowKey="skuId"
        pagination={false}
        dataSource={o.items}
        columns={[
          {
            title: '商品',
            dataIndex: 'title',
            render: (t: string, i) => (
              <Space>
                <Avatar shape="square" size={40} src={i.cover} />
                <div>
                  <div>{t}</div>
                  <div style={{ color: '#999', fontSize: 12 }}>{i.specText}</div>
                </div>
              </Space>
            ),
          },
          { title: '单价', dataIndex: 'unitPriceFen', align: 'right', width: 100, render: (v: number) => formatFen(v) },
          { title: '数量', dataIndex: 'qty', align: 'right', width: 60 },
          { title: '小计', dataIndex: 'lineFen', align: 'right', width: 110, render: (v: number) => formatFen(v) },
        ]}
        summary={() => (
          <Table.Summary.Row>
            <Table.Summary.Cell index={0} colSpan={4} align="right">
              <Space size={16}>
                <span>商品 {formatFen(o.goodsFen)}</span>
                {o.memberSavingFen > 0 ? <span>会员价已省 −{formatFen(o.memberSavingFen)}</span> : null}
                <span>优惠 −{formatFen(o.discountFen)}</span>
                {o.pointsUsed > 0 ? (
                  <span>
                    积分抵扣（{o.pointsUsed}积分） −{formatFen(o.pointsFen)}
                  </span>
                ) : null}
                <strong>实付 {formatFen(o.payableFen)}</strong>
              </Space>
            </Table.Summary.Cell>
          </Table.Summary.Row>
        )}
      />

      <Descriptions size="small" column={2} bordered title="支付与来源">
        <Descriptions.Item label="支付">
          {d.payment ? `${PROVIDER_LABEL[d.payment.provider] ?? d.payment.provider} ${formatFen(d.payment.amountFen)}` : '未支付'}
        </Descriptions.Item>
        <Descriptions.Item label="交易单号">
          {d.payment?.transactionId ? <Typography.Text copyable>{d.payment.transactionId}</Typography.Text> : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="优惠券">{d.coupon ? `${d.coupon.title}（−${formatFen(d.coupon.discountFen)}）` : '—'}</Descriptions.Item>
        <Descriptions.Item label="分享者">
          {d.sharer ? `${d.sharer.nickname}（佣金 ${formatFen(d.sharer.commissionFen)}）` : '—'}
        </Descriptions.Item>
        <Descriptions.Item label="直播间">{d.room ? d.room.title : '—'}</Descriptions.Item>
        <Descriptions.Item label="9.9新人">{d.deal ? '是' : '—'}</Descriptions.Item>
      </Descriptions>

      {o.logistics ? (
        <Descriptions size="small" column={3} bordered title="物流">
          <Descriptions.Item label="快递公司">{o.logistics.carrier}</Descriptions.Item>
          <Descriptions.Item label="运单号">
            <Typography.Text copyable>{o.logistics.trackingNo}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label="发货时间">{time(o.logistics.shippedAt)}</Descriptions.Item>
        </Descriptions>
      ) : null}

      {d.refund && refund ? (
        <Descriptions size="small" column={2} bordered title="退款" data-testid="refund-block">
          <Descriptions.Item label="退款状态">{refund.state}</Descriptions.Item>
          {refund.amountFen !== null ? (
            <>
              <Descriptions.Item label="退款金额">{formatFen(refund.amountFen)}</Descriptions.Item>
              <Descriptions.Item label="退款时间">{time(d.refund.refundedAt)}</Descriptions.Item>
            </>
          ) : refund.state === '退款审核中' ? (
            <Descriptions.Item label="申请金额">{formatFen(o.payableFen)}</Descriptions.Item>
          ) : null}
          <Descriptions.Item label="退款原因">{d.refund.reason ?? '—'}</Descriptions.Item>
          <Descriptions.Item label="拒绝原因">{d.refund.rejectReason ?? '—'}</Descriptions.Item>
        </Descriptions>
      ) : null}

      <div>
        <Typography.Title level={5}>时间线</Typography.Title>
        {d.timeline.length ? (
          <Timeline
            data-testid="order-timeline"
            items={d.timeline.map((e) => ({
              color: e.to === 'refunded' || e.to === 'cancelled' ? 'gray' : e.to === 'refund_requested' ? 'red' : 'green',
              children: (
                <div>
                  <strong>{eventLabel(e)}</strong>
                  <span style={{ color: '#999', marginLeft: 8 }}>{time(e.at)}</span>
                  <div style={{ color: '#666', fontSize: 12 }}>
                    {ACTOR_LABEL[e.actor]}
                    {e.actorName ? ` · ${e.actorName}` : ''}
                    {e.note ? ` · ${e.note}` : ''}
                  </div>
                </div>
              ),
            }))}
          />
        ) : (
          <Empty description="暂无记录" />
        )}
      </div>
    </Space>
  )
}
