/**
 * 导购码: the signed-in staff member's own guide code — a mini-program code opening the mall home with
 * them as the sharer, large enough to scan from the screen — with 下载 PNG, the page path it opens and
 * their figures over the last 30 days. The owner also sees every staff member's code, each with its
 * download.
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Col, Descriptions, Image, Row, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { GuideCode, StaffMember } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { CenteredSpin, LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { useLoad } from '../../lib/use-load'
import { ROLE_LABEL } from '../../roles'
import { useSession } from '../../session'

/** The code drawn on a white square of `size` px and saved as PNG (a local QR code is an SVG). */
async function downloadPng(src: string, name: string, size = 860): Promise<void> {
  const img = new window.Image()
  img.crossOrigin = 'anonymous'
  img.src = src
  await img.decode()
  const canvas = document.createElement('canvas')
  canvas.width = size
  canvas.height = size
  const g = canvas.getContext('2d')!
  g.fillStyle = '#fff'
  g.fillRect(0, 0, size, size)
  g.drawImage(img, 0, 0, size, size)
  const blob = await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'))
  if (!blob) throw new Error('图片生成失败，请重试')
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10_000)
}

const fileName = (c: GuideCode) => `导购码-${c.nickname}.png`

function DownloadButton({ code, size }: { code: GuideCode; size?: 'small' }) {
  const { message } = App.useApp()
  const [busy, setBusy] = useState(false)
  return (
    <Button
      size={size}
      icon={<DownloadOutlined />}
      loading={busy}
      disabled={busy}
      onClick={() => {
        setBusy(true)
        downloadPng(code.code, fileName(code))
          .catch((err: unknown) => message.error(messageOf(err)))
          .finally(() => setBusy(false))
      }}
    >
      下载 PNG
    </Button>
  )
}

function MyCode({ code }: { code: GuideCode }) {
  const f = code.figures
  return (
    <Card title="我的导购码" size="small">
      <Row gutter={32} align="middle">
        <Col flex="none">
          <img
            src={code.code}
            alt={`${code.nickname}的导购码`}
            data-testid="guide-code"
            width={280}
            height={280}
            style={{ display: 'block', background: '#fff', border: '1px solid #f0f0f0', borderRadius: 8 }}
          />
        </Col>
        <Col flex="auto">
          <Space direction="vertical" size={16} style={{ width: '100%' }}>
            <Typography.Paragraph style={{ margin: 0 }}>
              顾客用微信扫这个码进入小程序首页，7 天内下单即记为你推广的订单，你的佣金按商品佣金比例计算。
            </Typography.Paragraph>
            <Descriptions size="small" column={1}>
              <Descriptions.Item label="导购">
                <Space>
                  {code.nickname}
                  {f.staffRole ? <Tag color="gold">{ROLE_LABEL[f.staffRole as keyof typeof ROLE_LABEL] ?? f.staffRole}</Tag> : null}
                </Space>
              </Descriptions.Item>
              <Descriptions.Item label="打开页面">
                <Typography.Text code copyable>
                  {code.path}
                </Typography.Text>
              </Descriptions.Item>
            </Descriptions>
            <Row gutter={16}>
              <Col span={6}>
                <Statistic title="近30天订单" value={f.orders} />
              </Col>
              <Col span={6}>
                <Statistic title="近30天成交额" value={formatFen(f.gmvFen)} />
              </Col>
              <Col span={6}>
                <Statistic title="近30天佣金" value={formatFen(f.commissionFen)} />
              </Col>
              <Col span={6}>
                <Statistic title="近30天客户" value={f.customers} />
              </Col>
            </Row>
            <Typography.Text type="secondary">按支付时间统计，不含已退款订单。</Typography.Text>
            <DownloadButton code={code} />
          </Space>
        </Col>
      </Row>
    </Card>
  )
}

type StaffCode = GuideCode & { role: StaffMember['role'] }

/** The owner's list: each staff member's code, loaded together (a shop has a handful of staff). */
function StaffCodes({ meId }: { meId: string }) {
  const codes = useLoad(async () => {
    const staff = (await call('admin', 'staff', {})).items.filter((s: StaffMember) => s.userId !== meId)
    const found = await Promise.all(staff.map((s) => call('admin', 'guideCode', { userId: s.userId })))
    return found.map((c, i): StaffCode => ({ ...c, role: staff[i]!.role }))
  }, [meId])
  return (
    <Card
      title="员工导购码"
      size="small"
      extra={<Button icon={<ReloadOutlined />} onClick={codes.reload} size="small" aria-label="刷新员工导购码" />}
    >
      {codes.error ? (
        <LoadError message={codes.error} onRetry={codes.reload} />
      ) : (
        <Table<StaffCode>
          rowKey="userId"
          loading={codes.loading}
          dataSource={codes.data ?? []}
          pagination={false}
          locale={{ emptyText: '还没有其他员工，可在「员工」中添加导购' }}
          columns={[
            {
              title: '导购码',
              key: 'code',
              width: 120,
              render: (_: unknown, c: GuideCode) => <Image src={c.code} width={96} height={96} alt={`${c.nickname}的导购码`} />,
            },
            {
              title: '员工',
              key: 'who',
              render: (_: unknown, c: StaffCode) => (
                <Space>
                  {c.nickname}
                  <Tag>{ROLE_LABEL[c.role]}</Tag>
                </Space>
              ),
            },
            { title: '近30天订单', key: 'orders', align: 'right', render: (_: unknown, c: GuideCode) => c.figures.orders },
            { title: '成交额', key: 'gmv', align: 'right', render: (_: unknown, c: GuideCode) => formatFen(c.figures.gmvFen) },
            { title: '佣金', key: 'commission', align: 'right', render: (_: unknown, c: GuideCode) => formatFen(c.figures.commissionFen) },
            { title: '客户', key: 'customers', align: 'right', render: (_: unknown, c: GuideCode) => c.figures.customers },
            { title: '操作', key: 'op', width: 130, render: (_: unknown, c: GuideCode) => <DownloadButton code={c} size="small" /> },
          ]}
        />
      )}
    </Card>
  )
}

export default function GuidePage() {
  const session = useSession()
  const mine = useLoad(() => call('admin', 'guideCode', {}), [])
  const isOwner = session.status === 'signedIn' && session.session.user.role === 'owner'
  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          导购码
        </Typography.Title>
        <Button icon={<ReloadOutlined />} onClick={mine.reload} loading={mine.loading && !!mine.data}>
          刷新
        </Button>
      </Space>
      {mine.error ? <LoadError message={mine.error} onRetry={mine.reload} /> : !mine.data ? <CenteredSpin /> : <MyCode code={mine.data} />}
      {isOwner && mine.data ? <StaffCodes meId={mine.data.userId} /> : null}
    </Space>
  )
}
