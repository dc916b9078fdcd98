/**
 * 新建优惠券 (`id` null): every field, with the coupon card as the shopper will read it beside the
 * form. 编辑优惠券 (`/marketing/coupons/:id/edit`): only the safe fields — name, stock (never below
 * what was claimed), per-user limit, the claim window's end; the terms are shown read-only with why.
 * Likely slips come back as CONFIRM_REQUIRED and are listed in a confirm dialog before sending again.
 */
import { ArrowLeftOutlined } from '@ant-design/icons'
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Select,
  Space,
  Switch,
  Typography,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect, useMemo, useState } from 'react'
import type { ActionInput, AdminCoupon, CouponScope } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { ruleText, valueText, type RuleTerms } from '../../lib/coupon-text'
import { formatFen, parseYuan } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { beforeShopToday, shopPickerNow, shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { navigate } from '../../router'
import { sendConfirmed } from '../../lib/confirm-warnings'
import { pickedInstant, pickerValue, StatusTag, windowText } from './coupon-ui'

interface Draft {
  title: string
  kind: 'fixed' | 'percent'
  value: string
  /** 折 as the merchant types it: 8.5 for 15 % off. */
  rate: number | null
  maxOff: string
  threshold: string
  stock: number | null
  perUserLimit: number | null
  window: [Dayjs | null, Dayjs | null]
  validDays: number | null
  scope: CouponScope
  scopeIds: string[]
  allowOnSpecial: boolean
  roomId: string | null
}

const EMPTY: Draft = {
  title: '',
  kind: 'fixed',
  value: '',
  rate: null,
  maxOff: '',
  threshold: '',
  stock: 100,
  perUserLimit: 1,
  window: [null, null],
  validDays: null,
  scope: 'all',
  scopeIds: [],
  allowOnSpecial: false,
  roomId: null,
}

/** 8.5折 → 15 (percent off); null when it is not a rate with at most one decimal between 0.1 and 9.9. */
export function percentOffOf(rate: number | null): number | null {
  if (rate === null || !Number.isFinite(rate)) return null
  const tenths = Math.round(rate * 10)
  if (Math.abs(rate * 10 - tenths) > 1e-9 || tenths < 1 || tenths > 99) return null
  return 100 - tenths
}

const fenOr = (text: string, fallback: number | null): number | null => (text.trim() === '' ? fallback : parseYuan(text))

/** The draft's terms as the card words them (null while not yet a coupon). */
function termsOf(d: Draft): RuleTerms | null {
  const thresholdFen = fenOr(d.threshold, 0)
  if (thresholdFen === null) return null
  if (d.kind === 'fixed') {
    const valueFen = parseYuan(d.value)
    return valueFen ? { kind: 'fixed', valueFen, percentOff: null, maxOffFen: null, thresholdFen } : null
  }
  const percentOff = percentOffOf(d.rate)
  const maxOffFen = fenOr(d.maxOff, null)
  return percentOff ? { kind: 'percent', valueFen: null, percentOff, maxOffFen: maxOffFen || null, thresholdFen } : null
}

function problems(d: Draft): Record<string, string> {
  const e: Record<string, string> = {}
  if (!d.title.trim()) e.title = '请输入优惠券名称'
  else if (d.title.trim().length > 30) e.title = '优惠券名称最多 30 个字'
  const threshold = fenOr(d.threshold, 0)
  if (threshold === null) e.threshold = '请输入正确的金额（最多两位小数）'
  if (d.kind === 'fixed') {
    const v = parseYuan(d.value)
    if (!v) e.value = '请输入减免金额'
    else if (threshold && v > threshold) e.value = '减免金额不能超过使用门槛'
  } else {
    if (percentOffOf(d.rate) === null) e.rate = '请输入 0.1–9.9 之间的折扣，最多一位小数'
    if (d.maxOff.trim() !== '' && !parseYuan(d.maxOff)) e.maxOff = '请输入正确的金额'
  }
  if (d.stock === null || d.stock < 0) e.stock = '请输入发放数量'
  if (d.perUserLimit === null || d.perUserLimit < 1) e.perUserLimit = '每人至少可领 1 张'
  const [from, to] = d.window
  if (from && to && !to.isAfter(from)) e.window = '结束时间须晚于开始时间'
  if (d.scope !== 'all' && d.scopeIds.length === 0) e.scopeIds = d.scope === 'products' ? '请选择商品' : '请选择分类'
  return e
}

function createInput(d: Draft, idempotencyKey: string): ActionInput<'admin', 'createCoupon'> {
  const t = termsOf(d)!
  const [from, to] = d.window
  return {
    title: d.title.trim(),
    kind: d.kind,
    ...(t.kind === 'fixed' ? { valueFen: t.valueFen! } : { percentOff: t.percentOff!, ...(t.maxOffFen ? { maxOffFen: t.maxOffFen } : {}) }),
    thresholdFen: t.thresholdFen,
    stock: d.stock ?? 0,
    perUserLimit: d.perUserLimit ?? 1,
    ...(from ? { validFrom: pickedInstant(from) } : {}),
    ...(to ? { validTo: pickedInstant(to) } : {}),
    ...(d.validDays ? { validDays: d.validDays } : {}),
    scope: d.scope,
    ...(d.scope !== 'all' ? { scopeIds: d.scopeIds } : {}),
    allowOnSpecial: d.allowOnSpecial,
    ...(d.roomId ? { roomId: d.roomId } : {}),
    idempotencyKey,
  }
}

/** The coupon as the claim center shows it to a shopper. */
function CouponCard({ terms, title, validity, room }: { terms: RuleTerms | null; title: string; validity: string; room: boolean }) {
  return (
    <div
      data-testid="coupon-preview"
      style={{ display: 'flex', borderRadius: 10, overflow: 'hidden', background: '#fff5f0', border: '1px solid #ffd8c2', minHeight: 96 }}
    >
      <div
        style={{
          width: 110,
          background: '#ff5a1f',
          color: '#fff',
          display: 'flex',
          flexDirection: 'column',
          alignItems: 'center',
          justifyContent: 'center',
          padding: 8,
        }}
      >
        <div style={{ fontSize: 26, fontWeight: 700 }}>{terms ? valueText(terms) : '—'}</div>
        <div style={{ fontSize: 12, opacity: 0.9 }}>
          {terms && terms.thresholdFen > 0 ? `满${formatFen(terms.thresholdFen)}可用` : '无门槛'}
        </div>
      </div>
      <div style={{ flex: 1, padding: '10px 12px' }}>
        <div style={{ fontWeight: 600 }}>
          {room ? <span style={{ color: '#c41d7f', marginRight: 4 }}>[直播专享]</span> : null}
          {title.trim() || '优惠券名称'}
        </div>
        <div style={{ color: '#ff5a1f', marginTop: 4 }} data-testid="preview-rule">
          {terms ? ruleText(terms) : '填写金额或折扣后显示规则'}
        </div>
        <div style={{ color: '#999', fontSize: 12, marginTop: 4 }}>{validity}</div>
      </div>
      <div style={{ display: 'flex', alignItems: 'center', paddingRight: 12 }}>
        <span style={{ background: '#ff5a1f', color: '#fff', borderRadius: 14, padding: '4px 12px', fontSize: 12 }}>立即领取</span>
      </div>
    </div>
  )
}

export default function CouponEditorPage({ id }: { id: string | null }) {
  return id ? <EditCoupon id={id} /> : <NewCoupon />
}

function Header({ title, extra }: { title: string; extra?: React.ReactNode }) {
  return (
    <Space style={{ marginBottom: 16 }}>
      <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/marketing/coupons')}>
        返回列表
      </Button>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {title}
      </Typography.Title>
      {extra}
    </Space>
  )
}

function NewCoupon() {
  const { message, modal } = App.useApp()
  const [d, setD] = useState<Draft>(EMPTY)
  const [touched, setTouched] = useState(false)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({})
  const [key, setKey] = useState(newRequestKey)
  const [productOptions, setProductOptions] = useState<Array<{ label: string; value: string }>>([])
  const categories = useLoad(() => call('admin', 'categories', {}), [])
  const rooms = useLoad(() => call('admin', 'liveRooms', {}), [])
  const patch = (p: Partial<Draft>) => {
    setD((old) => ({ ...old, ...p }))
    setServerErrors({})
  }
  const clientErrors = useMemo(() => problems(d), [d])
  const errors = { ...(touched ? clientErrors : {}), ...serverErrors }
  const err = (k: string) => (errors[k] ? { validateStatus: 'error' as const, help: errors[k] } : {})
  const terms = termsOf(d)
  const [from, to] = d.window
  const validity = d.validDays
    ? `领取后 ${d.validDays} 天内有效`
    : // Without an end the server ends the window a year after its start (today when none): shown as a date.
      `${from ? from.format('YYYY.MM.DD') : '今天'} - ${(to ?? (from ?? shopPickerNow()).add(1, 'year')).format('YYYY.MM.DD')}`

  const searchProducts = async (q: string) => {
    try {
      const r = await call('admin', 'products', { ...(q.trim() ? { q: q.trim() } : {}), limit: 20 })
      setProductOptions((old) => {
        const picked = old.filter((o) => d.scopeIds.includes(o.value))
        const found = r.items.map((p) => ({ label: p.title, value: p.id }))
        return [...picked, ...found.filter((f) => !picked.some((p) => p.value === f.value))]
      })
    } catch (e) {
      message.error(messageOf(e))
    }
  }
  useEffect(() => {
    if (d.scope === 'products' && productOptions.length === 0) void searchProducts('')
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [d.scope])

  const save = async () => {
    setTouched(true)
    setRefusal(null)
    if (Object.keys(clientErrors).length) {
      message.error('请先修正标红的内容')
      return
    }
    setSaving(true)
    try {
      const made = await sendConfirmed(modal, '确认创建', (confirm) =>
        call('admin', 'createCoupon', { ...createInput(d, key), ...(confirm ? { confirm } : {}) }),
      )
      if (!made) return
      message.success('优惠券已创建')
      void navigate(`/marketing/coupons/${encodeURIComponent(made.couponId)}`, { replace: true, force: true })
    } catch (e) {
      if (e instanceof ApiError && e.code === 'IDEMPOTENCY_KEY_REUSED') {
        setKey(newRequestKey())
        setRefusal('上次提交的优惠券已创建成功（当时未收到结果），请到优惠券列表查看；若要再创建一张，请再次点击「创建优惠券」')
        return
      }
      const placed: Record<string, string> = {}
      for (const i of e instanceof ApiError ? e.fieldIssues() : []) {
        const field =
          { valueFen: 'value', percentOff: 'rate', maxOffFen: 'maxOff', thresholdFen: 'threshold', validTo: 'window' }[i.path] ?? i.path
        if (!placed[field]) placed[field] = /[\u4e00-\u9fff]/.test(i.message) ? i.message : messageOf(e)
      }
      setServerErrors(placed)
      setRefusal(messageOf(e))
    } finally {
      setSaving(false)
    }
  }

  const roomOptions = (rooms.data?.items ?? []).filter((r) => r.status !== 'ended').map((r) => ({ label: r.title, value: r.roomId }))

  return (
    <div style={{ maxWidth: 1180 }}>
      <Header title="新建优惠券" />
      {refusal ? <Alert type="error" showIcon message="保存失败" description={refusal} style={{ marginBottom: 16 }} /> : null}
      <Row gutter={24}>
        <Col span={15}>
          <Form layout="vertical" component="div">
            <Card size="small" title="券面规则" style={{ marginBottom: 16 }}>
              <Form.Item label="优惠券名称" required {...err('title')}>
                <Input
                  value={d.title}
                  maxLength={30}
                  showCount
                  placeholder="如：新客满99减10"
                  onChange={(e) => patch({ title: e.target.value })}
                />
              </Form.Item>
              <Form.Item label="类型">
                <Radio.Group
                  value={d.kind}
                  onChange={(e) => patch({ kind: e.target.value as Draft['kind'] })}
                  options={[
                    { label: '满减券', value: 'fixed' },
                    { label: '折扣券', value: 'percent' },
                  ]}
                />
              </Form.Item>
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item label="使用门槛（元）" extra="0 或不填为无门槛" {...err('threshold')}>
                    <Input value={d.threshold} prefix="满" placeholder="0" onChange={(e) => patch({ threshold: e.target.value })} />
                  </Form.Item>
                </Col>
                {d.kind === 'fixed' ? (
                  <Col span={8}>
                    <Form.Item label="减免金额（元）" required {...err('value')}>
                      <Input value={d.value} prefix="减" placeholder="10" onChange={(e) => patch({ value: e.target.value })} />
                    </Form.Item>
                  </Col>
                ) : (
                  <>
                    <Col span={8}>
                      <Form.Item label="折扣（折）" required {...err('rate')}>
                        <InputNumber
                          value={d.rate}
                          min={0.1}
                          max={9.9}
                          step={0.1}
                          style={{ width: '100%' }}
                          placeholder="8.5"
                          addonAfter="折"
                          onChange={(v) => patch({ rate: v === null ? null : Number(v) })}
                        />
                      </Form.Item>
                    </Col>
                    <Col span={8}>
                      <Form.Item label="最多减（元）" extra="建议填写，防止大额订单优惠过多" {...err('maxOff')}>
                        <Input value={d.maxOff} placeholder="不限" onChange={(e) => patch({ maxOff: e.target.value })} />
                      </Form.Item>
                    </Col>
                  </>
                )}
              </Row>
              <Form.Item label="适用范围" {...err('scopeIds')}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  <Radio.Group
                    value={d.scope}
                    onChange={(e) => patch({ scope: e.target.value as CouponScope, scopeIds: [] })}
                    options={[
                      { label: '全部商品', value: 'all' },
                      { label: '指定分类', value: 'categories' },
                      { label: '指定商品', value: 'products' },
                    ]}
                  />
                  {d.scope === 'categories' ? (
                    <Select
                      mode="multiple"
                      placeholder="选择分类"
                      loading={categories.loading}
                      value={d.scopeIds}
                      onChange={(v: string[]) => patch({ scopeIds: v })}
                      options={(categories.data?.items ?? []).map((c) => ({ label: c.name, value: c.id }))}
                    />
                  ) : null}
                  {d.scope === 'products' ? (
                    <Select
                      mode="multiple"
                      placeholder="搜索并选择商品"
                      showSearch
                      filterOption={false}
                      onSearch={(q) => void searchProducts(q)}
                      value={d.scopeIds}
                      onChange={(v: string[]) => patch({ scopeIds: v })}
                      options={productOptions}
                    />
                  ) : null}
                  <Checkbox checked={d.allowOnSpecial} onChange={(e) => patch({ allowOnSpecial: e.target.checked })}>
                    可用于秒杀、新人 9.9 等特价商品
                  </Checkbox>
                </Space>
              </Form.Item>
            </Card>
            <Card size="small" title="发放" style={{ marginBottom: 16 }}>
              <Row gutter={16}>
                <Col span={8}>
                  <Form.Item label="发放数量（张）" required {...err('stock')}>
                    <InputNumber
                      value={d.stock}
                      min={0}
                      max={10_000_000}
                      precision={0}
                      style={{ width: '100%' }}
                      onChange={(v) => patch({ stock: v })}
                    />
                  </Form.Item>
                </Col>
                <Col span={8}>
                  <Form.Item label="每人限领（张）" required {...err('perUserLimit')}>
                    <InputNumber
                      value={d.perUserLimit}
                      min={1}
                      max={100}
                      precision={0}
                      style={{ width: '100%' }}
                      onChange={(v) => patch({ perUserLimit: v })}
                    />
                  </Form.Item>
                </Col>
              </Row>
              <Form.Item label="领取时间" extra="不填开始即现在，不填结束为开始后一年；时间按店铺时区（北京时间）" {...err('window')}>
                <DatePicker.RangePicker
                  showTime={{ format: 'HH:mm' }}
                  format="YYYY-MM-DD HH:mm"
                  allowEmpty={[true, true]}
                  value={d.window}
                  onChange={(v) => patch({ window: [v?.[0] ?? null, v?.[1] ?? null] })}
                  placeholder={['开始时间', '结束时间']}
                />
              </Form.Item>
              <Form.Item label="使用有效期">
                <Space>
                  <Switch
                    checked={d.validDays !== null}
                    onChange={(on) => patch({ validDays: on ? 7 : null })}
                    aria-label="领取后按天数有效"
                  />
                  {d.validDays !== null ? (
                    <InputNumber
                      value={d.validDays}
                      min={1}
                      max={365}
                      precision={0}
                      addonBefore="领取后"
                      addonAfter="天内有效"
                      onChange={(v) => patch({ validDays: v ?? 1 })}
                    />
                  ) : (
                    <Typography.Text type="secondary">与领取时间相同</Typography.Text>
                  )}
                </Space>
              </Form.Item>
              <Form.Item label="直播专享" extra="只能在所选直播间开播时领取，不出现在领券中心">
                <Select
                  allowClear
                  style={{ width: 320 }}
                  placeholder={rooms.error ? `直播间加载失败：${rooms.error}` : '不限（店铺券）'}
                  loading={rooms.loading}
                  value={d.roomId ?? undefined}
                  onChange={(v: string | undefined) => patch({ roomId: v ?? null })}
                  options={roomOptions}
                />
              </Form.Item>
            </Card>
            <Space>
              <Button type="primary" loading={saving} disabled={saving} onClick={() => void save()}>
                创建优惠券
              </Button>
              <Button disabled={saving} onClick={() => void navigate('/marketing/coupons')}>
                取消
              </Button>
            </Space>
          </Form>
        </Col>
        <Col span={9}>
          <Card size="small" title="顾客看到的样子" style={{ position: 'sticky', top: 16 }}>
            <CouponCard terms={terms} title={d.title} validity={validity} room={!!d.roomId} />
            <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0, fontSize: 12 }}>
              规则文字与小程序领券中心、直播间弹窗一致。
            </Typography.Paragraph>
          </Card>
        </Col>
      </Row>
    </div>
  )
}

function EditCoupon({ id }: { id: string }) {
  const { message, modal } = App.useApp()
  const loaded = useLoad(() => call('admin', 'coupon', { couponId: id }), [id])
  const [c, setC] = useState<AdminCoupon | null>(null)
  const [title, setTitle] = useState('')
  const [stock, setStock] = useState<number | null>(null)
  const [perUserLimit, setPerUserLimit] = useState<number | null>(null)
  const [validTo, setValidTo] = useState<Dayjs | null>(null)
  const [saving, setSaving] = useState(false)
  const [refusal, setRefusal] = useState<string | null>(null)
  useEffect(() => {
    const x = loaded.data?.coupon
    if (!x) return
    setC(x)
    setTitle(x.title)
    setStock(x.stock)
    setPerUserLimit(x.perUserLimit)
    setValidTo(pickerValue(x.validTo))
  }, [loaded.data])

  if (loaded.error) return <LoadError message={loaded.error} onRetry={loaded.reload} />
  if (!c) return <CenteredSpin />
  const ended = c.status === 'ended'

  const save = async () => {
    setRefusal(null)
    if (!title.trim()) {
      setRefusal('请输入优惠券名称')
      return
    }
    if (stock === null || stock < c.figures.claimed) {
      setRefusal(`库存不能少于已领取的 ${c.figures.claimed} 张`)
      return
    }
    const input: ActionInput<'admin', 'updateCoupon'> = { couponId: c.couponId }
    if (title.trim() !== c.title) input.title = title.trim()
    if (!ended) {
      if (stock !== c.stock) input.stock = stock
      if (perUserLimit !== null && perUserLimit !== c.perUserLimit) input.perUserLimit = perUserLimit
      if (validTo && validTo.format('YYYY-MM-DD HH:mm') !== shopTime(c.validTo, 'YYYY-MM-DD HH:mm')) input.validTo = pickedInstant(validTo)
    }
    setSaving(true)
    try {
      const r = await sendConfirmed(modal, '确认保存', (confirm) =>
        call('admin', 'updateCoupon', { ...input, ...(confirm ? { confirm } : {}) }),
      )
      if (!r) return
      message.success('已保存')
      void navigate(`/marketing/coupons/${encodeURIComponent(c.couponId)}`, { force: true })
    } catch (e) {
      setRefusal(messageOf(e))
    } finally {
      setSaving(false)
    }
  }

  return (
    <div style={{ maxWidth: 960 }}>
      <Header title="编辑优惠券" extra={<StatusTag status={c.status} />} />
      {refusal ? <Alert type="error" showIcon message="保存失败" description={refusal} style={{ marginBottom: 16 }} /> : null}
      <Card size="small" title="券面规则（不可修改）" style={{ marginBottom: 16 }}>
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 12 }}
          message="券面规则创建后不能修改"
          description="已领券的顾客按领取时看到的规则使用，改动规则会让同一张券对不同顾客不一样。要换规则，请结束这张券后新建一张。"
        />
        <Descriptions size="small" column={2}>
          <Descriptions.Item label="规则">{c.ruleText}</Descriptions.Item>
          <Descriptions.Item label="类型">{c.kind === 'fixed' ? '满减券' : '折扣券'}</Descriptions.Item>
          <Descriptions.Item label="适用范围">
            {c.scope === 'all'
              ? '全部商品'
              : c.scope === 'products'
                ? `指定商品（${c.scopeIds.length}）`
                : `指定分类（${c.scopeIds.length}）`}
          </Descriptions.Item>
          <Descriptions.Item label="特价商品">{c.allowOnSpecial ? '可用' : '不可用'}</Descriptions.Item>
          <Descriptions.Item label="领取开始">{shopTime(c.validFrom, 'YYYY-MM-DD HH:mm')}</Descriptions.Item>
          <Descriptions.Item label="使用有效期">{c.validDays ? `领取后 ${c.validDays} 天` : '与领取时间相同'}</Descriptions.Item>
          {c.room ? <Descriptions.Item label="直播专享">{c.room.title}</Descriptions.Item> : null}
        </Descriptions>
      </Card>
      <Card size="small" title="可修改" style={{ marginBottom: 16 }}>
        {ended ? <Alert type="warning" showIcon style={{ marginBottom: 12 }} message="这张券已结束，只能修改名称" /> : null}
        <Form layout="vertical" component="div" style={{ maxWidth: 520 }}>
          <Form.Item label="优惠券名称" required>
            <Input value={title} maxLength={30} showCount onChange={(e) => setTitle(e.target.value)} />
          </Form.Item>
          <Form.Item label="库存（张）" extra={`已领取 ${c.figures.claimed} 张，库存不能少于已领取数`}>
            <InputNumber value={stock} min={0} max={10_000_000} precision={0} disabled={ended} style={{ width: 200 }} onChange={setStock} />
          </Form.Item>
          <Form.Item label="每人限领（张）" extra="只影响之后的领取，已领的券不变">
            <InputNumber
              value={perUserLimit}
              min={1}
              max={100}
              precision={0}
              disabled={ended}
              style={{ width: 200 }}
              onChange={setPerUserLimit}
            />
          </Form.Item>
          <Form.Item label="领取结束时间" extra={`当前：${windowText(c)}（北京时间）`}>
            <DatePicker
              showTime={{ format: 'HH:mm' }}
              showNow={false}
              format="YYYY-MM-DD HH:mm"
              disabledDate={beforeShopToday}
              value={validTo}
              disabled={ended}
              onChange={setValidTo}
              allowClear={false}
            />
          </Form.Item>
        </Form>
        <Space>
          <Button type="primary" loading={saving} disabled={saving} onClick={() => void save()}>
            保存
          </Button>
          <Button disabled={saving} onClick={() => void navigate(`/marketing/coupons/${encodeURIComponent(c.couponId)}`)}>
            取消
          </Button>
        </Space>
      </Card>
    </div>
  )
}
