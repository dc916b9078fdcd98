/**
 * 会员渠道 (客户 › 会员渠道): how customers became members — a verified phone or the merchant's 企业微信
 * (朋友会员) — and whether WeCom's callback reaches the shop: its mode, callbacks refused in the last
 * 24 hours, and the newest events as they were applied.
 */
import { ArrowLeftOutlined, ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Col, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import type { MemberWayEvent, WecomMode } from '../../../../cloud/contract'
import { call } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { shopTime } from '../../lib/time'
import { useLoad } from '../../lib/use-load'
import { BASE, navigate } from '../../router'

const MODE: Record<WecomMode, { color: string; text: string; hint: string }> = {
  wecom: { color: 'green', text: '企业微信已接入', hint: '顾客添加店长企业微信后自动成为朋友会员' },
  sandbox: { color: 'orange', text: '沙箱（测试环境）', hint: '测试环境的模拟企业微信，事件同样签名加密' },
  off: { color: 'default', text: '未接入企业微信', hint: '仅手机号开通；接入方法见部署文档（WECOM_*）' },
}
const CHANGE: Record<string, string> = {
  add_external_contact: '添加',
  del_follow_user: '顾客删除了店长',
  del_external_contact: '店长删除了顾客',
}
const OUTCOME: Record<string, { color: string; text: string }> = {
  applied: { color: 'green', text: '已生效' },
  stale: { color: 'default', text: '过期事件（未改变）' },
  linked_elsewhere: { color: 'orange', text: '已归属其他顾客' },
}
const REASON: Record<string, string> = {
  BAD_SIGNATURE: '签名不符',
  WRONG_RECEIVER: '非本企业',
  BAD_PAYLOAD: '无法解密',
  MISSING_PARAMS: '缺少参数',
  BAD_EVENT: '事件内容无效',
}

function Metric({ id, title, value, hint }: { id: string; title: string; value: number; hint: string }) {
  return (
    <Card size="small" data-testid={`ways-${id}`}>
      <Statistic title={title} value={value} />
      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
        {hint}
      </Typography.Text>
    </Card>
  )
}

export default function MemberWaysPage() {
  const { data, loading, error, reload } = useLoad(() => call('admin', 'memberWays', {}), [])
  const back = (
    <Button
      type="link"
      icon={<ArrowLeftOutlined />}
      href={`${BASE}/customers`}
      onClick={(e) => (e.preventDefault(), void navigate('/customers'))}
      style={{ paddingInline: 0 }}
    >
      客户
    </Button>
  )
  if (!data) {
    if (error) return <LoadError message={error} onRetry={reload} />
    return <CenteredSpin />
  }
  const mode = MODE[data.wecom]
  const refusedTotal = data.refused.reduce((n, r) => n + r.count, 0)
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      {back}
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space>
          <Typography.Title level={4} style={{ margin: 0 }}>
            会员渠道
          </Typography.Title>
          <Tag color={mode.color} data-testid="ways-mode">
            {mode.text}
          </Tag>
          <Typography.Text type="secondary">{mode.hint}</Typography.Text>
        </Space>
        <Button icon={<ReloadOutlined />} onClick={reload} loading={loading}>
          刷新
        </Button>
      </Space>
      {refusedTotal > 0 ? (
        <Alert
          type="warning"
          showIcon
          data-testid="ways-refused"
          message={`近 24 小时拒收了 ${refusedTotal} 次企业微信回调`}
          description={`${data.refused.map((r) => `${REASON[r.reason] ?? r.reason} ${r.count} 次`).join('，')}。若是刚修改过回调的 Token 或 EncodingAESKey，请确认服务器上的 WECOM_TOKEN、WECOM_AES_KEY 与企业微信后台一致；其余多为伪造请求，已拒绝，未产生任何变化。`}
        />
      ) : null}
      <Row gutter={[12, 12]}>
        <Col xs={12} md={6}>
          <Metric id="members" title="会员" value={data.members} hint="手机号或企业微信任一方式有效" />
        </Col>
        <Col xs={12} md={6}>
          <Metric id="phone" title="手机号会员" value={data.phoneMembers} hint={`近 7 天新开通 ${data.week.phoneJoins}`} />
        </Col>
        <Col xs={12} md={6}>
          <Metric id="wecom" title="朋友会员（企业微信）" value={data.wecomMembers} hint={`近 7 天添加 ${data.week.adds}`} />
        </Col>
        <Col xs={12} md={6}>
          <Metric id="ended" title="已删除企业微信" value={data.wecomEnded} hint={`近 7 天删除 ${data.week.removes}；有手机号者仍是会员`} />
        </Col>
      </Row>
      <Card size="small" title="最近的企业微信事件">
        <Table<MemberWayEvent>
          size="small"
          rowKey={(e) => `${e.receivedAt}-${e.changeType}-${e.happenedAt}-${e.nickname ?? ''}`}
          dataSource={data.recent}
          pagination={false}
          locale={{ emptyText: data.wecom === 'off' ? '未接入企业微信' : '还没有收到企业微信事件' }}
          columns={[
            { title: '收到时间', dataIndex: 'receivedAt', render: (v: string) => shopTime(v, 'MM-DD HH:mm:ss'), width: 140 },
            {
              title: '顾客',
              dataIndex: 'nickname',
              render: (v: string | null) => v ?? <Typography.Text type="secondary">未关联</Typography.Text>,
            },
            { title: '变化', dataIndex: 'changeType', render: (v: string) => CHANGE[v] ?? v },
            { title: '发生时间', dataIndex: 'happenedAt', render: (v: string) => shopTime(v, 'MM-DD HH:mm:ss'), width: 140 },
            {
              title: '结果',
              dataIndex: 'outcome',
              render: (v: string) => <Tag color={OUTCOME[v]?.color}>{OUTCOME[v]?.text ?? v}</Tag>,
            },
          ]}
        />
      </Card>
    </Space>
  )
}
