/**
 * 助力砍价 活动: `id` null is the create form (the terms previewed as the shopper will read them);
 * otherwise the campaign's results (tasks, helps, refusals by reason, coupons granted, orders),
 * 暂停 / 恢复 / 结束, and its published terms (editable only until someone starts a task).
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
  Modal,
  Popconfirm,
  Radio,
  Row,
  Select,
  Space,
  Statistic,
  Switch,
  Table,
  Tag,
  Typography,
} from 'antd'
import type { Dayjs } from 'dayjs'
import { useEffect, useRef, useState } from 'react'
import type { AdminAssistCampaign, AssistFace, AssistReason, AssistStatus } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { fenToInput, formatFen, parseYuan, yuanProblem } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { beforeShopToday, fromShopPicker, shopPickerNow, shopTime, toShopPicker } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps, navigate } from '../../router'
import { SkuPicker, type PickedSku } from '../deals/SkuPicker'
import { AssistResultsChart } from './AssistResultsChart'
import { ASSIST_REASON_LABEL, ASSIST_STATUS_COLOR, ASSIST_STATUS_LABEL, FACE_LABEL, termsPreview } from './assist-text'
import { PauseResume } from '../../components/PauseResume'

const fromPicker = fromShopPicker
const toPicker = toShopPicker

interface CreateFields {
  title: string
  face: AssistFace
  rewardCouponId?: string
  cutPerHelp?: string
  helpsNeeded: number
  taskHours: number
  helperCouponId?: string
  newCustomersOnly: boolean
  dailyHelpCap: number
  window: [Dayjs, Dayjs]
  status: 'active' | 'paused'
}

const FIELD_OF: Record<string, keyof CreateFields> = {
  title: 'title',
  rewardCouponId: 'rewardCouponId',
  cutPerHelpFen: 'cutPerHelp',
  helpsNeeded: 'helpsNeeded',
  taskHours: 'taskHours',
  helperCouponId: 'helperCouponId',
  dailyHelpCap: 'dailyHelpCap',
  startsAt: 'window',
  endsAt: 'window',
}

/** The shop's coupons to pick from (title and rule), loaded once. */
function useCoupons() {
  const loaded = useLoad(() => call('admin', 'coupons', {}), [])
  return (loaded.data?.items ?? [])
    .filter((c) => c.status !== 'ended' && !c.room)
    .map((c) => ({ value: c.couponId, label: `${c.title}（${c.ruleText}）`, title: c.title }))
}

function CreateForm() {
  const { message } = App.useApp()
  const [form] = Form.useForm<CreateFields>()
  const [sku, setSku] = useState<PickedSku | null>(null)
  const [saving, setSaving] = useState(false)
  const coupons = useCoupons()
  // One key per form session: a retry after a lost answer gives back the first campaign.
  const requestKey = useRef(newRequestKey())
  const face = Form.useWatch('face', form) ?? 'coupon'
  const helpsNeeded = Form.useWatch('helpsNeeded', form) ?? 0
  const cut = parseYuan(Form.useWatch('cutPerHelp', form) ?? '')
  const rewardId = Form.useWatch('rewardCouponId', form)
  const reward = coupons.find((c) => c.value === rewardId)

  const submit = async (f: CreateFields) => {
    if (f.face === 'price_cut' && !sku) {
      message.error('请选择砍价商品和规格')
      return
    }
    setSaving(true)
    try {
      const made = await call('admin', 'createAssistCampaign', {
        title: f.title,
        face: f.face,
        ...(f.face === 'coupon'
          ? { rewardCouponId: f.rewardCouponId }
          : { productId: sku!.productId, skuId: sku!.sku.id, cutPerHelpFen: cut ?? 0 }),
        helpsNeeded: f.helpsNeeded,
        taskHours: f.taskHours,
        ...(f.helperCouponId ? { helperCouponId: f.helperCouponId } : {}),
        newCustomersOnly: f.newCustomersOnly,
        dailyHelpCap: f.dailyHelpCap,
        startsAt: fromPicker(f.window[0]),
        endsAt: fromPicker(f.window[1]),
        status: f.status,
        idempotencyKey: requestKey.current,
      })
      message.success('活动已创建')
      void navigate(`/marketing/assist/${encodeURIComponent(made.campaignId)}`, { replace: true })
    } catch (err) {
      const issues = err instanceof ApiError ? err.fieldIssues().filter((i) => FIELD_OF[i.path]) : []
      if (issues.length > 0) form.setFields(issues.map((i) => ({ name: FIELD_OF[i.path]!, errors: [i.message] })))
      else message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const now = shopPickerNow()
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space>
        <a {...linkProps('/marketing/assist')}>助力砍价</a>
        <span>/</span>
        <Typography.Title level={4} style={{ margin: 0 }}>
          新建活动
        </Typography.Title>
      </Space>
      <Card>
        <Form<CreateFields>
          form={form}
          layout="horizontal"
          labelCol={{ span: 5 }}
          wrapperCol={{ span: 14 }}
          initialValues={{
            face: 'coupon',
            helpsNeeded: 3,
            taskHours: 24,
            newCustomersOnly: false,
            dailyHelpCap: 3,
            status: 'active',
            window: [now, now.add(7, 'day')],
          }}
          onFinish={(f) => void submit(f)}
        >
          <Form.Item label="活动名称" name="title" rules={[{ required: true, message: '请填写活动名称' }]}>
            <Input maxLength={30} showCount aria-label="活动名称" />
          </Form.Item>
          <Form.Item label="玩法" name="face">
            <Radio.Group>
              <Radio value="coupon">助力领券（好友助力满人数，发起人得一张券）</Radio>
              <Radio value="price_cut">砍价（每位好友砍固定金额）</Radio>
            </Radio.Group>
          </Form.Item>
          {face === 'coupon' ? (
            <Form.Item label="奖励券" name="rewardCouponId" rules={[{ required: true, message: '请选择奖励优惠券' }]}>
              <Select options={coupons} placeholder="选择发起人完成后得到的券" showSearch optionFilterProp="label" aria-label="奖励券" />
            </Form.Item>
          ) : (
            <>
              <Form.Item label="砍价商品" required>
                <SkuPicker value={sku} onChange={setSku} />
              </Form.Item>
              <Form.Item
                label="每位好友砍（元）"
                name="cutPerHelp"
                rules={[
                  {
                    validator: async (_: unknown, v: string) => {
                      const p = yuanProblem(v ?? '', { min: 0.01 })
                      if (p) throw new Error(p)
                    },
                  },
                ]}
              >
                <Input prefix="¥" style={{ width: 180 }} inputMode="decimal" aria-label="每位好友砍" />
              </Form.Item>
            </>
          )}
          <Form.Item label="需要好友人数" name="helpsNeeded" rules={[{ required: true, message: '请填写需要的好友人数' }]}>
            <InputNumber min={1} max={20} precision={0} addonAfter="人" aria-label="需要好友人数" />
          </Form.Item>
          <Form.Item label="助力时限" name="taskHours" rules={[{ required: true, message: '请填写助力时限' }]}>
            <InputNumber min={1} max={72} precision={0} addonAfter="小时" aria-label="助力时限" />
          </Form.Item>
          <Form.Item label="好友得新人券" name="helperCouponId" extra="好友领取自己的新人券即为助力；不选则好友点「帮TA助力」即为助力">
            <Select options={coupons} allowClear placeholder="可不选" showSearch optionFilterProp="label" aria-label="好友新人券" />
          </Form.Item>
          <Form.Item label="仅限新顾客助力" name="newCustomersOnly" valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item label="每人每天最多助力" name="dailyHelpCap">
            <InputNumber min={1} max={20} precision={0} addonAfter="次" aria-label="每人每天最多助力" />
          </Form.Item>
          <Form.Item label="活动时间（北京时间）" name="window" rules={[{ required: true, message: '请选择活动时间' }]}>
            <DatePicker.RangePicker showTime={{ format: 'HH:mm' }} format="YYYY-MM-DD HH:mm" disabledDate={beforeShopToday} />
          </Form.Item>
          <Form.Item label="顾客看到的规则">
            <Alert
              type="info"
              data-testid="assist-terms-preview"
              message={termsPreview({ face, helpsNeeded, rewardTitle: reward?.title, priceFen: sku?.sku.priceFen, cutPerHelpFen: cut })}
              description="规则在活动页公开展示；有人发起后，好友人数和每次砍价金额不能再修改"
            />
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
              <Button {...linkProps('/marketing/assist')}>取消</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
    </Space>
  )
}

interface TermsFields {
  helpsNeeded: number
  cutPerHelp: string
}

interface EditFields {
  title: string
  endsAt: Dayjs
}

/**
 * 修改活动: the title and the end time (docs/rules.md, the assist desk). The end stays after the start
 * and in the future; moving it earlier ends the tasks still running at that time, which the dialog says.
 * Saves once (the button spins and is off while sending); the server's refusals show at their field or
 * in its words.
 */
function EditDialog(props: {
  campaign: AdminAssistCampaign
  open: boolean
  onClose: () => void
  onSaved: (c: AdminAssistCampaign) => void
}) {
  const { campaign: c, open, onClose, onSaved } = props
  const { message } = App.useApp()
  const [form] = Form.useForm<EditFields>()
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    if (open) form.setFieldsValue({ title: c.title, endsAt: toPicker(c.endsAt) })
  }, [open, c, form])

  const save = async (f: EditFields) => {
    const endsAt = fromPicker(f.endsAt)
    const change = {
      ...(f.title.trim() !== c.title ? { title: f.title.trim() } : {}),
      ...(endsAt !== fromPicker(toPicker(c.endsAt)) ? { endsAt } : {}),
    }
    if (Object.keys(change).length === 0) {
      message.info('没有修改')
      onClose()
      return
    }
    setSaving(true)
    try {
      const next = await call('admin', 'updateAssistCampaign', { campaignId: c.campaignId, ...change })
      message.success('活动已修改')
      onSaved(next.campaign)
    } catch (err) {
      const issues = err instanceof ApiError ? err.fieldIssues().filter((i) => i.path === 'title' || i.path === 'endsAt') : []
      if (issues.length > 0) form.setFields(issues.map((i) => ({ name: i.path as keyof EditFields, errors: [i.message] })))
      else message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Modal
      title="修改活动"
      open={open}
      onCancel={onClose}
      okText="保存"
      cancelText="取消"
      confirmLoading={saving}
      okButtonProps={{ disabled: saving }}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Form<EditFields> form={form} layout="vertical" onFinish={(f) => void save(f)}>
        <Form.Item label="活动名称" name="title" rules={[{ required: true, whitespace: true, message: '请填写活动名称' }]}>
          <Input maxLength={30} aria-label="活动名称" />
        </Form.Item>
        <Form.Item
          label="结束时间"
          name="endsAt"
          rules={[{ required: true, message: '请选择结束时间' }]}
          extra={`开始于 ${shopTime(c.startsAt, 'YYYY-MM-DD HH:mm')}。结束时间须晚于开始时间和现在（立即结束请用「结束活动」）；提前结束时间，仍在进行中的助力会在那一刻结束，不能再助力。`}
        >
          <DatePicker
            showTime={{ format: 'HH:mm' }}
            showNow={false}
            format="YYYY-MM-DD HH:mm"
            disabledDate={beforeShopToday}
            aria-label="结束时间"
          />
        </Form.Item>
      </Form>
    </Modal>
  )
}

function CampaignView({ id }: { id: string }) {
  const { message } = App.useApp()
  const loaded = useLoad(() => call('admin', 'assistCampaign', { campaignId: id }), [id])
  const [campaign, setCampaign] = useState<AdminAssistCampaign | null>(null)
  useEffect(() => setCampaign(loaded.data?.campaign ?? null), [loaded.data])
  const [form] = Form.useForm<TermsFields>()
  const [busy, setBusy] = useState(false)
  const [editing, setEditing] = useState(false)
  useEffect(() => {
    const c = loaded.data?.campaign
    if (c) form.setFieldsValue({ helpsNeeded: c.helpsNeeded, cutPerHelp: c.product ? fenToInput(c.product.cutPerHelpFen) : '' })
  }, [loaded.data, form])

  if (loaded.error) return <LoadError message={loaded.error} onRetry={loaded.reload} />
  if (!campaign) return <CenteredSpin />
  const c = campaign
  const r = c.results
  const locked = r.tasksStarted > 0
  // Ended by the desk or by its window (which the server counts as ended): nothing to edit, pause or end.
  const shown: AssistStatus = c.status === 'ended' || new Date(c.endsAt).getTime() <= Date.now() ? 'ended' : c.status

  const update = async (change: { status?: AssistStatus; helpsNeeded?: number; cutPerHelpFen?: number }, done: string) => {
    setBusy(true)
    try {
      const next = await call('admin', 'updateAssistCampaign', { campaignId: c.campaignId, ...change })
      setCampaign(next.campaign)
      message.success(done)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setBusy(false)
      // The page reads the campaign again after every action (its results too, or what changed meanwhile).
      loaded.reload()
    }
  }
  const saveTerms = (t: TermsFields) => {
    const cut = c.product ? parseYuan(t.cutPerHelp) : null
    const change = {
      ...(t.helpsNeeded !== c.helpsNeeded ? { helpsNeeded: t.helpsNeeded } : {}),
      ...(c.product && cut !== null && cut !== c.product.cutPerHelpFen ? { cutPerHelpFen: cut } : {}),
    }
    if (Object.keys(change).length === 0) message.info('没有修改')
    else void update(change, '规则已保存')
  }

  const reasons = (Object.keys(ASSIST_REASON_LABEL) as AssistReason[]).map((k) => ({
    reason: k,
    label: ASSIST_REASON_LABEL[k],
    count: r.refusals[k],
  }))
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <a {...linkProps('/marketing/assist')}>助力砍价</a>
          <span>/</span>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.title}
          </Typography.Title>
          <Tag>{FACE_LABEL[c.face]}</Tag>
          <Tag color={ASSIST_STATUS_COLOR[shown]} data-testid="assist-status">
            {ASSIST_STATUS_LABEL[shown]}
          </Tag>
        </Space>
        <Space>
          <Button onClick={loaded.reload}>刷新</Button>
          {shown !== 'ended' ? (
            <Button onClick={() => setEditing(true)} disabled={busy}>
              修改活动
            </Button>
          ) : null}
          <PauseResume
            status={shown}
            busy={busy}
            pauseMeans="暂停后不能发起新的助力，好友助力也不计入；已发起的助力计时照常，可随时恢复"
            onChange={(s) => void update({ status: s }, s === 'paused' ? '活动已暂停' : '活动已恢复')}
          />
          {shown !== 'ended' ? (
            <Popconfirm
              title="结束这个活动？"
              description="结束后不能再恢复：不能发起、助力不再计入；已完成的砍价仍可在购买期限内下单"
              okText="结束"
              okButtonProps={{ danger: true }}
              cancelText="取消"
              onConfirm={() => update({ status: 'ended' }, '活动已结束')}
            >
              <Button danger loading={busy} disabled={busy}>
                结束活动
              </Button>
            </Popconfirm>
          ) : null}
        </Space>
      </Space>
      <EditDialog
        campaign={c}
        open={editing}
        onClose={() => setEditing(false)}
        onSaved={(next) => {
          setCampaign(next)
          setEditing(false)
          loaded.reload()
        }}
      />
      {c.status === 'paused' ? <Alert type="warning" showIcon message="活动已暂停：顾客不能发起助力，好友助力不计入" /> : null}
      <Row gutter={16}>
        <Col span={14}>
          <Card title="活动效果" size="small">
            <Row gutter={8} style={{ marginBottom: 12 }}>
              <Col span={6}>
                <Statistic title="发起" value={r.tasksStarted} />
              </Col>
              <Col span={6}>
                <Statistic title="完成" value={r.tasksCompleted} />
              </Col>
              <Col span={6}>
                {/* No task started: no rate to show yet (as 拼团's 成团率). */}
                {r.tasksStarted === 0 ? (
                  <Statistic title="完成率" value="—" />
                ) : (
                  <Statistic title="完成率" value={Math.round(r.completionRate * 100)} suffix="%" />
                )}
              </Col>
              <Col span={6}>
                <Statistic title="已过期" value={r.tasksExpired} />
              </Col>
              <Col span={6}>
                <Statistic title="助力计入" value={r.helpsCounted} />
              </Col>
              <Col span={6}>
                <Statistic title="新客助力" value={r.newCustomersHelped} />
              </Col>
              <Col span={6}>
                <Statistic title="好友得券" value={r.helperCouponsGranted} />
              </Col>
              {c.face === 'coupon' ? (
                <Col span={6}>
                  <Statistic title="奖励券发放" value={r.rewardCouponsGranted} />
                </Col>
              ) : null}
            </Row>
            <AssistResultsChart results={r} />
            {c.face === 'price_cut' ? (
              <Descriptions size="small" column={3} bordered>
                <Descriptions.Item label="砍价下单">{r.ordersPlaced}</Descriptions.Item>
                <Descriptions.Item label="付款">{r.ordersPaid}</Descriptions.Item>
                <Descriptions.Item label="成交额">{formatFen(r.gmvFen)}</Descriptions.Item>
              </Descriptions>
            ) : null}
          </Card>
        </Col>
        <Col span={10}>
          <Card title="助力未计入的原因" size="small">
            <Table
              rowKey="reason"
              size="small"
              pagination={false}
              dataSource={reasons}
              columns={[
                { title: '原因', dataIndex: 'label' },
                { title: '人次', dataIndex: 'count', align: 'right', width: 90 },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title="活动规则" size="small" extra={<span style={{ color: '#999' }}>创建于 {shopTime(c.createdAt, 'YYYY-MM-DD HH:mm')}</span>}>
        <Descriptions size="small" column={2} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="顾客看到的规则">{termsPreview({ ...c, rewardTitle: c.reward?.title, ...c.product })}</Descriptions.Item>
          <Descriptions.Item label="活动时间">
            {shopTime(c.startsAt, 'YYYY-MM-DD HH:mm')} 至 {shopTime(c.endsAt, 'YYYY-MM-DD HH:mm')}
          </Descriptions.Item>
          <Descriptions.Item label="助力时限">{c.taskHours} 小时</Descriptions.Item>
          <Descriptions.Item label="谁能助力">{c.newCustomersOnly ? '仅限新顾客' : '新老顾客'}</Descriptions.Item>
          <Descriptions.Item label="每人每天最多助力">{c.dailyHelpCap} 次</Descriptions.Item>
          <Descriptions.Item label="好友新人券">
            {c.helperCoupon ? `${c.helperCoupon.title}（${c.helperCoupon.ruleText}）` : '无'}
          </Descriptions.Item>
          {c.product ? (
            <Descriptions.Item label="商品 / 售价">
              {c.product.title} / {formatFen(c.product.priceFen)}
            </Descriptions.Item>
          ) : (
            <Descriptions.Item label="奖励券">{c.reward ? `${c.reward.title}（${c.reward.ruleText}）` : '—'}</Descriptions.Item>
          )}
        </Descriptions>
        <Form<TermsFields> form={form} layout="inline" onFinish={saveTerms} disabled={locked || shown === 'ended'}>
          <Form.Item label="需要好友人数" name="helpsNeeded">
            <InputNumber min={1} max={20} precision={0} addonAfter="人" aria-label="需要好友人数" />
          </Form.Item>
          {c.product ? (
            <Form.Item label="每位好友砍（元）" name="cutPerHelp">
              <Input prefix="¥" style={{ width: 140 }} inputMode="decimal" aria-label="每位好友砍" />
            </Form.Item>
          ) : null}
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={busy} disabled={busy || locked || shown === 'ended'}>
              保存规则
            </Button>
          </Form.Item>
        </Form>
        {locked ? (
          <Typography.Text type="secondary" style={{ display: 'block', marginTop: 8 }}>
            已有 {r.tasksStarted} 人发起，公开的规则（好友人数、每次砍价金额）不能再修改
          </Typography.Text>
        ) : null}
      </Card>
    </Space>
  )
}

export default function AssistPage({ id }: { id: string | null }) {
  return id === null ? <CreateForm /> : <CampaignView id={id} />
}
