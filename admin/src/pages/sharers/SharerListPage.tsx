/**
 * 分销员: sharers ranked over a range (近7天 / 近30天 / 近90天 / 全部, whole days by the shop's clock) by
 * 订单数, 成交额 or 佣金 — orders attributed to them, paid in the range and not refunded — with 只看导购
 * (staff acting as guides). Range, sort, the switch and the page live in the URL. 导出 CSV writes the
 * whole current ranking, every page of it.
 */
import { DownloadOutlined, ReloadOutlined } from '@ant-design/icons'
import { App, Button, Card, Radio, Space, Switch, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { SharerRange, SharerRow, SharersInput, StaffRole } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { csvText, downloadText } from '../../lib/download'
import { formatFen, yuan } from '../../lib/money'
import { shopNow } from '../../lib/time'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { ROLE_LABEL } from '../../roles'
import { useLocation } from '../../router'

type Sort = NonNullable<SharersInput['sort']>

/** The server's page size (cloud/core/sharer/sharers.service.ts): ranks continue across pages. */
const PAGE_SIZE = 20
/** An export follows at most this many pages (2,000 sharers). */
const EXPORT_PAGES = 100

const RANGES: Array<{ label: string; value: SharerRange }> = [
  { label: '近7天', value: '7d' },
  { label: '近30天', value: '30d' },
  { label: '近90天', value: '90d' },
  { label: '全部', value: 'all' },
]
const RANGE_TEXT: Record<SharerRange, string> = { '7d': '近7天', '30d': '近30天', '90d': '近90天', all: '全部' }
const SORTS: Array<{ label: string; value: Sort }> = [
  { label: '按成交额', value: 'gmv' },
  { label: '按订单数', value: 'orders' },
  { label: '按佣金', value: 'commission' },
]

const isRange = (v: string | null): v is SharerRange => v === '7d' || v === '30d' || v === '90d' || v === 'all'
const isSort = (v: string | null): v is Sort => v === 'gmv' || v === 'orders' || v === 'commission'

/** Who a ranked sharer is: 导购, or 导购 · 运营 for staff of another role acting as guides; null for a shopper. */
const guideText = (role: string | null): string | null =>
  role === null ? null : role === 'guide' ? '导购' : `导购 · ${ROLE_LABEL[role as StaffRole] ?? role}`

export function GuideTag({ role }: { role: string | null }) {
  const text = guideText(role)
  return text ? <Tag color="gold">{text}</Tag> : null
}

export default function SharerListPage() {
  const { message } = App.useApp()
  const { query } = useLocation()
  const pages = useCursorPages()
  const range: SharerRange = isRange(query.get('range')) ? (query.get('range') as SharerRange) : '30d'
  const sort: Sort = isSort(query.get('sort')) ? (query.get('sort') as Sort) : 'gmv'
  const guidesOnly = query.get('guides') === '1'
  const input: SharersInput = { range, sort, ...(guidesOnly ? { guidesOnly: true } : {}) }
  const list = useLoad(() => call('admin', 'sharers', { ...input, cursor: pages.cursor }), [range, sort, guidesOnly, pages.cursor])
  const [exporting, setExporting] = useState(false)

  const exportCsv = async () => {
    setExporting(true)
    try {
      const rows: SharerRow[] = []
      let cursor: string | null = null
      let n = 0
      do {
        const page: { items: SharerRow[]; nextCursor: string | null } = await call('admin', 'sharers', { ...input, cursor })
        rows.push(...page.items)
        cursor = page.nextCursor
        n++
      } while (cursor && n < EXPORT_PAGES)
      downloadText(
        `分销员排行-${RANGE_TEXT[range]}-${shopNow('YYYYMMDD-HHmm')}.csv`,
        csvText([
          ['排名', '用户ID', '昵称', '身份', '订单数', '成交额(元)', '佣金(元)', '客户数'],
          ...rows.map((r, i) => [
            i + 1,
            r.userId,
            r.nickname,
            guideText(r.staffRole) ?? '分销员',
            r.orders,
            yuan(r.gmvFen),
            yuan(r.commissionFen),
            r.customers,
          ]),
        ]),
      )
      if (cursor) message.warning(`分销员较多，仅导出了前 ${rows.length} 名`)
      else message.success(`已导出 ${rows.length} 名分销员`)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setExporting(false)
    }
  }

  const offset = (pages.page - 1) * PAGE_SIZE

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          分销员
        </Typography.Title>
        <Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload} loading={list.loading && !!list.data}>
            刷新
          </Button>
          <Button icon={<DownloadOutlined />} loading={exporting} disabled={exporting} onClick={() => void exportCsv()}>
            导出 CSV
          </Button>
        </Space>
      </Space>
      <Card size="small">
        <Space size={24} wrap>
          <Radio.Group
            data-testid="sharer-range"
            optionType="button"
            buttonStyle="solid"
            options={RANGES}
            value={range}
            onChange={(e) => pages.filter({ range: e.target.value as string })}
            aria-label="统计区间"
          />
          <Radio.Group
            data-testid="sharer-sort"
            optionType="button"
            options={SORTS}
            value={sort}
            onChange={(e) => pages.filter({ sort: e.target.value as string })}
            aria-label="排序"
          />
          <Space>
            <Switch checked={guidesOnly} onChange={(on) => pages.filter({ guides: on ? '1' : null })} aria-label="只看导购" />
            <span>只看导购</span>
          </Space>
          <Typography.Text type="secondary">统计区间内支付且未退款的推广订单；佣金已扣除退款冲回</Typography.Text>
        </Space>
      </Card>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<SharerRow>
            rowKey="userId"
            loading={list.loading}
            dataSource={list.data?.items ?? []}
            pagination={false}
            locale={{ emptyText: guidesOnly ? '该区间内导购暂无推广订单' : '该区间内暂无分销员推广订单' }}
            columns={[
              { title: '排名', key: 'rank', width: 70, render: (_: unknown, __: SharerRow, i: number) => offset + i + 1 },
              {
                title: '分销员',
                key: 'who',
                render: (_: unknown, r: SharerRow) => (
                  <Space>
                    <span>{r.nickname}</span>
                    <GuideTag role={r.staffRole} />
                  </Space>
                ),
              },
              { title: '订单数', dataIndex: 'orders', width: 110, align: 'right' },
              { title: '成交额', dataIndex: 'gmvFen', width: 140, align: 'right', render: (v: number) => formatFen(v) },
              { title: '佣金', dataIndex: 'commissionFen', width: 130, align: 'right', render: (v: number) => formatFen(v) },
              { title: '客户数', dataIndex: 'customers', width: 110, align: 'right' },
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
        </Card>
      )}
    </Space>
  )
}
