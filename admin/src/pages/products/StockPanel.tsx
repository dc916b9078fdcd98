/**
 * A product's stock: each SKU's stock with 调整库存 (± a quantity, with a reason), and 库存记录 —
 * every change with who, why and the stock after it.
 */
import { Alert, App, Button, Form, Input, InputNumber, Modal, Radio, Space, Table, Tag, Typography } from 'antd'
import { useCallback, useEffect, useState } from 'react'
import type { Sku, StockChange } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { shopTime } from '../../lib/time'

export const LOW_STOCK = 10
const REASONS = ['到货入库', '盘点修正', '损耗报废', '退货入库']

/** The 调整库存 dialog for one SKU: answers the new stock through `onDone`. */
export function AdjustStockModal({
  sku,
  open,
  onClose,
  onDone,
}: {
  sku: { id: string; specText: string; stock: number } | null
  open: boolean
  onClose: () => void
  onDone: (skuId: string, stock: number) => void
}) {
  const { message } = App.useApp()
  const [form] = Form.useForm<{ direction: 'in' | 'out'; qty: number | null; reason: string }>()
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const direction = Form.useWatch('direction', form)
  const qty = Form.useWatch('qty', form)

  useEffect(() => {
    if (open) {
      form.resetFields()
      setRefusal(null)
    }
  }, [open, form])

  const submit = async () => {
    if (!sku) return
    const v = await form.validateFields().catch(() => null)
    // The form shows what is missing at its fields.
    if (!v) return
    const delta = (v.direction === 'out' ? -1 : 1) * (v.qty ?? 0)
    setSaving(true)
    setRefusal(null)
    try {
      const r = await call('admin', 'adjustStock', { skuId: sku.id, delta, reason: v.reason.trim() })
      message.success(`库存已调整为 ${r.stock}`)
      onDone(r.skuId, r.stock)
      onClose()
    } catch (err) {
      setRefusal(err instanceof ApiError && err.code === 'OUT_OF_STOCK' ? '库存不足：减少的数量不能超过当前库存' : messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const after = sku && typeof qty === 'number' ? sku.stock + (direction === 'out' ? -qty : qty) : null
  return (
    <Modal
      title="调整库存"
      open={open}
      onCancel={onClose}
      onOk={() => void submit()}
      okText="确认调整"
      cancelText="取消"
      confirmLoading={saving}
      destroyOnHidden
    >
      {sku ? (
        <Typography.Paragraph>
          规格：<strong>{sku.specText || '默认'}</strong>，当前库存 <strong data-testid="adjust-current">{sku.stock}</strong>
        </Typography.Paragraph>
      ) : null}
      <Form form={form} layout="vertical" initialValues={{ direction: 'in', qty: null, reason: '' }}>
        <Form.Item name="direction" label="方向">
          <Radio.Group
            options={[
              { label: '增加', value: 'in' },
              { label: '减少', value: 'out' },
            ]}
            optionType="button"
          />
        </Form.Item>
        <Form.Item
          name="qty"
          label="数量"
          rules={[
            { required: true, message: '请输入调整数量' },
            { type: 'integer', min: 1, max: 1_000_000, message: '数量为 1 到 1000000 的整数' },
          ]}
          extra={
            after !== null ? after < 0 ? <Typography.Text type="danger">调整后库存将小于 0</Typography.Text> : `调整后库存 ${after}` : null
          }
        >
          <InputNumber min={1} max={1_000_000} precision={0} style={{ width: 200 }} placeholder="件数" />
        </Form.Item>
        <Form.Item
          name="reason"
          label="原因"
          rules={[
            { required: true, whitespace: true, message: '请填写调整原因' },
            { max: 60, message: '原因最多 60 个字' },
          ]}
        >
          <Input placeholder="如：到货入库、盘点修正" maxLength={60} showCount />
        </Form.Item>
        <Space wrap>
          {REASONS.map((r) => (
            <Tag key={r} style={{ cursor: 'pointer' }} onClick={() => form.setFieldValue('reason', r)}>
              {r}
            </Tag>
          ))}
        </Space>
      </Form>
      {refusal ? <Alert style={{ marginTop: 16 }} type="error" showIcon message={refusal} /> : null}
    </Modal>
  )
}

/** 库存记录: newest first, 加载更多 for older pages. `version` reloads it (after an adjustment). */
export function StockChanges({ productId, version }: { productId: string; version: number }) {
  const [items, setItems] = useState<StockChange[]>([])
  const [next, setNext] = useState<string | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)

  const load = useCallback(
    async (cursor: string | null) => {
      setLoading(true)
      setError(null)
      try {
        const r = await call('admin', 'stockChanges', { productId, cursor })
        setItems((old) => (cursor ? [...old, ...r.items] : r.items))
        setNext(r.nextCursor)
      } catch (err) {
        setError(messageOf(err))
      } finally {
        setLoading(false)
      }
    },
    [productId],
  )
  useEffect(() => {
    void load(null)
  }, [load, version])

  return (
    <div data-testid="stock-changes">
      {error ? (
        <Alert
          type="error"
          showIcon
          message={`库存记录加载失败：${error}`}
          action={<Button onClick={() => void load(null)}>重试</Button>}
        />
      ) : null}
      <Table
        size="small"
        rowKey="id"
        loading={loading}
        dataSource={items}
        pagination={false}
        locale={{ emptyText: '暂无库存记录' }}
        columns={[
          { title: '时间', dataIndex: 'at', width: 160, render: (v: string) => shopTime(v) },
          { title: '规格', dataIndex: 'specText', render: (v: string) => v || '默认' },
          {
            title: '变动',
            dataIndex: 'delta',
            width: 90,
            align: 'right',
            render: (v: number) => <Typography.Text type={v < 0 ? 'danger' : 'success'}>{v > 0 ? `+${v}` : v}</Typography.Text>,
          },
          { title: '变动后', dataIndex: 'stockAfter', width: 80, align: 'right' },
          { title: '原因', dataIndex: 'reason' },
          { title: '操作人', dataIndex: 'actorName', width: 110 },
        ]}
      />
      {next ? (
        <div style={{ textAlign: 'center', marginTop: 8 }}>
          <Button onClick={() => void load(next)} loading={loading}>
            加载更多
          </Button>
        </div>
      ) : null}
    </div>
  )
}

/** Each SKU's stock with its 调整 button, and the records below. */
export function StockPanel({
  productId,
  skus,
  onStock,
}: {
  productId: string
  skus: Sku[]
  onStock: (skuId: string, stock: number) => void
}) {
  const [adjusting, setAdjusting] = useState<Sku | null>(null)
  const [version, setVersion] = useState(0)
  return (
    <Space direction="vertical" style={{ width: '100%' }} size={16}>
      <Table
        size="small"
        rowKey="id"
        pagination={false}
        dataSource={skus}
        columns={[
          { title: '规格', dataIndex: 'specText', render: (v: string) => v || '默认' },
          {
            title: '库存',
            dataIndex: 'stock',
            width: 140,
            render: (v: number) => (
              <Space>
                {v}
                {v <= LOW_STOCK ? <Tag color="orange">库存紧张</Tag> : null}
              </Space>
            ),
          },
          {
            title: '操作',
            width: 100,
            render: (_: unknown, sku: Sku) => (
              <Button size="small" onClick={() => setAdjusting(sku)}>
                调整库存
              </Button>
            ),
          },
        ]}
      />
      <Typography.Title level={5} style={{ margin: 0 }}>
        库存记录
      </Typography.Title>
      <StockChanges productId={productId} version={version} />
      <AdjustStockModal
        sku={adjusting}
        open={!!adjusting}
        onClose={() => setAdjusting(null)}
        onDone={(skuId, stock) => {
          onStock(skuId, stock)
          setVersion((n) => n + 1)
        }}
      />
    </Space>
  )
}
