/**
 * What staff do to an order, each with its confirmation: 发货 (carrier + waybill), 同意退款 (with
 * the amount), 拒绝退款 (a reason the shopper reads, required), 主动退款 (售后: reason + amount).
 * A 409 (the order changed meanwhile) shows its message and reloads the order.
 */
import { Alert, App, Button, Form, Input, Modal, Select, Space, Typography } from 'antd'
import { useState } from 'react'
import type { AdminOrderRow } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { formatFen } from '../../lib/money'
import { CARRIERS } from './labels'

type Dialog = 'ship' | 'reject' | 'refund' | null

export function OrderActions({ order, onChanged }: { order: AdminOrderRow; onChanged: () => void }) {
  const { message, modal } = App.useApp()
  const [dialog, setDialog] = useState<Dialog>(null)
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [form] = Form.useForm<{ carrier?: (typeof CARRIERS)[number]; trackingNo?: string; reason?: string }>()

  const run = async (work: () => Promise<unknown>, done: string) => {
    setBusy(true)
    setRefusal(null)
    try {
      await work()
      message.success(done)
      setDialog(null)
      onChanged()
    } catch (err) {
      if (err instanceof ApiError && err.status === 409) {
        message.warning(err.message)
        setDialog(null)
        onChanged()
      } else setRefusal(messageOf(err))
    } finally {
      setBusy(false)
    }
  }

  const open = (d: Dialog) => {
    form.resetFields()
    setRefusal(null)
    setDialog(d)
  }

  const approve = () =>
    modal.confirm({
      title: '同意退款？',
      content: `将原路退回 ${formatFen(order.payableFen)}，商品库存恢复，分享佣金收回。此操作不能撤销。`,
      okText: '同意退款',
      cancelText: '取消',
      onOk: () => run(() => call('admin', 'approveRefund', { orderId: order.id }), '已同意退款'),
    })

  const s = order.status
  return (
    <>
      <Space wrap>
        {s === 'paid' ? (
          <Button type="primary" onClick={() => open('ship')}>
            发货
          </Button>
        ) : null}
        {s === 'refund_requested' ? (
          <>
            <Button type="primary" onClick={approve}>
              同意退款
            </Button>
            <Button danger onClick={() => open('reject')}>
              拒绝退款
            </Button>
          </>
        ) : null}
        {s === 'paid' || s === 'shipped' || s === 'completed' ? (
          <Button danger onClick={() => open('refund')}>
            主动退款
          </Button>
        ) : null}
      </Space>

      <Modal
        title={`发货 · 订单 ${order.orderNo}`}
        open={dialog === 'ship'}
        onCancel={() => setDialog(null)}
        okText="确认发货"
        cancelText="取消"
        confirmLoading={busy}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields().catch(() => null)
          if (!v) return
          await run(() => call('admin', 'ship', { orderId: order.id, carrier: v.carrier!, trackingNo: v.trackingNo!.trim() }), '已发货')
        }}
      >
        {order.address ? (
          <Typography.Paragraph type="secondary">
            收货人：{order.address.name} {order.address.phone}，{order.address.province}
            {order.address.city}
            {order.address.district}
            {order.address.detail}
          </Typography.Paragraph>
        ) : null}
        <Form form={form} layout="vertical">
          <Form.Item name="carrier" label="快递公司" rules={[{ required: true, message: '请选择快递公司' }]}>
            <Select placeholder="选择快递公司" options={CARRIERS.map((c) => ({ label: c, value: c }))} aria-label="快递公司" showSearch />
          </Form.Item>
          <Form.Item
            name="trackingNo"
            label="运单号"
            rules={[
              { required: true, whitespace: true, message: '请输入运单号' },
              {
                validator: (_, v: string | undefined) =>
                  !v || /^[A-Za-z0-9]{6,40}$/.test(v.replace(/[\s\-‐-―－]/g, ''))
                    ? Promise.resolve()
                    : Promise.reject(new Error('运单号为 6-40 位字母或数字')),
              },
            ]}
          >
            <Input placeholder="如 SF1234567890" maxLength={60} aria-label="运单号" />
          </Form.Item>
        </Form>
        {refusal ? <Alert type="error" showIcon message={refusal} /> : null}
      </Modal>

      <Modal
        title="拒绝退款"
        open={dialog === 'reject'}
        onCancel={() => setDialog(null)}
        okText="拒绝退款"
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={busy}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields().catch(() => null)
          if (!v) return
          await run(() => call('admin', 'rejectRefund', { orderId: order.id, reason: v.reason!.trim() }), '已拒绝退款')
        }}
      >
        {order.refundReason ? <Typography.Paragraph>买家的退款原因：{order.refundReason}</Typography.Paragraph> : null}
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label="拒绝原因（买家可见）"
            rules={[
              { required: true, whitespace: true, message: '请填写拒绝原因' },
              { max: 200, message: '原因最多 200 个字' },
            ]}
          >
            <Input.TextArea
              rows={3}
              maxLength={200}
              showCount
              placeholder="如：商品已签收且已拆封，不支持无理由退款"
              aria-label="拒绝原因"
            />
          </Form.Item>
        </Form>
        {refusal ? <Alert type="error" showIcon message={refusal} /> : null}
      </Modal>

      <Modal
        title="主动退款（售后）"
        open={dialog === 'refund'}
        onCancel={() => setDialog(null)}
        okText={`确认退款 ${formatFen(order.payableFen)}`}
        okButtonProps={{ danger: true }}
        cancelText="取消"
        confirmLoading={busy}
        destroyOnHidden
        onOk={async () => {
          const v = await form.validateFields().catch(() => null)
          if (!v) return
          await run(() => call('admin', 'refund', { orderId: order.id, reason: v.reason!.trim() }), '已退款')
        }}
      >
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`将原路退回买家 ${formatFen(order.payableFen)}，商品库存恢复，分享佣金收回。此操作不能撤销。`}
        />
        <Form form={form} layout="vertical">
          <Form.Item
            name="reason"
            label="退款原因"
            rules={[
              { required: true, whitespace: true, message: '请填写退款原因' },
              { max: 200, message: '原因最多 200 个字' },
            ]}
          >
            <Input.TextArea rows={3} maxLength={200} showCount placeholder="如：商品破损，协商全额退款" aria-label="退款原因" />
          </Form.Item>
        </Form>
        {refusal ? <Alert type="error" showIcon message={refusal} /> : null}
      </Modal>
    </>
  )
}
