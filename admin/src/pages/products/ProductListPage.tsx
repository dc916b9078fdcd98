/** 商品: the catalog as a paged table with search and filters kept in the URL; 上架/下架, 编辑, 库存. */
import { PlusOutlined, ReloadOutlined } from '@ant-design/icons'
import { App, Avatar, Button, Card, Drawer, Input, Popconfirm, Select, Space, Switch, Table, Tag, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { AdminProductDetail, AdminProductRow, ProductStatus } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { Pager } from '../../components/Pager'
import { LoadError } from '../../components/states'
import { formatFen } from '../../lib/money'
import { useCursorPages } from '../../lib/use-cursor-pages'
import { useLoad } from '../../lib/use-load'
import { linkProps, navigate, useLocation } from '../../router'
import { LOW_STOCK_LABEL } from './stock-rows'
import { StockPanel } from './StockPanel'

const PAGE_SIZE = 20

export default function ProductListPage() {
  const { message } = App.useApp()
  const { query } = useLocation()
  const pages = useCursorPages()
  const q = query.get('q') ?? ''
  const categoryId = query.get('category') ?? undefined
  const statusParam = query.get('status')
  const status: ProductStatus | undefined = statusParam === 'on' || statusParam === 'off' ? statusParam : undefined
  const lowStock = query.get('low') === '1'
  const [typed, setTyped] = useState(q)
  useEffect(() => setTyped(q), [q])

  const categories = useLoad(() => call('admin', 'categories', {}), [])
  const list = useLoad(
    () =>
      call('admin', 'products', {
        ...(q ? { q } : {}),
        ...(categoryId ? { categoryId } : {}),
        ...(status ? { status } : {}),
        ...(lowStock ? { lowStock: true } : {}),
        cursor: pages.cursor,
        limit: PAGE_SIZE,
      }),
    [q, categoryId, status, lowStock, pages.cursor],
  )
  const [rows, setRows] = useState<AdminProductRow[]>([])
  useEffect(() => setRows(list.data?.items ?? []), [list.data])
  const [switching, setSwitching] = useState<string | null>(null)
  const [stockOf, setStockOf] = useState<AdminProductDetail | null>(null)

  const setShelf = async (row: AdminProductRow, next: ProductStatus) => {
    setSwitching(row.id)
    try {
      await call('admin', 'updateProduct', { productId: row.id, status: next })
      setRows((old) => old.map((r) => (r.id === row.id ? { ...r, status: next } : r)))
      message.success(next === 'on' ? `「${row.title}」已上架` : `「${row.title}」已下架`)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setSwitching(null)
    }
  }

  const openStock = async (row: AdminProductRow) => {
    try {
      const r = await call('admin', 'product', { productId: row.id })
      setStockOf(r.product)
    } catch (err) {
      message.error(messageOf(err))
    }
  }

  return (
    <Space direction="vertical" size={16} style={{ width: '100%' }}>
      <Space style={{ width: '100%', justifyContent: 'space-between' }}>
        <Typography.Title level={4} style={{ margin: 0 }}>
          商品
        </Typography.Title>
        <Button type="primary" icon={<PlusOutlined />} {...linkProps('/products/new')}>
          新建商品
        </Button>
      </Space>
      <Card size="small">
        <Space wrap>
          <Input.Search
            allowClear
            placeholder="商品名称或编号"
            style={{ width: 260 }}
            value={typed}
            maxLength={30}
            onChange={(e) => setTyped(e.target.value)}
            onSearch={(v) => pages.filter({ q: v.trim() })}
            enterButton="搜索"
          />
          <Select
            allowClear
            placeholder="全部分类"
            style={{ width: 160 }}
            loading={categories.loading}
            value={categoryId}
            onChange={(v: string | undefined) => pages.filter({ category: v })}
            options={(categories.data?.items ?? []).map((c) => ({ label: `${c.name}（${c.productCount}）`, value: c.id }))}
          />
          <Select
            allowClear
            placeholder="全部状态"
            style={{ width: 120 }}
            value={status}
            onChange={(v: ProductStatus | undefined) => pages.filter({ status: v })}
            options={[
              { label: '在售', value: 'on' },
              { label: '已下架', value: 'off' },
            ]}
          />
          <Space>
            <Switch checked={lowStock} onChange={(v) => pages.filter({ low: v ? '1' : null })} aria-label="只看低库存" />
            <span>只看低库存</span>
          </Space>
          <Button icon={<ReloadOutlined />} onClick={list.reload}>
            刷新
          </Button>
        </Space>
      </Card>
      {list.error ? (
        <LoadError message={list.error} onRetry={list.reload} />
      ) : (
        <Card size="small">
          <Table<AdminProductRow>
            rowKey="id"
            loading={list.loading}
            dataSource={rows}
            pagination={false}
            locale={{ emptyText: q || categoryId || status || lowStock ? '没有符合条件的商品' : '还没有商品，点击右上角「新建商品」' }}
            columns={[
              {
                title: '商品',
                dataIndex: 'title',
                render: (title: string, r) => (
                  <Space>
                    {/* The order drawer's grey square when there is no picture (or it fails to load), never a broken image. */}
                    <Avatar shape="square" size={56} src={r.cover || undefined} alt="" data-testid="product-cover" />
                    <div>
                      <a {...linkProps(`/products/${encodeURIComponent(r.id)}`)}>{title}</a>
                      <div style={{ color: '#999', fontSize: 12 }}>
                        {r.categoryName ?? '未分类'} · {r.skuCount} 个规格
                      </div>
                    </div>
                  </Space>
                ),
              },
              {
                title: '价格',
                dataIndex: 'priceFen',
                width: 120,
                align: 'right',
                render: (v: number, r) => `${formatFen(v)}${r.skuCount > 1 ? ' 起' : ''}`,
              },
              {
                title: '库存',
                dataIndex: 'stock',
                width: 130,
                align: 'right',
                render: (v: number, r) => (
                  <Space>
                    {v}
                    {r.lowStock ? <Tag color="orange">{LOW_STOCK_LABEL}</Tag> : null}
                  </Space>
                ),
              },
              { title: '销量', dataIndex: 'soldCount', width: 80, align: 'right' },
              {
                title: '状态',
                dataIndex: 'status',
                width: 110,
                render: (v: ProductStatus, r) => (
                  <Popconfirm
                    title={v === 'on' ? `下架「${r.title}」？` : `上架「${r.title}」？`}
                    description={v === 'on' ? '下架后顾客将无法在商城、搜索和直播间购买' : '上架后顾客即可购买'}
                    okText={v === 'on' ? '下架' : '上架'}
                    cancelText="取消"
                    onConfirm={() => setShelf(r, v === 'on' ? 'off' : 'on')}
                  >
                    <Switch checked={v === 'on'} checkedChildren="上架" unCheckedChildren="下架" loading={switching === r.id} />
                  </Popconfirm>
                ),
              },
              {
                title: '操作',
                width: 130,
                render: (_: unknown, r) => (
                  <Space>
                    <a {...linkProps(`/products/${encodeURIComponent(r.id)}`)}>编辑</a>
                    <a
                      href="#"
                      onClick={(e) => {
                        e.preventDefault()
                        void openStock(r)
                      }}
                    >
                      库存
                    </a>
                  </Space>
                ),
              },
            ]}
          />
          <Pager
            page={pages.page}
            hasPrev={pages.hasPrev}
            hasNext={!!list.data?.nextCursor}
            total={list.data?.total}
            onPrev={pages.prev}
            onNext={() => list.data?.nextCursor && pages.next(list.data.nextCursor)}
            onFirst={pages.first}
          />
        </Card>
      )}
      <Drawer
        title={stockOf ? `库存 · ${stockOf.title}` : '库存'}
        width={720}
        open={!!stockOf}
        onClose={() => {
          setStockOf(null)
          list.reload()
        }}
        destroyOnHidden
        extra={stockOf ? <Button onClick={() => void navigate(`/products/${encodeURIComponent(stockOf.id)}`)}>编辑商品</Button> : null}
      >
        {stockOf ? (
          <StockPanel
            productId={stockOf.id}
            skus={stockOf.skus}
            retiredSkuIds={stockOf.retiredSkuIds}
            onStock={(skuId, stock) =>
              setStockOf((p) => (p ? { ...p, skus: p.skus.map((s) => (s.id === skuId ? { ...s, stock } : s)) } : p))
            }
          />
        ) : null}
      </Drawer>
    </Space>
  )
}
