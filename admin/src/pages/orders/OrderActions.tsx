/**
 * What staff do to an order, each with its confirmation: 发货 (carrier + waybill; a warning when the
 * order has no address, which the server refuses), 同意退款 (with the amount), 拒绝退款 (a reason the
 * shopper reads, required), 主动退款 (售后: reason + amount). Both refunds ask 退回库存 (checked by
 * default; unchecked = 仅退款, the units stay with the buyer; fixed on for an order never shipped).
 * A 409 (the order changed meanwhile) shows its message and reloads the order.
 */
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space, Tooltip, Typography } from 'antd'
import { useState } from 'react'
import type { AdminOrderRow } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { formatFen } from '../../lib/money'
import { CARRIERS, shipBlocked } from './labels'
import { foldTrackingNo, TRACKING_NO_PATTERN } from './ship-csv'

type Dialog = 'ship' | 'approve' | 'reject' | 'refund' | null

/**
 * The 退回库存 choice of a refund: an order never shipped has its goods in the shop, so its stock
 * always goes back (the box is fixed on); a shipped one's goods are with the buyer unless returned.
 */
export function RestockChoice({ shipped, value, onChange }: { shipped: boolean; value: boolean; onChange: (v: boolean) => void }) {
  return (
    <div style={{ marginBottom: 12 }}>
      <Checkbox checked={shipped ? value : true} disabled={!shipped} onChange={(e) => onChange(e.target.checked)} aria-label="退回库存">
        退回库存（买家已退货，或尚未发货）
      </Checkbox>
      <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>
        {!shipped ? '订单尚未发货，退款后库存退回' : value ? '商品库存恢复' : '仅退款，货品不退回库存'}
      </div>
    </div>
  )
}

export function OrderActions({ order, onChanged }: { order: AdminOrderRow; onChanged: () => void }) {
  const { message } = App.useApp()
  const [dialog, setDialog] = useState<Dialog>(null)
  const [busy, setBusy] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [restock, setRestock] = useState(true)
  // Shipped (or shipped, then completed or asked back): the goods left the shop.
  const shipped = !!order.logistics
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
    setRestock(true)
    setDialog(d)
  }
  /** What a refund sends about stock: nothing for an order never shipped (always restocked), else the box. */
  const restockArg = () => (shipped ? { restock } : {})
  const stockWords = !shipped || restock ? '商品库存恢复' : '货品不退回库存（仅退款）'

  const s = order.status
  // A group order ships only once its group succeeded: 发货 is off, with the reason beside it.
  const blocked = shipBlocked(order)
  return (
    <>
      <Space wrap>
        {s === 'paid' ? (
          <Tooltip title={blocked}>
            <Button type="primary" disabled={blocked !== null} onClick={() => open('ship')}>
              发货
            </Button>
          </Tooltip>
        ) : null}
        {s === 'paid' && blocked ? <Typography.Text type="secondary">{blocked}</Typography.Text> : null}
        {s === 'refund_requested' ? (
          <>
            <Button type="primary" onClick={() => open('approve')}>
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
        okButtonProps={{ disabled: !order.address }}
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
            收货人：{order.address.name} {order.address.phone}，{order.addressText}
          </Typography.Paragraph>
        ) : (
          <Alert
            type="error"
            showIcon
            style={{ marginBottom: 16 }}
            message="该订单没有收货地址"
            description="没有地址不能发货，请联系买家；如不能补充，可主动退款。"
          />
        )}
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
                  !v || TRACKING_NO_PATTERN.test(foldTrackingNo(v))
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
        title="同意退款"
        open={dialog === 'approve'}
        onCancel={() => setDialog(null)}
        okText="同意退款"
        cancelText="取消"
        confirmLoading={busy}
        destroyOnHidden
        onOk={() => run(() => call('admin', 'approveRefund', { orderId: order.id, ...restockArg() }), '已同意退款')}
      >
        {order.refundReason ? <Typography.Paragraph>买家的退款原因：{order.refundReason}</Typography.Paragraph> : null}
        <RestockChoice shipped={shipped} value={restock} onChange={setRestock} />
        <Alert
          type="warning"
          showIcon
          message={`将原路退回 ${formatFen(order.payableFen)}，${stockWords}，分享佣金收回。此操作不能撤销。`}
        />
        {refusal ? <Alert type="error" showIcon style={{ marginTop: 12 }} message={refusal} /> : null}
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
          <ReasonField label="拒绝原因（买家可见）" name="拒绝原因" placeholder="如：商品已签收且已拆封，不支持无理由退款" />
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
          await run(() => call('admin', 'refund', { orderId: order.id, reason: v.reason!.trim(), ...restockArg() }), '已退款')
        }}
      >
        <RestockChoice shipped={shipped} value={restock} onChange={setRestock} />
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          message={`将原路退回买家 ${formatFen(order.payableFen)}，${stockWords}，分享佣金收回。此操作不能撤销。`}
        />
        <Form form={form} layout="vertical">
          <ReasonField label="退款原因" name="退款原因" placeholder="如：商品破损，协商全额退款" />
        </Form>
        {refusal ? <Alert type="error" showIcon message={refusal} /> : null}
      </Modal>
    </>
  )
}

/** A reason the merchant writes (the buyer reads it): required, at most 200 characters. */
function ReasonField({ label, name, placeholder }: { label: string; name: string; placeholder: string }) {
  return (
    <Form.Item
      name="reason"
      label={label}
      rules={[
        { required: true, whitespace: true, message: `请填写${name}` },
        { max: 200, message: '原因最多 200 个字' },
      ]}
    >
      <Input.TextArea rows={3} maxLength={200} showCount placeholder={placeholder} aria-label={name} />
    </Form.Item>
  )
}
