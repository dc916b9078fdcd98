/** 选择商品和规格 for the deal and flash-sale forms: a product searched by title (admin.products), then one of its SKUs (admin.product). */
import { Select, Space, Typography } from 'antd'
import { useEffect, useState } from 'react'
import type { Sku } from '../../../../cloud/contract'
import { call, messageOf } from '../../api'
import { formatFen } from '../../lib/money'

export interface PickedSku {
  productId: string
  productTitle: string
  sku: Sku
}

export function SkuPicker({
  value,
  onChange,
  disabled,
}: {
  value: PickedSku | null
  onChange: (v: PickedSku | null) => void
  disabled?: boolean
}) {
  const [q, setQ] = useState('')
  const [products, setProducts] = useState<Array<{ id: string; title: string; priceFen: number; skuCount: number }>>([])
  const [searching, setSearching] = useState(false)
  const [skus, setSkus] = useState<Sku[]>([])
  // The product chosen, while its SKU is still to choose.
  const [product, setProduct] = useState<{ id: string; title: string } | null>(
    value ? { id: value.productId, title: value.productTitle } : null,
  )
  const [error, setError] = useState<string | null>(null)

  useEffect(() => {
    let live = true
    setSearching(true)
    const t = setTimeout(() => {
      call('admin', 'products', { ...(q.trim() ? { q: q.trim() } : {}), limit: 20 })
        .then((r) => live && setProducts(r.items))
        .catch((err: unknown) => live && setError(messageOf(err)))
        .finally(() => live && setSearching(false))
    }, 250)
    return () => {
      live = false
      clearTimeout(t)
    }
  }, [q])

  const pickProduct = async (productId: string | undefined) => {
    onChange(null)
    setSkus([])
    setProduct(null)
    setError(null)
    if (!productId) return
    try {
      const { product: p } = await call('admin', 'product', { productId })
      setProduct({ id: p.id, title: p.title })
      setSkus(p.skus)
      if (p.skus.length === 1) onChange({ productId, productTitle: p.title, sku: p.skus[0]! })
    } catch (err) {
      setError(messageOf(err))
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      <Select
        showSearch
        allowClear
        disabled={disabled}
        placeholder="搜索商品名称"
        filterOption={false}
        onSearch={setQ}
        loading={searching}
        value={product?.id}
        onChange={(v: string | undefined) => void pickProduct(v)}
        options={[
          ...(product && !products.some((p) => p.id === product.id) ? [{ label: product.title, value: product.id }] : []),
          ...products.map((p) => ({ label: `${p.title}（${formatFen(p.priceFen)}${p.skuCount > 1 ? ' 起' : ''}）`, value: p.id })),
        ]}
        notFoundContent={searching ? '搜索中…' : '没有找到商品'}
        aria-label="选择商品"
      />
      {skus.length > 1 ? (
        <Select
          placeholder="选择规格"
          disabled={disabled}
          value={value?.sku.id}
          onChange={(id: string) => {
            const sku = skus.find((s) => s.id === id)
            if (sku && product) onChange({ productId: product.id, productTitle: product.title, sku })
          }}
          options={skus.map((s) => ({ label: `${s.specText || '默认'} · ${formatFen(s.priceFen)} · 库存 ${s.stock}`, value: s.id }))}
          aria-label="选择规格"
        />
      ) : null}
      {value ? (
        <Typography.Text type="secondary">
          售价 {formatFen(value.sku.priceFen)} · 库存 {value.sku.stock}
          {value.sku.specText ? ` · ${value.sku.specText}` : ''}
        </Typography.Text>
      ) : null}
      {error ? <Typography.Text type="danger">{error}</Typography.Text> : null}
    </Space>
  )
}
