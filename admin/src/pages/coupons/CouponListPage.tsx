/**
 * 营销 › 优惠券: every coupon, newest first, by status (tabs in the URL) and kind (shop / 直播专享),
 * with its rule as the shopper reads it and its figures; 编辑 / 暂停 / 恢复 / 结束.
 */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Select, Space, Table, Tabs, Tag, Typography } from 'antd'
import type { ColumnsType } from 'antd/es/table'
import { useEffect, useState } from 'react'
import type { AdminCoupon, CouponStatus } from '../../../../cloud/contract'
import { call } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { linkProps, useLocation } from '../../router'
import { shopTime } from '../../lib/time'
import { StatusActions, StatusTag } from './coupon-ui'

const TABS: Array<{ key: CouponStatus | 'all'; label: string }> = [
  { key: 'all', label: '全部' },
  { key: 'active', label: '进行中' },
  { key: 'paused', label: '已暂停' },
  { key: 'ended', label: '已结束' },
]

/** Column titles never wrap ("已领/库 存", "已 用" at 1366 px): each column's width holds its title. */
function nowrapHeaders<T>(columns: ColumnsType<T>): ColumnsType<T> {
  return columns.map((c) => ({ ...c, onHeaderCell: () => ({ style: { whiteSpace: 'nowrap' } }) }))
}

const isStatus = (s: string | null): s is CouponStatus => s === 'active' || s === 'paused' || s === 'ended'

export default function CouponListPage() {
  const { query } = useLocation()
  const pages = useCursorPages()
  const statusParam = query.get('status')
  const status = isStatus(statusParam) ? statusParam : undefined
  const kindParam = query.get('kind')
  const roomOnly = kindParam === 'room' ? true : kindParam === 'shop' ? false : undefined

  const list = useLoad(
    () =>
      call('admin', 'coupons', { ...(status ? { status } : {}), ...(roomOnly !== undefined ? { roomOnly } : {}), cursor: pages.cursor }),
    [status, roomOnly, pages.cursor],
  )
  const [rows, setRows] = useState<AdminCoupon[]>([])
  useEffect(() => setRows(list.data?.items ?? []), [list.data])
  const replace = (c: AdminCoupon) => setRows((old) => old.map((r) => (r.couponId === c.couponId ? c : r)))

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          优惠券
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} {...linkProps('/marketing/coupons/new')}>
          新建优惠券
        </Button>
      </Space>
      <Card size="small" styles={{ body: { paddingTop: 0 } }}>
        <Space style={{ width: '100%', justifyContent: 'space-between' }}>
          <Tabs
            size="small"
            activeKey={status ?? 'all'}
            onChange={(k) => pages.filter({ status: k === 'all' ? null : k })}
            items={TABS.map((t) => ({ key: t.key, label: t.label }))}
          />
          <Space>
            <Select
              style={{ width: 140 }}
              value={kindParam === 'room' || kindParam === 'shop' ? kindParam : 'all'}
              onChange={(v: string) => pages.filter({ kind: v === 'all' ? null : v })}
              options={[
                { label: '全部券', value: 'all' },
                { label: '店铺券', value: 'shop' },
                { label: '直播专享券', value: 'room' },
              ]}
              aria-label="券的类型"
            />
            <Button icon={<ReloadOutlined />} onClick={list.reload}>
              刷新
            </Button>
          </Space>
        </Space>
        {list.error ? (
          <LoadError message={list.error} onRetry={list.reload} />
        ) : (
          <>
            <Table<AdminCoupon>
              rowKey="couponId"
              loading={list.loading}
              dataSource={rows}
              pagination={false}
              locale={{ emptyText: status || roomOnly !== undefined ? '没有符合条件的优惠券' : '还没有优惠券，点击右上角「新建优惠券」' }}
              // Headers on one line at 1366 and 1280 (已领/库存 and 已用 wrapped); narrower, the table scrolls.
              scroll={{ x: 1100 }}
              columns={nowrapHeaders<AdminCoupon>([
                {
                  title: '名称',
                  minWidth: 140,
                  dataIndex: 'title',
                  ellipsis: false,
                  render: (title: string, r) => (
                    <div>
                      <a {...linkProps(`/marketing/coupons/${encodeURIComponent(r.couponId)}`)}>{title}</a>
                      {r.room ? (
                        <div style={{ marginTop: 4 }}>
                          <Tag color="magenta">直播专享</Tag>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {r.room.title}
                          </Typography.Text>
                        </div>
                      ) : null}
                    </div>
                  ),
                },
                { title: '规则', dataIndex: 'ruleText', width: 120, render: (t: string) => <span data-testid="rule-text">{t}</span> },
                {
                  title: '已领/库存',
                  width: 100,
                  align: 'right',
                  render: (_: unknown, r) => `${r.figures.claimed}/${r.stock}`,
                },
                { title: '发放', width: 64, align: 'right', render: (_: unknown, r) => r.figures.granted },
                { title: '已用', width: 64, align: 'right', render: (_: unknown, r) => r.figures.used },
                { title: 'GMV', width: 96, align: 'right', render: (_: unknown, r) => formatFen(r.figures.gmvFen) },
                { title: '优惠金额', width: 96, align: 'right', render: (_: unknown, r) => formatFen(r.figures.discountFen) },
                {
                  title: '领取时间',
                  width: 150,
                  render: (_: unknown, r) => (
                    <div style={{ fontSize: 12, lineHeight: 1.6 }}>
                      <div>{shopTime(r.validFrom, 'YYYY-MM-DD HH:mm')}</div>
                      <div>至 {shopTime(r.validTo, 'YYYY-MM-DD HH:mm')}</div>
                    </div>
                  ),
                },
                { title: '状态', dataIndex: 'status', width: 76, render: (s: CouponStatus) => <StatusTag status={s} /> },
                {
                  title: '操作',
                  width: 160,
                  render: (_: unknown, r) => (
                    <Space size={4}>
                      <Button size="small" type="link" {...linkProps(`/marketing/coupons/${encodeURIComponent(r.couponId)}/edit`)}>
                        编辑
                      </Button>
                      <StatusActions coupon={r} onChanged={replace} />
                    </Space>
                  ),
                },
              ])}
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
    </Space>
  )
}
