/**
 * 新人9.9 活动: `id` null is the create form; otherwise the campaign's edit form, 暂停 / 恢复, and its
 * funnel (entries, invites opened and counted with the refusal reasons, claims, paid, rewards).
 */
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Form,
  Input,
  InputNumber,
  Radio,
  Row,
  Space,
  Statistic,
  Table,
  Tag,
  Typography,
} from 'antd'
import { useEffect, useRef, useState } from 'react'
import type { AdminDealCampaign, InviteReason } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { fenToInput, formatFen, parseYuan, yuanProblem } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { linkProps, navigate } from '../../router'
import { sendConfirmed } from '../../lib/confirm-warnings'
import { DEAL_STATUS_COLOR, DEAL_STATUS_LABEL, REASON_LABEL } from './deal-text'
import { DealFunnelChart } from './DealFunnelChart'
import { SkuPicker, type PickedSku } from './SkuPicker'
import { PauseResume } from '../../components/PauseResume'

interface Terms {
  dealPrice: string
  baseClaims: number
  extraClaimsPerInvite: number
  maxExtraClaims: number
  inviteCountsWhen: 'joined' | 'paid'
  inviteReward: string
  status?: 'active' | 'paused'
}

const yuanRule = (opts: { min?: number }) => ({
  validator: async (_: unknown, v: string) => {
    const p = yuanProblem(v ?? '', opts)
    if (p) throw new Error(p)
  },
})

/** The server's field messages (VALIDATION_FAILED details) at their fields; true when it named any. */
function showFieldIssues(form: ReturnType<typeof Form.useForm<Terms>>[0], err: unknown): boolean {
  if (!(err instanceof ApiError)) return false
  const map: Record<string, keyof Terms> = {
    dealPriceFen: 'dealPrice',
    inviteRewardFen: 'inviteReward',
    baseClaims: 'baseClaims',
    extraClaimsPerInvite: 'extraClaimsPerInvite',
    maxExtraClaims: 'maxExtraClaims',
    inviteCountsWhen: 'inviteCountsWhen',
  }
  const issues = err.fieldIssues().filter((i) => map[i.path])
  form.setFields(issues.map((i) => ({ name: map[i.path]!, errors: [i.message] })))
  return issues.length > 0
}

function TermsFields({ modeLocked }: { modeLocked: string | null }) {
  return (
    <>
      <Form.Item label="新人价（元）" name="dealPrice" rules={[yuanRule({ min: 1 })]} extra="须低于商品售价">
        <Input prefix="¥" style={{ width: 180 }} inputMode="decimal" aria-label="新人价" />
      </Form.Item>
      <Form.Item label="基础领取次数" name="baseClaims" rules={[{ required: true, message: '请输入基础领取次数' }]}>
        <InputNumber min={0} max={10} precision={0} aria-label="基础领取次数" />
      </Form.Item>
      <Form.Item label="每邀请 1 人多领" name="extraClaimsPerInvite" rules={[{ required: true, message: '请输入每次邀请多领的次数' }]}>
        <InputNumber min={0} max={10} precision={0} addonAfter="次" aria-label="每邀请多领次数" />
      </Form.Item>
      <Form.Item label="最多多领" name="maxExtraClaims" rules={[{ required: true, message: '请输入最多多领的次数' }]}>
        <InputNumber min={0} max={100} precision={0} addonAfter="次" aria-label="最多多领次数" />
      </Form.Item>
      <Form.Item label="邀请何时计入" name="inviteCountsWhen" extra={modeLocked ?? '活动有人参加后不能再修改'}>
        <Radio.Group disabled={!!modeLocked}>
          <Radio value="joined">好友参加活动即计入</Radio>
          <Radio value="paid">好友完成首单才计入</Radio>
        </Radio.Group>
      </Form.Item>
      <Form.Item
        label="每邀请 1 人奖励（元）"
        name="inviteReward"
        rules={[yuanRule({ min: 0 })]}
        extra="好友首单付款后记入邀请人的收益，退款则收回；0 为不奖励"
      >
        <Input prefix="¥" style={{ width: 180 }} inputMode="decimal" aria-label="邀请奖励" />
      </Form.Item>
    </>
  )
}

function CreateForm() {
  const { message, modal } = App.useApp()
  const [form] = Form.useForm<Terms>()
  const [sku, setSku] = useState<PickedSku | null>(null)
  const [saving, setSaving] = useState(false)
  // One key per form session: a retry after a lost answer gives back the first campaign.
  const requestKey = useRef(newRequestKey())

  const submit = async (t: Terms) => {
    if (!sku) {
      message.error('请选择活动商品和规格')
      return
    }
    setSaving(true)
    try {
      const made = await sendConfirmed(modal, '仍然提交', (confirm) =>
        call('admin', 'createDealCampaign', {
          productId: sku.productId,
          skuId: sku.sku.id,
          dealPriceFen: parseYuan(t.dealPrice)!,
          baseClaims: t.baseClaims,
          extraClaimsPerInvite: t.extraClaimsPerInvite,
          maxExtraClaims: t.maxExtraClaims,
          inviteCountsWhen: t.inviteCountsWhen,
          inviteRewardFen: parseYuan(t.inviteReward) ?? 0,
          status: t.status ?? 'active',
          idempotencyKey: requestKey.current,
          ...(confirm ? { confirm } : {}),
        }),
      )
      if (!made) return
      message.success('活动已创建')
      void navigate(`/marketing/deals/${encodeURIComponent(made.campaignId)}`, { replace: true })
    } catch (err) {
      if (!showFieldIssues(form, err)) message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space>
        <a {...linkProps('/marketing/deals')}>新人9.9</a>
        <span>/</span>
        <Typography.Title level={4} style={{ margin: 0 }}>
          新建活动
        </Typography.Title>
      </Space>
      <Card>
        <Form<Terms>
          form={form}
          layout="horizontal"
          labelCol={{ span: 5 }}
          wrapperCol={{ span: 14 }}
          initialValues={{
            dealPrice: '9.90',
            baseClaims: 1,
            extraClaimsPerInvite: 1,
            maxExtraClaims: 3,
            inviteCountsWhen: 'paid',
            inviteReward: '0',
            status: 'active',
          }}
          onFinish={(t) => void submit(t)}
        >
          <Form.Item label="活动商品" required>
            <SkuPicker value={sku} onChange={setSku} />
          </Form.Item>
          <TermsFields modeLocked={null} />
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
              <Button {...linkProps('/marketing/deals')}>取消</Button>
            </Space>
          </Form.Item>
        </Form>
      </Card>
    </Space>
  )
}

const termsOf = (c: AdminDealCampaign): Terms => ({
  dealPrice: fenToInput(c.dealPriceFen),
  baseClaims: c.baseClaims,
  extraClaimsPerInvite: c.extraClaimsPerInvite,
  maxExtraClaims: c.maxExtraClaims,
  inviteCountsWhen: c.inviteCountsWhen,
  inviteReward: fenToInput(c.inviteRewardFen),
})

function CampaignView({ id }: { id: string }) {
  const { message, modal } = App.useApp()
  const loaded = useLoad(() => call('admin', 'dealCampaign', { campaignId: id }), [id])
  const [campaign, setCampaign] = useState<AdminDealCampaign | null>(null)
  useEffect(() => setCampaign(loaded.data?.campaign ?? null), [loaded.data])
  const [form] = Form.useForm<Terms>()
  const [saving, setSaving] = useState(false)
  const [switching, setSwitching] = useState(false)
  useEffect(() => {
    if (loaded.data) form.setFieldsValue(termsOf(loaded.data.campaign))
  }, [loaded.data, form])

  if (loaded.error) return <LoadError message={loaded.error} onRetry={loaded.reload} />
  if (!campaign) return <CenteredSpin />
  const c = campaign
  const f = c.funnel

  const save = async (t: Terms) => {
    setSaving(true)
    try {
      const next = termsOf(c)
      const changed = {
        ...(t.dealPrice !== next.dealPrice ? { dealPriceFen: parseYuan(t.dealPrice)! } : {}),
        ...(t.baseClaims !== next.baseClaims ? { baseClaims: t.baseClaims } : {}),
        ...(t.extraClaimsPerInvite !== next.extraClaimsPerInvite ? { extraClaimsPerInvite: t.extraClaimsPerInvite } : {}),
        ...(t.maxExtraClaims !== next.maxExtraClaims ? { maxExtraClaims: t.maxExtraClaims } : {}),
        ...(t.inviteCountsWhen !== next.inviteCountsWhen ? { inviteCountsWhen: t.inviteCountsWhen } : {}),
        ...(t.inviteReward !== next.inviteReward ? { inviteRewardFen: parseYuan(t.inviteReward) ?? 0 } : {}),
      }
      if (Object.keys(changed).length === 0) {
        message.info('没有修改')
        return
      }
      const r = await sendConfirmed(modal, '仍然提交', (confirm) =>
        call('admin', 'updateDealCampaign', { campaignId: c.campaignId, ...changed, ...(confirm ? { confirm } : {}) }),
      )
      if (!r) return
      setCampaign(r.campaign)
      form.setFieldsValue(termsOf(r.campaign))
      message.success('已保存，新规则从现在起生效')
    } catch (err) {
      if (!showFieldIssues(form, err)) message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const setStatus = async (status: 'active' | 'paused') => {
    setSwitching(true)
    try {
      const r = await call('admin', 'updateDealCampaign', { campaignId: c.campaignId, status })
      setCampaign(r.campaign)
      message.success(status === 'paused' ? '活动已暂停' : '活动已恢复')
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setSwitching(false)
    }
  }

  const reasons = (Object.keys(REASON_LABEL) as InviteReason[]).map((k) => ({
    reason: k,
    label: REASON_LABEL[k],
    count: f.refusals[k] ?? 0,
  }))
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <a {...linkProps('/marketing/deals')}>新人9.9</a>
          <span>/</span>
          <Typography.Title level={4} style={{ margin: 0 }}>
            {c.title}
          </Typography.Title>
          <Tag color={DEAL_STATUS_COLOR[c.status]} data-testid="deal-status">
            {DEAL_STATUS_LABEL[c.status]}
          </Tag>
        </Space>
        <Space>
          <Button onClick={loaded.reload}>刷新</Button>
          <PauseResume
            status={c.status}
            busy={switching}
            pauseMeans="暂停后新客无法领取（活动页显示「活动已暂停」），已下的订单不受影响；可随时恢复"
            resumeMeans="恢复后新客可以继续领取"
            onChange={(s) => void setStatus(s)}
          />
        </Space>
      </Space>
      {c.status === 'paused' ? <Alert type="warning" showIcon message="活动已暂停：新客打开活动页看到「活动已暂停」，不能领取" /> : null}
      <Row gutter={16}>
        <Col span={14}>
          <Card title="活动漏斗" size="small">
            <Row gutter={8} style={{ marginBottom: 12 }}>
              <Col span={4}>
                <Statistic title="进入活动" value={f.entered} />
              </Col>
              <Col span={4}>
                <Statistic title="其中新客" value={f.enteredNew} />
              </Col>
              <Col span={4}>
                <Statistic title="邀请打开" value={f.invitesSent} />
              </Col>
              <Col span={4}>
                <Statistic title="邀请计入" value={f.invitesCounted} />
              </Col>
              <Col span={4}>
                <Statistic title="领取" value={f.claims} />
              </Col>
              <Col span={4}>
                <Statistic title="付款" value={f.paid} />
              </Col>
            </Row>
            <DealFunnelChart funnel={f} />
            <Descriptions size="small" column={2} bordered>
              <Descriptions.Item label="邀请奖励 · 待结算">{formatFen(f.rewardsPendingFen)}</Descriptions.Item>
              <Descriptions.Item label="邀请奖励 · 已结算">{formatFen(f.rewardsSettledFen)}</Descriptions.Item>
            </Descriptions>
          </Card>
        </Col>
        <Col span={10}>
          <Card title="邀请未计入的原因" size="small">
            <Table
              rowKey="reason"
              size="small"
              pagination={false}
              dataSource={reasons}
              columns={[
                { title: '原因', dataIndex: 'label' },
                { title: '次数', dataIndex: 'count', align: 'right', width: 90 },
              ]}
            />
          </Card>
        </Col>
      </Row>
      <Card title="活动规则" size="small" extra={<span style={{ color: '#999' }}>创建于 {shopTime(c.createdAt, 'YYYY-MM-DD HH:mm')}</span>}>
        <Descriptions size="small" column={3} style={{ marginBottom: 16 }}>
          <Descriptions.Item label="商品">{c.title}</Descriptions.Item>
          <Descriptions.Item label="规格">{c.specText || '默认'}</Descriptions.Item>
          <Descriptions.Item label="售价 / 库存">
            {formatFen(c.priceFen)} / {c.stock}
          </Descriptions.Item>
        </Descriptions>
        <Form<Terms> form={form} layout="horizontal" labelCol={{ span: 5 }} wrapperCol={{ span: 14 }} onFinish={(t) => void save(t)}>
          <TermsFields modeLocked={f.entered > 0 ? `已有 ${f.entered} 人参加，不能再修改` : null} />
          <Form.Item wrapperCol={{ offset: 5 }} extra="修改从现在起生效：已下的订单保持原价，已记入的奖励不变">
            <Button type="primary" htmlType="submit" loading={saving} disabled={saving}>
              保存修改
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </Space>
  )
}

export default function DealPage({ id }: { id: string | null }) {
  return id === null ? <CreateForm /> : <CampaignView id={id} />
}
