/**
 * 会员: the results (members by tier and way in, points, member-price orders), the member list (by
 * tier, paged; filters in the URL) and the shop's member rules (thresholds, earn rates, the points cap).
 */
import { ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Descriptions, Form, InputNumber, Row, Select, Space, Statistic, Table, Tabs, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { MemberRules, MemberTier, MembershipRow } from '../../../../cloud/contract'
import { ApiError, call, messageOf } from '../../api'
import { LoadError } from '../../components/states'
import { fenToInput, formatFen, parseYuan } from '../../lib/money'
import { useLoad } from '../../lib/use-load'
import { setQuery, useLocation } from '../../router'

const TIER_LABEL: Record<MemberTier, string> = { normal: '普通会员', silver: '银卡', gold: '金卡' }
const TIER_COLOR: Record<MemberTier, string> = { normal: 'default', silver: 'blue', gold: 'gold' }
const TABS = ['stats', 'members', 'settings'] as const
type Tab = (typeof TABS)[number]

export default function MembershipPage() {
  const { query } = useLocation()
  const tab: Tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'stats'
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Typography.Title level={4} style={{ margin: 0 }}>
        会员
      </Typography.Title>
      <Tabs
        activeKey={tab}
        onChange={(k) => setQuery({ tab: k === 'stats' ? null : k, tier: null, page: null }, { push: true })}
        items={[
          { key: 'stats', label: '数据', children: tab === 'stats' ? <StatsTab /> : null },
          { key: 'members', label: '会员列表', children: tab === 'members' ? <MembersTab /> : null },
          { key: 'settings', label: '会员设置', children: tab === 'settings' ? <SettingsTab /> : null },
        ]}
      />
    </Space>
  )
}

function StatsTab() {
  const stats = useLoad(() => call('admin', 'memberStats', {}), [])
  if (stats.error) return <LoadError message={stats.error} onRetry={stats.reload} />
  const s = stats.data
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Button icon={<ReloadOutlined />} onClick={stats.reload} style={{ alignSelf: 'flex-end' }}>
        刷新
      </Button>
      <Card size="small" title="会员" loading={stats.loading}>
        <Row gutter={16}>
          <Col span={6}>
            <Statistic title="会员总数" value={s?.members ?? 0} />
          </Col>
          {(['normal', 'silver', 'gold'] as const).map((t) => (
            <Col span={6} key={t}>
              <Statistic title={TIER_LABEL[t]} value={s?.byTier[t] ?? 0} />
            </Col>
          ))}
        </Row>
        <Descriptions size="small" style={{ marginTop: 16 }} column={3}>
          <Descriptions.Item label="仅手机号开通">{s?.byWay.phone ?? 0}</Descriptions.Item>
          <Descriptions.Item label="仅企业微信（朋友会员）">{s?.byWay.wecom ?? 0}</Descriptions.Item>
          <Descriptions.Item label="两种都有">{s?.byWay.both ?? 0}</Descriptions.Item>
        </Descriptions>
      </Card>
      <Card size="small" title="积分" loading={stats.loading}>
        <Row gutter={16}>
          <Col span={4}>
            <Statistic title="累计发放" value={s?.points.earned ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title="待入账" value={s?.points.pending ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title="可用余额" value={s?.points.available ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title="已抵扣" value={s?.points.spent ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title="已退回" value={s?.points.returned ?? 0} />
          </Col>
          <Col span={4}>
            <Statistic title="已过期" value={s?.points.expired ?? 0} />
          </Col>
        </Row>
        <Typography.Text type="secondary">退款收回 {s?.points.reversed ?? 0} 积分；100 积分 = ¥1</Typography.Text>
      </Card>
      <Card size="small" title="会员价" loading={stats.loading}>
        <Row gutter={16}>
          <Col span={8}>
            <Statistic title="会员价订单（已支付未退款）" value={s?.memberPriceOrders ?? 0} />
          </Col>
          <Col span={8}>
            <Statistic title="会员价共省" value={formatFen(s?.memberSavingFen ?? 0)} />
          </Col>
        </Row>
      </Card>
    </Space>
  )
}

function MembersTab() {
  const { query } = useLocation()
  const tierParam = query.get('tier')
  const tier = tierParam === 'normal' || tierParam === 'silver' || tierParam === 'gold' ? tierParam : undefined
  const page = Math.max(1, Number(query.get('page')) || 1)
  const list = useLoad(() => call('admin', 'memberList', { ...(tier ? { tier } : {}), page }), [tier, page])
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space>
        <span>等级</span>
        <Select
          style={{ width: 140 }}
          value={tier ?? 'all'}
          onChange={(v) => setQuery({ tier: v === 'all' ? null : v, page: null }, { push: true })}
          options={[
            { value: 'all', label: '全部' },
            ...(['normal', 'silver', 'gold'] as const).map((t) => ({ value: t, label: TIER_LABEL[t] })),
          ]}
        />
        <Button icon={<ReloadOutlined />} onClick={list.reload}>
          刷新
        </Button>
      </Space>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Table<MembershipRow>
          rowKey="userId"
          size="small"
          loading={list.loading}
          dataSource={list.data?.items ?? []}
          locale={{ emptyText: '还没有会员' }}
          pagination={{
            current: page,
            pageSize: list.data?.pageSize ?? 20,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (p) => setQuery({ page: p === 1 ? null : p }, { push: true }),
          }}
          columns={[
            { title: '昵称', dataIndex: 'nickname' },
            {
              title: '开通方式',
              render: (_: unknown, r) => (
                <Space size={4}>
                  {r.phone ? <Tag>手机 {r.phone}</Tag> : null}
                  {r.wecom ? <Tag color="green">企业微信</Tag> : null}
                  {r.active ? null : <Tag color="red">已失效</Tag>}
                </Space>
              ),
            },
            { title: '等级', dataIndex: 'tier', render: (t: MemberTier) => <Tag color={TIER_COLOR[t]}>{TIER_LABEL[t]}</Tag> },
            { title: '近365天消费', dataIndex: 'spendFen', render: (f: number) => formatFen(f) },
            { title: '可用积分', render: (_: unknown, r) => r.points.available },
            { title: '待入账', render: (_: unknown, r) => r.points.pending },
            { title: '开通时间', dataIndex: 'joinedAt', render: (at: string) => new Date(at).toLocaleString('zh-CN', { hour12: false }) },
          ]}
        />
      )}
    </Space>
  )
}

interface SettingsForm {
  silverYuan: string
  goldYuan: string
  normal: number
  silver: number
  gold: number
  pointsMaxPercent: number
}

const toForm = (r: MemberRules): SettingsForm => ({
  silverYuan: fenToInput(r.silverFen),
  goldYuan: fenToInput(r.goldFen),
  normal: r.pointsPermille.normal / 1000,
  silver: r.pointsPermille.silver / 1000,
  gold: r.pointsPermille.gold / 1000,
  pointsMaxPercent: r.pointsMaxPercent,
})

function SettingsTab() {
  const { modal, message } = App.useApp()
  const rules = useLoad(() => call('admin', 'memberSettings', {}), [])
  const [form] = Form.useForm<SettingsForm>()
  const [saving, setSaving] = useState(false)
  useEffect(() => {
    if (rules.data) form.setFieldsValue(toForm(rules.data.rules))
  }, [rules.data, form])
  if (rules.error) return <LoadError message={rules.error} onRetry={rules.reload} />

  const save = async (v: SettingsForm) => {
    const silverFen = parseYuan(String(v.silverYuan))
    const goldFen = parseYuan(String(v.goldYuan))
    if (silverFen === null || silverFen < 1) return form.setFields([{ name: 'silverYuan', errors: ['请输入银卡门槛（元，最多两位小数）'] }])
    if (goldFen === null || goldFen <= silverFen) return form.setFields([{ name: 'goldYuan', errors: ['金卡门槛须高于银卡门槛'] }])
    // Higher tiers never earn slower (the API refuses it too, naming the field).
    if (v.silver < v.normal) return form.setFields([{ name: 'silver', errors: ['银卡积分倍率不能低于普通会员'] }])
    if (v.gold < v.silver) return form.setFields([{ name: 'gold', errors: ['金卡积分倍率不能低于银卡'] }])
    const input = {
      silverFen,
      goldFen,
      pointsPermille: { normal: Math.round(v.normal * 1000), silver: Math.round(v.silver * 1000), gold: Math.round(v.gold * 1000) },
      pointsMaxPercent: v.pointsMaxPercent,
    }
    const ok = await modal.confirm({
      title: '保存会员设置？',
      content: '保存后会员等级按新门槛立即重新计算；新的积分比例对之后支付的订单生效。',
      okText: '保存',
      cancelText: '取消',
    })
    if (!ok) return
    setSaving(true)
    try {
      const saved = await call('admin', 'saveMemberSettings', input)
      form.setFieldsValue(toForm(saved.rules))
      void message.success('已保存')
    } catch (err) {
      const issues = err instanceof ApiError ? err.fieldIssues() : []
      // The API's field issues at their fields (thresholds, rates per tier, the cap).
      const fieldOf: Record<string, keyof SettingsForm> = {
        silverFen: 'silverYuan',
        goldFen: 'goldYuan',
        'pointsPermille.normal': 'normal',
        'pointsPermille.silver': 'silver',
        'pointsPermille.gold': 'gold',
        pointsMaxPercent: 'pointsMaxPercent',
      }
      const placed = issues.filter((i) => fieldOf[i.path])
      if (placed.length > 0) form.setFields(placed.map((i) => ({ name: fieldOf[i.path]!, errors: [i.message] })))
      else void message.error(messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  return (
    <Card size="small" loading={rules.loading} style={{ maxWidth: 640 }}>
      <Form<SettingsForm> form={form} layout="vertical" onFinish={(v) => void save(v)}>
        <Typography.Title level={5}>会员等级（按近365天实付金额，不含已退款）</Typography.Title>
        <Space size={24}>
          <Form.Item label="银卡门槛（元）" name="silverYuan" rules={[{ required: true, message: '请输入银卡门槛' }]}>
            <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: 180 }} />
          </Form.Item>
          <Form.Item label="金卡门槛（元）" name="goldYuan" rules={[{ required: true, message: '请输入金卡门槛' }]}>
            <InputNumber<string> stringMode min="0.01" precision={2} style={{ width: 180 }} />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>积分比例（每实付 ¥1 得多少积分，最多 10；等级越高不能越低）</Typography.Title>
        <Space size={24}>
          {(['normal', 'silver', 'gold'] as const).map((t) => (
            <Form.Item key={t} label={TIER_LABEL[t]} name={t} rules={[{ required: true, message: '请输入积分比例' }]}>
              <InputNumber min={0} max={10} step={0.5} precision={3} style={{ width: 140 }} />
            </Form.Item>
          ))}
        </Space>
        <Form.Item
          label="积分抵扣上限（占会员价、优惠券之后商品金额的百分比）"
          name="pointsMaxPercent"
          rules={[{ required: true, message: '请输入抵扣上限' }]}
          extra="100 积分抵 ¥1，按整元抵扣；秒杀和活动订单不可使用积分"
        >
          <InputNumber min={0} max={100} addonAfter="%" style={{ width: 160 }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={saving}>
          保存
        </Button>
      </Form>
    </Card>
  )
}
