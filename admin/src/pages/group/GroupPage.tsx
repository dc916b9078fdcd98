/**
 * 拼团活动: `id` null is the create form; otherwise the campaign's results (groups opened, succeeded,
 * failed, forming; paid members, GMV net of refunds, refunds, success rate, a chart), 暂停 / 恢复, the
 * edit form (title, end time; price and size only before any group opened) and its groups, paged,
 * with their members.
 */
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  DatePicker,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tabs,
  Tag,
  Typography,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import type { AdminGroupCampaign, AdminGroupRow, GroupStatus } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { CenteredSpin, LoadError } from '../../components/states'
import { fenToInput, formatFen, parseYuan, percent, yuanProblem } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { beforeShopToday, fromShopPicker, shopPickerNow, shopShort, shopTime, toShopPicker } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { linkProps, navigate, setQuery, useLocation } from '../../router'
import { SkuPicker, type PickedSku } from '../deals/SkuPicker'
import { campaignState } from './GroupListPage'
import { GroupResultsChart } from './GroupResultsChart'
import { GROUP_STATUS_COLOR, GROUP_STATUS_LABEL, ON_EXPIRY_LABEL, SEAT_LABEL } from './group-text'
import { PauseResume } from '../../components/PauseResume'

/** The picker shows the shop's wall clock (Asia/Shanghai) whatever the computer's zone: convert both ways. */
const toPicker = toShopPicker
const fromPicker = fromShopPicker

const yuanRule = {
  validator: async (_: unknown, v: string) => {
    const p = yuanProblem(v ?? '', { min: 1 })
    if (p) throw new Error(p)
  },
}

interface CreateFields {
  title?: string
  groupPrice: string
  groupSize: number
  groupHours: number
  window: [Dayjs, Dayjs]
  onExpiry: 'refund' | 'complete'
  status: 'active' | 'paused'
}

const FIELD_OF: Record<string, string> = {
  groupPriceFen: 'groupPrice',
  groupSize: 'groupSize',
  groupHours: 'groupHours',
  startsAt: 'window',
  endsAt: 'window',
  title: 'title',
}

/** The server's field messages (VALIDATION_FAILED details) at their fields; true when it named any. */
function showFieldIssues(
  form: { setFields: (f: Array<{ name: string; errors: string[] }>) => void },
  err: unknown,
  map = FIELD_OF,
): boolean {
  if (!(err instanceof ApiError)) return false
  const issues = err.fieldIssues().filter((i) => map[i.path])
  form.setFields(issues.map((i) => ({ name: map[i.path]!, errors: [i.message] })))
  return issues.length > 0
}

function CreateForm() {
  const { message, modal } = App.useApp()
  const [form] = Form.useForm<CreateFields>()
  const [sku, setSku] = useState<PickedSku | null>(null)
  const [saving, setSaving] = useState(false)
  // One key per form session: a retry after a lost answer gives back the first campaign.
  const requestKey = useRef(newRequestKey())

  const submit = async (f: CreateFields) => {
    if (!sku) {
      message.error('请选择活动商品和规格')
      return
    }
    // A group price not below the SKU's member price pitches members a dearer price than they pay anyway: ask first.
    const memberFen = sku.sku.memberPriceFen ?? null
    const groupFen = parseYuan(f.groupPrice)!
    if (memberFen !== null && groupFen >= memberFen) {
      const go = await new Promise<boolean>((resolve) =>
        modal.confirm({
          title: '拼团价不低于会员价，确认创建吗？',
          content: `拼团价 ${formatFen(groupFen)}，该规格的会员价 ${formatFen(memberFen)}：会员直接购买更便宜，拼团对会员没有吸引力。请确认价格无误。`,
          okText: '确认创建',
          cancelText: '返回修改',
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        }),
      )
      if (!go) return
    }
    setSaving(true)
    try {
      const made = await call('admin', 'createGroupCampaign', {
        ...(f.title?.trim() ? { title: f.title.trim() } : {}),
        productId: sku.productId,
        skuId: sku.sku.id,
        groupPriceFen: parseYuan(f.groupPrice)!,
        groupSize: f.groupSize,
        groupHours: f.groupHours,
        startsAt: fromPicker(f.window[0]),
        endsAt: fromPicker(f.window[1]),
        onExpiry: f.onExpiry,
        status: f.status,
        idempotencyKey: requestKey.current,
      })
      message.success('拼团活动已创建')
      void navigate(`/marketing/group/${encodeURIComponent(made.campaignId)}`, { replace: true })
    } catch (err) {
      if (!showFieldIssues(form as never, err)) message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space>
        <a {...linkProps('/marketing/group')}>拼团</a>
        <span>/</span>
        <Typography.Title level={4} style={{ margin: 0 }}>
          新建拼团
        </Typography.Title>
      </Space>
      <Card>
        <Form<CreateFields>
          form={form}
          layout="horizontal"
          labelCol={{ span: 5 }}
          wrapperCol={{ span: 14 }}
          initialValues={{
            groupPrice: '',
            groupSize: 2,
            groupHours: 24,
            window: [shopPickerNow(), shopPickerNow().add(7, 'day')],
            onExpiry: 'refund',
            status: 'active',
          }}
          onFinish={(f) => void submit(f)}
        >
          <Form.Item label="活动商品" required>
            <SkuPicker value={sku} onChange={setSku} />
          </Form.Item>
          <Form.Item label="活动名称" name="title" extra="选填，默认为「N人团 · 商品名」">
            <Input maxLength={40} style={{ width: 320 }} aria-label="活动名称" />
          </Form.Item>
          <Form.Item label="拼团价（元）" name="groupPrice" rules={[yuanRule]} extra="须低于商品售价">
            <Input prefix="¥" style={{ width: 180 }} inputMode="decimal" aria-label="拼团价" />
          </Form.Item>
          <Form.Item label="成团人数" name="groupSize" rules={[{ required: true, message: '请输入成团人数' }]}>
            <InputNumber min={2} max={10} precision={0} addonAfter="人" aria-label="成团人数" />
          </Form.Item>
          <Form.Item label="成团时限" name="groupHours" rules={[{ required: true, message: '请输入成团时限' }]} extra="团长付款后开始计时">
            <InputNumber min={1} max={72} precision={0} addonAfter="小时" aria-label="成团时限" />
          </Form.Item>
          <Form.Item label="活动时间" name="window" rules={[{ required: true, message: '请选择活动时间' }]}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              disabledDate={beforeShopToday}
              aria-label="活动时间"
            />
          </Form.Item>
          <Form.Item label="到时未成团" name="onExpiry">
            <Radio.Group>
              <Radio value="refund">自动退款（拼团失败）</Radio>
              <Radio value="complete">按已付款人数成团</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item label="创建后" name="status">
            <Radio.Group>
              <Radio value="active">立即开始</Radio>
              <Radio value="paused">先暂停（稍后开始）</Radio>
            </Radio.Group>
          </Form.Item>
          <Form.Item wrapperCol={{ offset: 5 }}>
            <Space>
              <Button type="primary" htmlType="submit" loading={saving} disabled={saving}>
                创建活动
              </Button>
              <Button {...linkProps('/marketing/group')}>取消</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
    </Space>
  )
}

interface EditFields {
  title: string
  endsAt: Dayjs
  groupPrice: string
  groupSize: number
}

const STATUS_TABS: Array<{ key: GroupStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'forming', label: '拼团中' },
  { key: 'succeeded', label: '已成团' },
  { key: 'failed', label: '拼团失败' },
  { key: 'pending', label: '待团长支付' },
  { key: 'cancelled', label: '已取消' },
]
const isStatus = (s: string | null): s is GroupStatus => !!s && s in GROUP_STATUS_LABEL

function GroupsTable({ campaignId, serverTime }: { campaignId: string; serverTime: string }) {
  const { query } = useLocation()
  const status = isStatus(query.get('status')) ? (query.get('status') as GroupStatus) : null
  const pages = useCursorPages()
  const groups = useLoad(
    () => call('admin', 'groupCampaign', { campaignId, ...(status ? { status } : {}), ...(pages.cursor ? { cursor: pages.cursor } : {}) }),
    // A new answer of the campaign (刷新) reads its groups again too.
    [campaignId, status, pages.cursor, serverTime],
  )
  const now = new Date(groups.data?.serverTime ?? serverTime).getTime()
  const left = (iso: string) => {
    const ms = new Date(iso).getTime() - now
    if (ms <= 0) return '已到时'
    const h = Math.floor(ms / 3_600_000)
    const m = Math.floor((ms % 3_600_000) / 60_000)
    return `剩 ${h} 小时 ${m} 分`
  }
  return (
    <Card title="团列表" size="small">
      <Tabs
        activeKey={status ?? 'all'}
        onChange={(k) => setQuery({ status: k === 'all' ? null : k, cursor: null, page: null }, { push: true })}
        items={STATUS_TABS.map((t) => ({ key: t.key, label: t.label }))}
      />
      {groups.error ? (
        <LoadError message={groups.error} onRetry={groups.reload} />
      ) : (
        <>
          <Table<AdminGroupRow>
            rowKey="groupId"
            size="small"
            loading={groups.loading}
            dataSource={groups.data?.groups ?? []}
            pagination={false}
            locale={{ emptyText: '还没有团' }}
            columns={[
              { title: '团长', dataIndex: 'leader', width: 120 },
              {
                title: '状态',
                dataIndex: 'status',
                width: 110,
                render: (s: GroupStatus) => <Tag color={GROUP_STATUS_COLOR[s]}>{GROUP_STATUS_LABEL[s]}</Tag>,
              },
              {
                title: '成员',
                render: (_: unknown, g) => (
                  <Space size={4} wrap>
                    {g.members.map((m) => (
                      <Tag key={m.orderId} color={m.seat === 'paid' ? 'green' : m.seat === 'held' ? 'orange' : 'default'}>
                        {m.nickname}
                        {m.leader ? '（团长）' : ''} · {SEAT_LABEL[m.seat]}
                      </Tag>
                    ))}
                  </Space>
                ),
              },
              { title: '已付 / 人数', width: 100, align: 'right', render: (_: unknown, g) => `${g.paid} / ${g.size}` },
              { title: '开团时间', width: 130, render: (_: unknown, g) => shopShort(g.openedAt) },
              {
                title: '倒计时 / 结束时间',
                width: 150,
                render: (_: unknown, g) => (g.endedAt ? `${shopShort(g.endedAt)} 结束` : g.expiresAt ? left(g.expiresAt) : '团长未支付'),
              },
            ]}
          />
          <Pager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={!!groups.data?.nextCursor}
            onPrev={pages.prev}
            onNext={() => groups.data?.nextCursor && pages.next(groups.data.nextCursor)}
            onFirst={pages.first}
          />
        </>
      )}
    </Card>
  )
}

/** What 结束活动 does, said in its confirm dialog (docs/rules.md, the group desk). */
const END_MEANS = '结束后不能再开新团、不能参团；未成团的团立即结束，按活动设置自动退款或按已付人数成团。结束后不能恢复，也不能再修改活动。'

function CampaignView({ id }: { id: string }) {
  const { message, modal } = App.useApp()
  const loaded = useLoad(() => call('admin', 'groupCampaign', { campaignId: id }), [id])
  const [campaign, setCampaign] = useState<AdminGroupCampaign | null>(null)
  useEffect(() => setCampaign(loaded.data?.campaign ?? null), [loaded.data])
  const [form] = Form.useForm<EditFields>()
  const [saving, setSaving] = useState(false)
  const [switching, setSwitching] = useState(false)
  const editOf = (c: AdminGroupCampaign): EditFields => ({
    title: c.title,
    endsAt: toPicker(c.endsAt),
    groupPrice: fenToInput(c.groupPriceFen),
    groupSize: c.groupSize,
  })
  useEffect(() => {
    // An ended campaign has no edit form to fill.
    if (loaded.data && loaded.data.campaign.status !== 'ended') form.setFieldsValue(editOf(loaded.data.campaign))
  }, [loaded.data, form])

  if (loaded.error) return <LoadError message={loaded.error} onRetry={loaded.reload} />
  if (!campaign || !loaded.data) return <CenteredSpin />
  const c = campaign
  const state = campaignState(c, new Date(loaded.data.serverTime).getTime())

  const save = async (f: EditFields) => {
    const before = editOf(c)
    const changed = {
      ...(f.title.trim() !== before.title ? { title: f.title.trim() } : {}),
      ...(fromPicker(f.endsAt) !== fromPicker(before.endsAt) ? { endsAt: fromPicker(f.endsAt) } : {}),
      ...(!c.locked && f.groupPrice !== before.groupPrice ? { groupPriceFen: parseYuan(f.groupPrice)! } : {}),
      ...(!c.locked && f.groupSize !== before.groupSize ? { groupSize: f.groupSize } : {}),
    }
    if (Object.keys(changed).length === 0) {
      message.info('没有修改')
      return
    }
    setSaving(true)
    try {
      const r = await call('admin', 'updateGroupCampaign', { campaignId: c.campaignId, ...changed })
      setCampaign(r.campaign)
      form.setFieldsValue(editOf(r.campaign))
      message.success('已保存')
      loaded.reload()
    } catch (err) {
      if (!showFieldIssues(form as never, err, { ...FIELD_OF, endsAt: 'endsAt', groupPriceFen: 'groupPrice' }))
        message.error(messageOf(err))
      // Ended meanwhile (another staff member): show it as it is now.
      if (err instanceof ApiError && err.code === 'GROUP_CAMPAIGN_ENDED') loaded.reload()
    } finally {
      setSaving(false)
    }
  }

  const setStatus = async (status: 'active' | 'paused') => {
    setSwitching(true)
    try {
      const r = await call('admin', 'updateGroupCampaign', { campaignId: c.campaignId, status })
      setCampaign(r.campaign)
      message.success(status === 'paused' ? '活动已暂停' : '活动已恢复')
      loaded.reload()
    } catch (err) {
      message.error(messageOf(err))
      loaded.reload()
    } finally {
      setSwitching(false)
    }
  }

  // 结束活动: the dialog's 结束活动 sends once (its button spins until the answer), then the page reads
  // the campaign again; a refusal is said in the server's words.
  const end = () =>
    void modal.confirm({
      title: '结束这个拼团活动？',
      content: END_MEANS,
      okText: '结束活动',
      okButtonProps: { danger: true },
      cancelText: '取消',
      onOk: async () => {
        setSwitching(true)
        try {
          const r = await call('admin', 'endGroupCampaign', { campaignId: c.campaignId })
          setCampaign(r.campaign)
          message.success('活动已结束')
        } catch (err) {
          message.error(messageOf(err))
        } finally {
          setSwitching(false)
          loaded.reload()
        }
      },
    })
  // Ended by the desk or by its window (the state shown, by the server's clock): nothing to edit, pause or end.
  const ended = c.status === 'ended' || state.label === '已结束'

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <a {...linkProps('/marketing/group')}>拼团</a>
          <span>/</span>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.title}
          </Typography.Title>
          <Tag color={state.color} data-testid="group-campaign-state">
            {state.label}
          </Tag>
        </Space>
        <Space>
          <Button onClick={loaded.reload}>刷新</Button>
          <PauseResume
            status={ended ? 'ended' : c.status}
            busy={switching}
            noun="拼团活动"
            pauseMeans="暂停后不能开新团、不能参团；已开的团继续计时，到时按活动设置退款或成团（恢复后可继续邀请）"
            resumeMeans="恢复后可以继续开团、参团"
            onChange={(s) => void setStatus(s)}
          />
          {ended ? null : (
            <Button danger onClick={end} loading={switching} disabled={switching}>
              结束活动
            </Button>
          )}
        </Space>
      </Space>
      {c.status === 'paused' ? (
        <Alert type="warning" showIcon message="活动已暂停：不能开新团、不能参团；已开的团继续计时，到时按活动设置退款或成团" />
      ) : null}
      {ended ? (
        <Alert
          type="info"
          showIcon
          data-testid="group-campaign-ended"
          message={`活动已于 ${shopTime(c.endedAt ?? c.endsAt, 'YYYY-MM-DD HH:mm')} 结束：不能开新团、不能参团；未成团的团已随活动结束`}
        />
      ) : null}
      <Row gutter={16}>
        <Col span={14}>
          <Card title="活动效果" size="small">
            <Row gutter={8} style={{ marginBottom: 12 }}>
              <Col span={6}>
                <Statistic title="开团" value={c.groupsOpened} />
              </Col>
              <Col span={6}>
                <Statistic title="成团" value={c.groupsSucceeded} />
              </Col>
              <Col span={6}>
                <Statistic title="付款人数" value={c.membersPaid} />
              </Col>
              <Col span={6}>
                <Statistic title="成团率" value={c.successRate === null ? '—' : percent(c.successRate)} />
              </Col>
            </Row>
            <GroupResultsChart campaign={c} />
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="成交额（扣除退款）">{formatFen(c.gmvFen)}</Descriptions.Item>
              <Descriptions.Item label="已退款">{formatFen(c.refundedFen)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col span={10}>
          <Card title="活动规则" size="small">
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="商品">
                {c.productTitle} · {c.specText || '默认规格'}
              </Descriptions.Item>
              <Descriptions.Item label="拼团价 / 售价">
                {formatFen(c.groupPriceFen)} / {formatFen(c.priceFen)}
              </Descriptions.Item>
              <Descriptions.Item label="成团">
                {c.groupSize} 人 · {c.groupHours} 小时内
              </Descriptions.Item>
              <Descriptions.Item label="到时未成团">{ON_EXPIRY_LABEL[c.onExpiry]}</Descriptions.Item>
              <Descriptions.Item label="活动时间">
                {shopTime(c.startsAt, 'YYYY-MM-DD HH:mm')} 至 {shopTime(c.endsAt, 'YYYY-MM-DD HH:mm')}
              </Descriptions.Item>
              <Descriptions.Item label="库存">{c.stock}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
      </Row>
      {ended ? null : (
        <Card title="修改活动" size="small">
          <Form<EditFields> form={form} layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 14 }} onFinish={(f) => void save(f)}>
            <Form.Item label="活动名称" name="title">
              <Input maxLength={40} style={{ width: 320 }} aria-label="活动名称" />
            </Form.Item>
            <Form.Item label="结束时间" name="endsAt" rules={[{ required: true, message: '请选择结束时间' }]}>
              <DatePicker showTime={{ format: 'HH:mm' }} showNow={false} format="YYYY-MM-DD HH:mm" disabledDate={beforeShopToday} />
            </Form.Item>
            <Form.Item
              label="拼团价（元）"
              name="groupPrice"
              rules={c.locked ? [] : [yuanRule]}
              extra={c.locked ? '已有团开出，不能再改' : '须低于商品售价'}
            >
              <Input prefix="¥" style={{ width: 180 }} disabled={c.locked} aria-label="拼团价" />
            </Form.Item>
            <Form.Item label="成团人数" name="groupSize" extra={c.locked ? '已有团开出，不能再改' : undefined}>
              <InputNumber min={2} max={10} precision={0} addonAfter="人" disabled={c.locked} aria-label="成团人数" />
            </Form.Item>
            <Form.Item wrapperCol={{ offset: 5 }}>
              <Button type="primary" htmlType="submit" loading={saving} disabled={saving}>
                保存修改
              </Button>
            </Form.Item>
          </Form>
        </Card>
      )}
      <GroupsTable campaignId={c.campaignId} serverTime={loaded.data.serverTime} />
    </Space>
  )
}

export default function GroupPage({ id }: { id: string | null }) {
  return id === null ? <CreateForm /> : <CampaignView id={id} />
}
