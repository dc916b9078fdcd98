/**
 * 订单: status tabs with counts, search (订单号 / 手机号 / 昵称), dates, the paged table (20/50/100 a
 * page, compact rows: a dozen orders on a 1280×720 screen); the open order, the tab, the search, the
 * dates and the page size all live in the URL. 批量发货 and 导出 CSV of the filtered list.
 */
import { DownloadOutlined, ReloadOutlined, UploadOutlined } from '@ant-design/icons'
import { App, Badge, Button, Card, DatePicker, Input, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import dayjs, { type Dayjs } from 'dayjs'
import { useEffect, useState } from 'react'
import type { AdminOrderRow, AdminOrderTab } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { downloadText } from '../../lib/download'
import { formatFen } from '../../lib/money'
import { shopNow, shopTime } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { setQuery, useLocation } from '../../router'
import { BatchShip } from './BatchShip'
import { groupTag, KIND_TAG, shipBlocked, STATUS_COLOR, STATUS_LABEL, TABS } from './labels'
import { OrderDrawer } from './OrderDrawer'

/** The page sizes offered (`size` in the URL); the first is the default. */
export const PAGE_SIZES = [20, 50, 100] as const
const DAY = /^\d{4}-\d{2}-\d{2}$/
/** A date picked in the console is a day of the shop's clock (Asia/Shanghai). */
const shopDayStart = (day: string) => `${day}T00:00:00+08:00`

export default function OrderListPage() {
  const { message } = App.useApp()
  const { query } = useLocation()
  const pages = useCursorPages()
  const tabParam = query.get('status')
  const tab: AdminOrderTab = TABS.some((t) => t.key === tabParam) ? (tabParam as AdminOrderTab) : 'all'
  const q = query.get('q') ?? ''
  const fromDay = DAY.test(query.get('from') ?? '') ? query.get('from')! : null
  const toDay = DAY.test(query.get('to') ?? '') ? query.get('to')! : null
  const openId = query.get('order')
  const sizeParam = Number(query.get('size'))
  const pageSize = (PAGE_SIZES as readonly number[]).includes(sizeParam) ? sizeParam : PAGE_SIZES[0]
  const [typed, setTyped] = useState(q)
  useEffect(() => setTyped(q), [q])
  const [batchOpen, setBatchOpen] = useState(false)
  const [exporting, setExporting] = useState(false)

  const filters = {
    ...(q ? { q } : {}),
    ...(fromDay ? { from: shopDayStart(fromDay) } : {}),
    ...(toDay ? { to: shopDayStart(dayjs(toDay).add(1, 'day').format('YYYY-MM-DD')) } : {}),
  }
  const list = useLoad(
    () => call('admin', 'orders', { ...filters, ...(tab === 'all' ? {} : { status: tab }), cursor: pages.cursor, limit: pageSize }),
    [tab, q, fromDay, toDay, pages.cursor, pageSize],
  )

  const exportCsv = async () => {
    setExporting(true)
    try {
      const r = await call('admin', 'exportOrders', { ...filters, ...(tab === 'all' ? {} : { status: tab }) })
      if (!r.rows) {
        message.info('没有符合条件的订单')
        return
      }
      downloadText(`订单-${shopNow('YYYYMMDD-HHmm')}.csv`, r.csv)
      if (r.truncated) message.warning(`订单较多，仅导出了前 ${r.rows} 条，请缩小日期范围后分批导出`)
      else message.success(`已导出 ${r.rows} 条订单`)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setExporting(false)
    }
  }

  const counts = list.data?.counts
  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
        <Space wrap>
          <Typography.Title level={4} style={{ margin: '0 8px 0 0' }}>
            订单
          </Typography.Title>
          <Input.Search
            allowClear
            placeholder="订单号 / 手机号 / 昵称"
            style={{ width: 260 }}
            value={typed}
            maxLength={40}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(v) => pages.filter({ q: v.trim() })}
            enterButton="搜索"
          />
          <DatePicker.RangePicker
            allowEmpty={[true, true]}
            style={{ width: 250 }}
            value={[fromDay ? dayjs(fromDay) : null, toDay ? dayjs(toDay) : null]}
            onChange={(v: [Dayjs | null, Dayjs | null] | null) =>
              pages.filter({ from: v?.[0]?.format('YYYY-MM-DD') ?? null, to: v?.[1]?.format('YYYY-MM-DD') ?? null })
            }
            placeholder={['下单开始日期', '结束日期']}
          />
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </Space>
        <Space>
          <Button icon={<UploadOutlined />} onClick={() => setBatchOpen(true)}>
            批量发货
          </Button>
          <Button icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCsv()}>
            导出 CSV
          </Button>
        </Space>
      </Space>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Tabs
          size="small"
          tabBarStyle={{ marginBottom: 8 }}
          activeKey={tab}
          onChange={(k) => pages.filter({ status: k === 'all' ? null : k })}
          items={TABS.map((t) => ({
            key: t.key,
            label: (
              <span>
                {t.label}
                {counts ? (
                  <Badge
                    count={counts[t.key] ?? 0}
                    showZero
                    overflowCount={9999}
                    color={
                      t.key === 'refund_requested' && counts[t.key] ? '#ff4d4f' : t.key === 'paid' && counts[t.key] ? '#1677ff' : '#bfbfbf'
                    }
                    style={{ marginLeft: 6 }}
                  />
                ) : null}
              </span>
            ),
          }))}
        />
        {list.error ? (
          <LoadError message={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<AdminOrderRow>
              size="small"
              data-testid="order-table"
              rowKey="id"
              loading={list.loading}
              dataSource={list.data?.items ?? []}
              pagination={false}
              locale={{ emptyText: q || fromDay || toDay ? '没有符合条件的订单' : '暂无订单' }}
              onRow={(r) => ({ onDoubleClick: () => setQuery({ order: r.id }) })}
              columns={[
                {
                  title: '订单编号',
                  dataIndex: 'orderNo',
                  width: 190,
                  render: (no: string, r) => (
                    <a
                      href="#"
                      style={{ fontFamily: 'monospace' }}
                      onClick={(e) => {
                        e.preventDefault()
                        setQuery({ order: r.id })
                      }}
                    >
                      {no}
                    </a>
                  ),
                },
                { title: '下单时间', dataIndex: 'createdAt', width: 150, render: (v: string) => shopTime(v, 'YYYY-MM-DD HH:mm') },
                {
                  title: '买家',
                  key: 'buyer',
                  width: 220,
                  ellipsis: true,
                  // One line a row: the nickname, then the receiver's phone in grey.
                  render: (_: unknown, r) => (
                    <span>
                      {r.buyer.nickname}
                      {r.address ? <span style={{ color: '#999', marginLeft: 8 }}>{r.address.phone}</span> : null}
                    </span>
                  ),
                },
                {
                  title: '商品',
                  key: 'items',
                  ellipsis: true,
                  render: (_: unknown, r) => {
                    const first = r.items[0]
                    const units = r.items.reduce((n, i) => n + i.qty, 0)
                    return first ? (
                      <span>
                        {first.title}
                        {first.specText ? ` · ${first.specText}` : ''} ×{first.qty}
                        {r.items.length > 1 ? <span style={{ color: '#999' }}> 等 {units} 件</span> : null}
                      </span>
                    ) : (
                      '—'
                    )
                  },
                },
                { title: '实付', dataIndex: 'payableFen', width: 110, align: 'right', render: (v: number) => formatFen(v) },
                {
                  title: '状态',
                  dataIndex: 'status',
                  width: 100,
                  render: (s: AdminOrderRow['status'], r) => {
                    const group = groupTag(r.group)
                    return (
                      <Space size={4} wrap>
                        <Tag color={STATUS_COLOR[s]}>{STATUS_LABEL[s]}</Tag>
                        {group ? <Tag color={group.color}>{group.text}</Tag> : null}
                        {KIND_TAG[r.kind] ? <Tag color="volcano">{KIND_TAG[r.kind]}</Tag> : null}
                      </Space>
                    )
                  },
                },
                {
                  title: '操作',
                  key: 'actions',
                  width: 90,
                  render: (_: unknown, r) => (
                    <a
                      href="#"
                      onClick={(e) => {
                        e.preventDefault()
                        setQuery({ order: r.id })
                      }}
                    >
                      {r.status === 'paid' && !shipBlocked(r) ? '发货' : r.status === 'refund_requested' ? '审核' : '详情'}
                    </a>
                  ),
                },
              ]}
            />
            <Pager
              extra={
                <Select
                  aria-label="每页条数"
                  value={pageSize}
                  style={{ width: 110 }}
                  options={PAGE_SIZES.map((n) => ({ value: n, label: `${n} 条/页` }))}
                  onChange={(n: number) => pages.filter({ size: n === PAGE_SIZES[0] ? null : n })}
                />
              }
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
      <OrderDrawer orderId={openId} onClose={() => setQuery({ order: null })} onChanged={list.reload} />
      <BatchShip open={batchOpen} onClose={() => setBatchOpen(false)} onShipped={list.reload} />
    </Space>
  )
}
