/**
 * 秒杀: the sales by state (tabs in the URL), each with 已售 / 剩余 / 库存 refreshed every 5 s while the
 * page is visible; 新建 and 编辑 in a drawer (product and SKU picker); 结束 after a confirm.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import {
  App,
  Avatar,
  Button,
  Card,
  DatePicker,
  Drawer,
  Form,
  Input,
  InputNumber,
  Popconfirm,
  Progress,
  Radio,
  Space,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import type { AdminFlashSale, FlashState } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { fenToInput, formatFen, parseYuan, yuanProblem } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { SHOP_TZ, shopShort, shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLocation } from '../../router'
import { sendConfirmed } from '../../lib/confirm-warnings'
import { SkuPicker, type PickedSku } from '../deals/SkuPicker'

const REFRESH_MS = 5000
const STATES: Array<{ key: FlashState | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'upcoming', label: '未开始' },
  { key: 'active', label: '进行中' },
  { key: 'sold_out', label: '已抢光' },
  { key: 'ended', label: '已结束' },
]
const STATE_LABEL: Record<FlashState, string> = { upcoming: '未开始', active: '进行中', sold_out: '已抢光', ended: '已结束' }
const STATE_COLOR: Record<FlashState, string> = { upcoming: 'blue', active: 'green', sold_out: 'orange', ended: 'default' }
const isState = (s: string | null): s is FlashState => s === 'upcoming' || s === 'active' || s === 'sold_out' || s === 'ended'

/** The picker shows the shop's wall clock (Asia/Shanghai) whatever the computer's zone: convert both ways. */
const toPicker = (iso: string): Dayjs => dayjs(shopTime(iso, 'YYYY-MM-DD HH:mm'), 'YYYY-MM-DD HH:mm')
const fromPicker = (d: Dayjs): string => dayjs.tz(d.format('YYYY-MM-DD HH:mm'), SHOP_TZ).toISOString()

interface SaleForm {
  salePrice: string
  stock: number
  perUserLimit: number
  audience: 'all' | 'existing'
  window: [Dayjs, Dayjs]
}

function SaleDrawer({
  sale,
  open,
  onClose,
  onSaved,
}: {
  sale: AdminFlashSale | null
  open: boolean
  onClose: () => void
  onSaved: () => void
}) {
  const { message, modal } = App.useApp()
  const [form] = Form.useForm<SaleForm>()
  const [sku, setSku] = useState<PickedSku | null>(null)
  const [saving, setSaving] = useState(false)
  const requestKey = useRef(newRequestKey())
  const started = !!sale && new Date(sale.startsAt) <= new Date()

  useEffect(() => {
    if (!open) return
    requestKey.current = newRequestKey()
    setSku(null)
    form.resetFields()
    if (sale)
      form.setFieldsValue({
        salePrice: fenToInput(sale.salePriceFen),
        stock: sale.stock,
        perUserLimit: sale.perUserLimit,
        audience: sale.audience,
        window: [toPicker(sale.startsAt), toPicker(sale.endsAt)],
      })
  }, [open, sale, form])

  const showIssues = (err: unknown): boolean => {
    if (!(err instanceof ApiError)) return false
    const map: Record<string, keyof SaleForm> = {
      salePriceFen: 'salePrice',
      stock: 'stock',
      perUserLimit: 'perUserLimit',
      startsAt: 'window',
      endsAt: 'window',
    }
    const issues = err.fieldIssues().filter((i) => map[i.path])
    form.setFields(issues.map((i) => ({ name: map[i.path]!, errors: [i.message] })))
    return issues.length > 0
  }

  const submit = async (v: SaleForm) => {
    const startsAt = fromPicker(v.window[0])
    const endsAt = fromPicker(v.window[1])
    setSaving(true)
    try {
      if (sale) {
        const edit = {
          ...(!started && parseYuan(v.salePrice) !== sale.salePriceFen ? { salePriceFen: parseYuan(v.salePrice)! } : {}),
          ...(v.stock !== sale.stock ? { stock: v.stock } : {}),
          ...(v.perUserLimit !== sale.perUserLimit ? { perUserLimit: v.perUserLimit } : {}),
          ...(v.audience !== sale.audience ? { audience: v.audience } : {}),
          ...(!started && startsAt !== fromPicker(toPicker(sale.startsAt)) ? { startsAt } : {}),
          ...(endsAt !== fromPicker(toPicker(sale.endsAt)) ? { endsAt } : {}),
        }
        const r = await sendConfirmed(modal, '仍然提交', (confirm) =>
          call('admin', 'updateFlashSale', { flashSaleId: sale.flashSaleId, ...edit, ...(confirm ? { confirm } : {}) }),
        )
        if (!r) return
        message.success('秒杀已保存')
      } else {
        if (!sku) {
          message.error('请选择秒杀商品和规格')
          return
        }
        const r = await sendConfirmed(modal, '仍然提交', (confirm) =>
          call('admin', 'createFlashSale', {
            productId: sku.productId,
            skuId: sku.sku.id,
            salePriceFen: parseYuan(v.salePrice)!,
            stock: v.stock,
            perUserLimit: v.perUserLimit,
            audience: v.audience,
            startsAt,
            endsAt,
            idempotencyKey: requestKey.current,
            ...(confirm ? { confirm } : {}),
          }),
        )
        if (!r) return
        message.success('秒杀已创建')
      }
      onSaved()
    } catch (err) {
      if (!showIssues(err)) message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Drawer
      title={sale ? `编辑秒杀 · ${sale.title}` : '新建秒杀'}
      width={560}
      open={open}
      onClose={onClose}
      destroyOnHidden
      extra={
        <Button type="primary" loading={saving} disabled={saving} onClick={() => form.submit()}>
          {sale ? '保存' : '创建'}
        </Button>
      }
    >
      <Form<SaleForm>
        form={form}
        layout="vertical"
        initialValues={{ stock: 10, perUserLimit: 1, audience: 'all' }}
        onFinish={(v) => void submit(v)}
      >
        <Form.Item label="秒杀商品" required>
          {sale ? (
            <Typography.Text>
              {sale.title} · {sale.specText || '默认规格'} · 售价 {formatFen(sale.priceFen)}
            </Typography.Text>
          ) : (
            <SkuPicker value={sku} onChange={setSku} />
          )}
        </Form.Item>
        <Form.Item
          label="秒杀价（元）"
          name="salePrice"
          extra={started ? '秒杀已开始，秒杀价不能再修改' : '须低于商品售价'}
          rules={[
            {
              validator: async (_: unknown, t: string) => {
                const p = yuanProblem(t ?? '')
                if (p) throw new Error(p)
              },
            },
          ]}
        >
          <Input prefix="¥" style={{ width: 180 }} disabled={started} aria-label="秒杀价" />
        </Form.Item>
        <Form.Item
          label="秒杀库存"
          name="stock"
          extra={sale ? `已售 ${sale.sold} 件，库存不能少于已售` : undefined}
          rules={[{ required: true, message: '请输入秒杀库存' }]}
        >
          <InputNumber min={sale ? 0 : 1} max={1_000_000} precision={0} addonAfter="件" aria-label="秒杀库存" />
        </Form.Item>
        <Form.Item label="每人限购" name="perUserLimit" rules={[{ required: true, message: '请输入每人限购件数' }]}>
          <InputNumber min={1} max={99} precision={0} addonAfter="件" aria-label="每人限购" />
        </Form.Item>
        <Form.Item label="参与人群" name="audience">
          <Radio.Group>
            <Radio value="all">所有顾客</Radio>
            <Radio value="existing">老会员专享</Radio>
          </Radio.Group>
        </Form.Item>
        <Form.Item
          label="秒杀时间（北京时间）"
          name="window"
          extra={started ? '秒杀已开始，开始时间不能再修改；要立即结束请用列表中的「结束」' : '同一规格的秒杀时间不能重叠'}
          rules={[{ required: true, message: '请选择秒杀时间' }]}
        >
          <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabled={[started, false]} />
        </Form.Item>
      </Form>
    </Drawer>
  )
}

export default function FlashListPage() {
  const { message } = App.useApp()
  const { query } = useLocation()
  const pages = useCursorPages()
  const stateParam = query.get('state')
  const state = isState(stateParam) ? stateParam : undefined
  const [data, setData] = useState<{ items: AdminFlashSale[]; nextCursor: string | null } | null>(null)
  const [loading, setLoading] = useState(true)
  const [error, setError] = useState<string | null>(null)
  const [drawer, setDrawer] = useState<{ sale: AdminFlashSale | null } | null>(null)
  const [ending, setEnding] = useState<string | null>(null)
  const seq = useRef(0)

  /** Loads the page; `quiet` (the 5 s refresh) keeps the table as it is while it asks. */
  const load = async (quiet: boolean) => {
    const mine = ++seq.current
    if (!quiet) {
      setLoading(true)
      setError(null)
    }
    try {
      const r = await call('admin', 'flashSales', { ...(state ? { state } : {}), cursor: pages.cursor })
      if (seq.current !== mine) return
      setData(r)
      setError(null)
    } catch (err) {
      if (seq.current === mine && !quiet) setError(messageOf(err))
    } finally {
      if (seq.current === mine) setLoading(false)
    }
  }
  const loadRef = useRef(load)
  loadRef.current = load

  useEffect(() => {
    void loadRef.current(false)
  }, [state, pages.cursor])

  // Sold and remaining, live: every 5 s while the page is visible (and at once when it shows again).
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === 'visible') void loadRef.current(true)
    }
    const timer = setInterval(tick, REFRESH_MS)
    document.addEventListener('visibilitychange', tick)
    return () => {
      clearInterval(timer)
      document.removeEventListener('visibilitychange', tick)
    }
  }, [])

  const end = async (s: AdminFlashSale) => {
    setEnding(s.flashSaleId)
    try {
      await call('admin', 'endFlashSale', { flashSaleId: s.flashSaleId })
      message.success(`「${s.title}」的秒杀已结束`)
      void load(true)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setEnding(null)
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          秒杀
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={() => void load(false)}>
            刷新
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => setDrawer({ sale: null })}>
            新建秒杀
          </Button>
        </Space>
      </Space>
      <Tabs
        activeKey={state ?? 'all'}
        onChange={(k) => pages.filter({ state: k === 'all' ? null : k })}
        items={STATES.map((s) => ({ key: s.key, label: s.label }))}
      />
      {error ? (
        <LoadError message={error} onRetry={() => void load(false)} />
      ) : (
        <Card size="small">
          <Table<AdminFlashSale>
            rowKey="flashSaleId"
            loading={loading && !data}
            dataSource={data?.items ?? []}
            pagination={false}
            locale={{ emptyText: state ? `没有${STATE_LABEL[state]}的秒杀` : '还没有秒杀，点击右上角「新建秒杀」' }}
            columns={[
              {
                title: '商品',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <Space>
                    <Avatar shape="square" size={48} src={r.cover || undefined} alt="" />
                    <div>
                      <div>{title}</div>
                      <div style={{ color: '#999', fontSize: 12 }}>
                        {r.specText || '默认规格'} · {r.audience === 'existing' ? '老会员专享' : '所有顾客'} · 每人限购 {r.perUserLimit}
                      </div>
                    </div>
                  </Space>
                ),
              },
              {
                title: '秒杀价 / 售价',
                width: 140,
                render: (_: unknown, r) => (
                  <span>
                    <b style={{ color: '#e4393c' }}>{formatFen(r.salePriceFen)}</b>
                    <span style={{ color: '#999', marginLeft: 6, textDecoration: 'line-through' }}>{formatFen(r.priceFen)}</span>
                  </span>
                ),
              },
              {
                title: '已售 / 剩余 / 库存',
                width: 220,
                render: (_: unknown, r) => (
                  <div data-testid="flash-progress">
                    <div>
                      已售 {r.sold} / 剩余 {r.stock - r.sold} / 库存 {r.stock}
                    </div>
                    <Progress percent={r.stock > 0 ? Math.round((r.sold / r.stock) * 100) : 0} size="small" showInfo={false} />
                  </div>
                ),
              },
              {
                title: '已付款',
                width: 130,
                align: 'right',
                render: (_: unknown, r) => (
                  <div>
                    <div>{r.paidUnits} 件</div>
                    <div style={{ color: '#999', fontSize: 12 }}>{formatFen(r.gmvFen)}</div>
                  </div>
                ),
              },
              {
                title: '时间（北京时间）',
                width: 190,
                render: (_: unknown, r) => (
                  <div style={{ fontSize: 12 }}>
                    <div style={{ whiteSpace: 'nowrap' }}>{shopShort(r.startsAt)} 开始</div>
                    <div style={{ whiteSpace: 'nowrap' }}>{shopShort(r.endsAt)} 结束</div>
                  </div>
                ),
              },
              {
                title: '状态',
                dataIndex: 'state',
                width: 90,
                render: (s: FlashState) => <Tag color={STATE_COLOR[s]}>{STATE_LABEL[s]}</Tag>,
              },
              {
                title: '操作',
                width: 120,
                render: (_: unknown, r) =>
                  r.state === 'ended' ? (
                    <span style={{ color: '#999' }}>—</span>
                  ) : (
                    <Space>
                      <a
                        href="#"
                        onClick={(e) => {
                          e.preventDefault()
                          setDrawer({ sale: r })
                        }}
                      >
                        编辑
                      </a>
                      <Popconfirm
                        title={`结束「${r.title}」的秒杀？`}
                        description="结束后立即停止售卖，不能恢复；已下的订单不受影响"
                        okText="结束"
                        okButtonProps={{ danger: true }}
                        cancelText="取消"
                        onConfirm={() => end(r)}
                      >
                        <Button type="link" danger size="small" loading={ending === r.flashSaleId} disabled={ending === r.flashSaleId}>
                          结束
                        </Button>
                      </Popconfirm>
                    </Space>
                  ),
              },
            ]}
          />
          <Pager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={!!data?.nextCursor}
            onPrev={pages.prev}
            onNext={() => data?.nextCursor && pages.next(data.nextCursor)}
            onFirst={pages.first}
          />
        </Card>
      )}
      <SaleDrawer
        open={!!drawer}
        sale={drawer?.sale ?? null}
        onClose={() => setDrawer(null)}
        onSaved={() => {
          setDrawer(null)
          void load(true)
        }}
      />
    </Space>
  )
}
