/**
 * 客户: the eight RFM segments as cards with their counts and a chart, the shop's averages they compare
 * against, and the member list (segment, search and sort in the URL); 发券 to the selected customers
 * or to a whole segment. `/customers?issue=<couponId>` opens 发券 with that coupon chosen.
 */
import { GiftOutlined, ReloadOutlined } from '@ant-design/icons'
import { Avatar, Button, Card, Col, Input, Row, Select, Space, Statistic, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { MemberRow, Segment } from '../../../../cloud/contract'
import { call } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { firstChar } from '../../lib/text'
import { shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { mayOpen } from '../../roles'
import { BASE, navigate, setQuery, useLocation } from '../../router'
import { useSession } from '../../session'
import { IssueDialog } from './IssueDialog'
import { SegmentChart } from './SegmentChart'
import { isSegment, recencyText, SEGMENT_COLOR, SEGMENT_LABEL, SEGMENTS } from './segments'

const SORTS = [
  { value: 'recent', label: '最近消费' },
  { value: 'spent', label: '消费金额' },
  { value: 'orders', label: '消费次数' },
  { value: 'joined', label: '注册时间' },
] as const
type Sort = (typeof SORTS)[number]['value']

export default function MemberListPage() {
  const { query } = useLocation()
  const pages = useCursorPages()
  const segParam = query.get('segment')
  const segment: Segment | null = isSegment(segParam) ? segParam : null
  const q = query.get('q') ?? ''
  const sortParam = query.get('sort')
  const sort: Sort = SORTS.some((s) => s.value === sortParam) ? (sortParam as Sort) : 'recent'
  const session = useSession()
  // 发券 is marketing's (admin.issueCoupon: 运营 and the owner); 客服 reads customers only.
  const mayIssue = session.status === 'signedIn' && mayOpen(session.session.user.role, 'coupons')
  const issueCoupon = mayIssue ? query.get('issue') : null
  const [typed, setTyped] = useState(q)
  useEffect(() => setTyped(q), [q])
  const [selected, setSelected] = useState<MemberRow[]>([])
  useEffect(() => setSelected([]), [segment, q, sort])

  const segs = useLoad(() => call('admin', 'segments', {}), [])
  const list = useLoad(
    () => call('admin', 'members', { ...(segment ? { segment } : {}), ...(q ? { q } : {}), sort, cursor: pages.cursor }),
    [segment, q, sort, pages.cursor],
  )
  const counts = segs.data?.counts

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          客户
        </Typography.Title>
        <Space>
          <Button href={`${BASE}/customers/ways`} onClick={(e) => (e.preventDefault(), void navigate('/customers/ways'))}>
            会员渠道
          </Button>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => {
              segs.reload()
              list.reload()
            }}
          >
            刷新
          </Button>
          {mayIssue ? (
            <Button type="primary" icon={<GiftOutlined />} onClick={() => setQuery({ issue: issueCoupon ?? 'pick' })}>
              发券
            </Button>
          ) : null}
        </Space>
      </Space>
      {segs.error ? (
        <LoadError message={segs.error} onRetry={segs.reload} />
      ) : (
        <Row gutter={12}>
          <Col span={14}>
            <Row gutter={[8, 8]}>
              {SEGMENTS.map((s) => (
                <Col span={6} key={s.key}>
                  <Card
                    size="small"
                    hoverable
                    data-testid={`segment-${s.key}`}
                    onClick={() => pages.filter({ segment: segment === s.key ? null : s.key })}
                    style={{ borderColor: segment === s.key ? s.color : undefined, borderWidth: segment === s.key ? 2 : 1 }}
                    title={<span style={{ color: s.color }}>{s.label}</span>}
                    loading={segs.loading && !counts}
                  >
                    <Statistic value={counts?.[s.key] ?? 0} suffix="人" valueStyle={{ fontSize: 22 }} />
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {s.hint}
                    </Typography.Text>
                  </Card>
                </Col>
              ))}
            </Row>
          </Col>
          <Col span={10}>
            <Card
              size="small"
              title="客户分群分布"
              extra={segs.data ? <span style={{ color: '#999' }}>统计于 {shopTime(segs.data.computedAt, 'HH:mm:ss')}</span> : null}
            >
              {counts ? <SegmentChart counts={counts} onPick={(s) => pages.filter({ segment: s })} /> : <div style={{ height: 260 }} />}
              {segs.data ? (
                <Typography.Paragraph type="secondary" style={{ margin: 0, fontSize: 12 }} data-testid="averages">
                  全店平均（{segs.data.customers} 位有消费的客户）：最近消费 {segs.data.averages.recencyDays} 天前 · 消费{' '}
                  {segs.data.averages.orders} 次 · 消费 {formatFen(segs.data.averages.spentFen)}；高于平均为「高」，等于平均算「低」。另有{' '}
                  {segs.data.withoutOrders} 位用户尚无消费，不在任何分群。
                </Typography.Paragraph>
              ) : null}
            </Card>
          </Col>
        </Row>
      )}
      <Card size="small">
        <Space wrap style={{ marginBottom: 12 }}>
          <Select
            style={{ width: 170 }}
            value={segment ?? 'all'}
            onChange={(v) => pages.filter({ segment: v === 'all' ? null : v })}
            options={[{ value: 'all', label: '全部客户' }, ...SEGMENTS.map((s) => ({ value: s.key, label: s.label }))]}
          />
          <Input.Search
            allowClear
            placeholder="昵称 / 手机号（至少4位）"
            style={{ width: 260 }}
            value={typed}
            maxLength={30}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(v) => pages.filter({ q: v.trim() })}
            enterButton="搜索"
          />
          <Space>
            <span>排序</span>
            <Select
              style={{ width: 120 }}
              value={sort}
              onChange={(v) => pages.filter({ sort: v === 'recent' ? null : v })}
              options={[...SORTS]}
            />
          </Space>
          {selected.length > 0 ? (
            <Space>
              <Typography.Text>已选 {selected.length} 位客户</Typography.Text>
              <Button size="small" onClick={() => setSelected([])}>
                清除
              </Button>
            </Space>
          ) : null}
        </Space>
        {list.error ? (
          <LoadError message={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<MemberRow>
              size="small"
              data-testid="member-table"
              rowKey="userId"
              loading={list.loading}
              dataSource={list.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: segment || q ? '没有符合条件的客户' : '暂无客户' }}
              rowSelection={
                mayIssue
                  ? {
                      selectedRowKeys: selected.map((m) => m.userId),
                      preserveSelectedRowKeys: true,
                      onChange: (_keys, rows) =>
                        setSelected((prev) => {
                          const onPage = new Set((list.data?.items ?? []).map((m) => m.userId))
                          return [...prev.filter((m) => !onPage.has(m.userId)), ...rows.filter(Boolean)]
                        }),
                    }
                  : undefined
              }
              columns={[
                {
                  title: '客户',
                  key: 'nickname',
                  ellipsis: true,
                  render: (_: unknown, m) => (
                    <Space>
                      <Avatar size="small" src={m.avatar ?? undefined}>
                        {firstChar(m.nickname)}
                      </Avatar>
                      <a
                        href={`/admin/customers/${m.userId}`}
                        onClick={(e) => {
                          e.preventDefault()
                          void navigate(`/customers/${m.userId}`)
                        }}
                      >
                        {m.nickname}
                      </a>
                    </Space>
                  ),
                },
                { title: '手机号', dataIndex: 'phone', width: 130, render: (v: string | null) => v ?? '—' },
                { title: '最近消费', dataIndex: 'recencyDays', width: 110, render: (v: number | null) => recencyText(v) },
                { title: '消费次数', dataIndex: 'orders', width: 90, align: 'right' },
                { title: '消费金额', dataIndex: 'spentFen', width: 120, align: 'right', render: (v: number) => formatFen(v) },
                {
                  title: '分群',
                  dataIndex: 'segment',
                  width: 130,
                  render: (s: Segment | null) => (s ? <Tag color={SEGMENT_COLOR[s]}>{SEGMENT_LABEL[s]}</Tag> : <Tag>无消费</Tag>),
                },
                { title: '注册时间', dataIndex: 'joinedAt', width: 150, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
              ]}
            />
            <Pager
              page={pages.page}
              hasPrev={pages.hasPrev}
              hasNext={!!list.data?.nextCursor}
              onPrev={pages.prev}
              onNext={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
              onFirst={pages.first}
            />
          </>
        )}
      </Card>
      {issueCoupon ? (
        <IssueDialog
          couponId={issueCoupon === 'pick' ? null : issueCoupon}
          selected={selected}
          segment={segment}
          segmentCount={segment && counts ? counts[segment] : null}
          onClose={(done) => {
            setQuery({ issue: null })
            if (done) {
              setSelected([])
              segs.reload()
            }
          }}
        />
      ) : null}
    </Space>
  )
}
