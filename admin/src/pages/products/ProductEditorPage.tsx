/**
 * 新建商品 / 编辑商品: a page, not a modal. Basic facts, gallery (the first image the cover), the
 * spec matrix, detail images, the parameter table and, for a saved product, its stock and 库存记录.
 * Checked here with the contract's limits before saving; a server refusal that names a field shows
 * at that field. Leaving with unsaved changes asks first.
 */
import { ArrowLeftOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { Affix, Alert, App, Button, Card, Col, Divider, Form, Input, Radio, Row, Select, Space, Tag, Typography } from 'antd'
import { useCallback, useEffect, useMemo, useRef, useState } from 'react'
import type { AdminProductDetail, Sku } from '../../../../cloud/contract'
import { ApiError, call, messageOf, upload } from '../../api'
import { ImageList } from '../../components/ImageList'
import { formatFen } from '../../lib/money'
import { newRequestKey } from '../../lib/request-key'
import { useUnsavedGuard } from '../../lib/use-unsaved-guard'
import { CenteredSpin, LoadError } from '../../components/states'
import { navigate } from '../../router'
import {
  cheapSkus,
  stoppingSkus,
  createInput,
  draftOf,
  emptyDraft,
  existingSkus,
  fieldOfPath,
  changedMemberPrices,
  memberPricesUnderPlays,
  type SkuPlay,
  LIMITS,
  newKey,
  problems,
  updateInput,
  type Draft,
} from './draft'
import { SpecMatrix } from './SpecMatrix'
import { AdjustStockModal, StockChanges } from './StockPanel'

const uploadUrl = async (file: File) => (await upload(file)).url

/**
 * The product's plays not over yet, each at its price for one SKU: 拼团 (its group price), 砍价 (its
 * floor), 秒杀 (its sale price). A staff member without the marketing desks' reading gets none (no ask).
 */
async function runningPlays(productId: string): Promise<SkuPlay[]> {
  const now = Date.now()
  const live = (endsAt: string) => Date.parse(endsAt) > now
  const [groups, assists, flash] = await Promise.all([
    call('admin', 'groupCampaigns', {}).then(
      (r) => r.items,
      () => [],
    ),
    call('admin', 'assistCampaigns', {}).then(
      (r) => r.items,
      () => [],
    ),
    Promise.all([
      call('admin', 'flashSales', { state: 'active' }).then(
        (r) => r.items,
        () => [],
      ),
      call('admin', 'flashSales', { state: 'upcoming' }).then(
        (r) => r.items,
        () => [],
      ),
    ]).then((pages) => pages.flat()),
  ])
  return [
    ...groups
      .filter((g) => g.productId === productId && g.status !== 'ended' && live(g.endsAt))
      .map((g) => ({ skuId: g.skuId, name: `拼团「${g.title}」拼团价`, priceFen: g.groupPriceFen })),
    ...assists
      .filter((a) => a.product?.productId === productId && a.status !== 'ended' && live(a.endsAt))
      .map((a) => ({ skuId: a.product!.skuId, name: `砍价「${a.title}」砍到底价`, priceFen: a.product!.floorPriceFen })),
    ...flash
      .filter((f) => f.productId === productId)
      .map((f) => ({ skuId: f.skuId, name: `秒杀「${f.title}」秒杀价`, priceFen: f.salePriceFen })),
  ]
}

export default function ProductEditorPage({ productId }: { productId: string | null }) {
  const { message, modal } = App.useApp()
  const [product, setProduct] = useState<AdminProductDetail | null>(null)
  const [loadError, setLoadError] = useState<string | null>(null)
  const [draft, setDraft] = useState<Draft>(emptyDraft)
  const [baseline, setBaseline] = useState(() => JSON.stringify(emptyDraft()))
  const [touched, setTouched] = useState(false)
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({})
  const [refusal, setRefusal] = useState<string | null>(null)
  const [saving, setSaving] = useState(false)
  const [adjusting, setAdjusting] = useState<Sku | null>(null)
  const [stockVersion, setStockVersion] = useState(0)
  const [categories, setCategories] = useState<Array<{ id: string; name: string }>>([])
  const [newCategory, setNewCategory] = useState('')
  const [addingCategory, setAddingCategory] = useState(false)
  // 创建商品's idempotency key: one per editor session, sent again by every retry of the save, so a
  // retry after a lost answer gets the product the first call made instead of a second one.
  const [createKey, setCreateKey] = useState(newRequestKey)
  const refusalRef = useRef<HTMLDivElement>(null)

  // The form shows once the categories (and the product) are in: typing into a form that the load then
  // replaced lost what was typed (a title typed at once became 请输入商品标题 on save).
  const [loaded, setLoaded] = useState(false)
  const load = useCallback(async () => {
    setLoaded(false)
    setLoadError(null)
    try {
      const [cats, p] = await Promise.all([
        call('admin', 'categories', {}),
        productId ? call('admin', 'product', { productId }).then((r) => r.product) : Promise.resolve(null),
      ])
      setCategories(cats.items)
      setProduct(p)
      const d = p ? draftOf(p) : emptyDraft()
      setDraft(d)
      setBaseline(JSON.stringify(d))
      setLoaded(true)
    } catch (err) {
      setLoadError(err instanceof ApiError && err.code === 'NOT_FOUND' ? '商品不存在或已被删除' : messageOf(err))
    }
  }, [productId])
  useEffect(() => {
    void load()
  }, [load])

  const existing = useMemo(() => existingSkus(product), [product])
  const dirty = JSON.stringify(draft) !== baseline
  const clientErrors = useMemo(() => problems(draft, existing), [draft, existing])
  const errors = touched ? { ...serverErrors, ...clientErrors } : serverErrors

  useUnsavedGuard(dirty)

  /** A field the merchant changes drops the server's complaint about it. */
  const dropServerErrors = (keys: string[]) =>
    setServerErrors((old) => {
      const next = { ...old }
      for (const k of Object.keys(next))
        if (
          keys.some(
            (key) =>
              k === key ||
              k.startsWith(`${key}.`) ||
              (key === 'rows' && k.startsWith('row.')) ||
              (key === 'commissionPct' && k === 'commission') ||
              (key === 'categoryId' && k === 'category'),
          )
        )
          delete next[k]
      return next
    })
  const patch = (p: Partial<Draft>) => {
    setDraft((d) => ({ ...d, ...p }))
    dropServerErrors(Object.keys(p))
  }
  /** One part of the draft changed from its latest value, so quick successive edits never undo each other. */
  const update = <K extends keyof Draft>(key: K, change: (value: Draft[K]) => Draft[K]) => {
    setDraft((d) => ({ ...d, [key]: change(d[key]) }))
    dropServerErrors([key])
  }

  const confirmCheap = (cheap: string[]) =>
    new Promise<boolean>((resolve) =>
      modal.confirm({
        title: '价格低于 ¥1.00，确认保存吗？',
        content: `以下规格的售价低于 ¥1.00：${cheap.join('、')}。请确认不是输错了价格。`,
        okText: '确认保存',
        cancelText: '返回修改',
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    )

  const confirmUnderPlays = (under: ReturnType<typeof memberPricesUnderPlays>) =>
    new Promise<boolean>((resolve) =>
      modal.confirm({
        title: '会员价不高于进行中的活动价，确认保存吗？',
        content: `${under
          .map((u) => `${u.specText} 会员价 ${formatFen(u.memberPriceFen)}，${u.play.name} ${formatFen(u.play.priceFen)}`)
          .join('；')}。会员按会员价购买更便宜，活动对会员就没有吸引力了；请确认价格无误。`,
        okText: '确认保存',
        cancelText: '返回修改',
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    )

  const confirmStopping = (stopping: string[]) =>
    new Promise<boolean>((resolve) =>
      modal.confirm({
        title: '部分规格将停售',
        content: `以下规格将停售：${stopping.join('、')}，确认保存？停售后其库存不再售卖，已有订单不受影响。`,
        okText: '确认保存',
        okButtonProps: { danger: true },
        cancelText: '返回修改',
        onOk: () => resolve(true),
        onCancel: () => resolve(false),
      }),
    )

  const showRefusal = (text: string) => {
    setRefusal(text)
    // The message shows above the form; the save bar keeps its buttons in view.
    requestAnimationFrame(() => refusalRef.current?.scrollIntoView({ block: 'nearest', behavior: 'smooth' }))
  }

  const save = async () => {
    setTouched(true)
    setRefusal(null)
    if (Object.keys(clientErrors).length) {
      message.error('请先修正标红的内容')
      return
    }
    const cheap = cheapSkus(draft)
    if (cheap.length && !(await confirmCheap(cheap))) return
    // The plays are read only when a saved SKU's member price changes: a save that sets none asks nothing.
    const changed = changedMemberPrices(draft, product)
    const under = changed.length && product ? memberPricesUnderPlays(changed, await runningPlays(product.id)) : []
    if (under.length && !(await confirmUnderPlays(under))) return
    const stopping = stoppingSkus(draft, product)
    if (stopping.length && !(await confirmStopping(stopping))) return
    setSaving(true)
    try {
      if (!product) {
        const { productId: id } = await call('admin', 'createProduct', createInput(draft, createKey))
        setBaseline(JSON.stringify(draft))
        message.success('商品已创建')
        void navigate(`/products/${encodeURIComponent(id)}`, { replace: true, force: true })
        return
      }
      // The fields, the shelf status and the matrix in one call: all saved, or nothing.
      await call('admin', 'updateProduct', updateInput(product.id, draft, product, existing))
      const saved = (await call('admin', 'product', { productId: product.id })).product
      setProduct(saved)
      const d = draftOf(saved)
      setDraft(d)
      setBaseline(JSON.stringify(d))
      setTouched(false)
      setStockVersion((n) => n + 1)
      message.success('已保存')
    } catch (err) {
      if (err instanceof ApiError && err.code === 'IDEMPOTENCY_KEY_REUSED') {
        // The first 创建商品 went through (its answer was lost) and the draft changed since: the next save is a new product.
        setCreateKey(newRequestKey())
        showRefusal('上次提交的商品已创建成功（当时未收到结果），请到商品列表查看；若要再创建一个，请再次点击「创建商品」')
        return
      }
      const issues = err instanceof ApiError ? err.fieldIssues() : []
      const placed: Record<string, string> = {}
      for (const i of issues) {
        const field = fieldOfPath(i.path)
        if (field && !placed[field]) placed[field] = /[\u4e00-\u9fff]/.test(i.message) ? i.message : (err as ApiError).message
      }
      setServerErrors(placed)
      showRefusal(Object.keys(placed).length ? `${messageOf(err)}（见标红处）` : messageOf(err))
    } finally {
      setSaving(false)
    }
  }

  const addCategory = async () => {
    const name = newCategory.trim()
    if (!name) return
    setAddingCategory(true)
    try {
      const { category } = await call('admin', 'saveCategory', { name })
      setCategories((old) => [...old, category])
      patch({ categoryId: category.id })
      setNewCategory('')
      message.success(`已新建分类「${category.name}」`)
    } catch (err) {
      message.error(messageOf(err))
    } finally {
      setAddingCategory(false)
    }
  }

  if (loadError) return <LoadError message={loadError} onRetry={() => void load()} />
  if (!loaded) return <CenteredSpin />

  const err = (k: string) => (errors[k] ? { validateStatus: 'error' as const, help: errors[k] } : {})

  return (
    <div style={{ maxWidth: 1080 }}>
      <Space style={{ marginBottom: 16 }}>
        <Button icon={<ArrowLeftOutlined />} onClick={() => void navigate('/products')}>
          返回列表
        </Button>
        <Typography.Title level={4} style={{ margin: 0 }}>
          {product ? `编辑商品` : '新建商品'}
        </Typography.Title>
        {product ? <Tag color={product.status === 'on' ? 'green' : 'default'}>{product.status === 'on' ? '在售' : '已下架'}</Tag> : null}
        {dirty ? <Tag color="orange">未保存</Tag> : null}
      </Space>
      <div ref={refusalRef} style={{ scrollMarginTop: 16 }}>
        {refusal ? (
          <Alert type="error" showIcon message="保存失败" description={refusal} style={{ marginBottom: 16 }} data-testid="save-refusal" />
        ) : null}
      </div>
      <Form layout="vertical" component="div">
        <Card title="基本信息" size="small" style={{ marginBottom: 16 }}>
          <Row gutter={24}>
            <Col span={16}>
              <Form.Item label="商品标题" required {...err('title')}>
                <Input
                  value={draft.title}
                  maxLength={60}
                  showCount
                  placeholder="如：明前龙井 2024 新茶"
                  onChange={(e) => patch({ title: e.target.value })}
                  aria-label="商品标题"
                />
              </Form.Item>
              <Form.Item label="副标题" {...err('subtitle')}>
                <Input
                  value={draft.subtitle}
                  maxLength={120}
                  showCount
                  placeholder="一句话卖点（选填）"
                  onChange={(e) => patch({ subtitle: e.target.value })}
                  aria-label="副标题"
                />
              </Form.Item>
            </Col>
            <Col span={8}>
              <Form.Item label="分类" {...err('category')}>
                <Select
                  allowClear
                  placeholder="选择分类"
                  value={draft.categoryId ?? undefined}
                  onChange={(v: string | undefined) => patch({ categoryId: v ?? null })}
                  options={categories.map((c) => ({ label: c.name, value: c.id }))}
                  aria-label="分类"
                  popupRender={(menu) => (
                    <>
                      {menu}
                      <Divider style={{ margin: '8px 0' }} />
                      <Space.Compact style={{ padding: '0 8px 4px', width: '100%' }}>
                        <Input
                          placeholder="新分类名称"
                          value={newCategory}
                          maxLength={10}
                          onChange={(e) => setNewCategory(e.target.value)}
                          onKeyDown={(e) => e.stopPropagation()}
                        />
                        <Button type="primary" icon={<PlusOutlined />} loading={addingCategory} onClick={() => void addCategory()}>
                          新建分类
                        </Button>
                      </Space.Compact>
                    </>
                  )}
                />
              </Form.Item>
              <Form.Item label="分享佣金比例（%）" {...err('commission')} extra="分享者带来的订单按实付金额的此比例计佣，0–50">
                <Input
                  value={draft.commissionPct}
                  suffix="%"
                  style={{ width: 140 }}
                  onChange={(e) => patch({ commissionPct: e.target.value })}
                  aria-label="佣金比例"
                />
              </Form.Item>
              <Form.Item label="上架状态">
                <Radio.Group
                  value={draft.status}
                  onChange={(e) => patch({ status: e.target.value as 'on' | 'off' })}
                  aria-label="上架状态"
                  options={
                    product
                      ? [
                          { label: '上架（在售）', value: 'on' },
                          { label: '下架（放入仓库）', value: 'off' },
                        ]
                      : [
                          { label: '立即上架', value: 'on' },
                          { label: '暂不上架（放入仓库）', value: 'off' },
                        ]
                  }
                />
              </Form.Item>
            </Col>
          </Row>
        </Card>

        <Card
          title="商品图片"
          size="small"
          style={{ marginBottom: 16 }}
          extra={<Typography.Text type="secondary">1–9 张，第一张为封面；拖动可调整顺序</Typography.Text>}
        >
          <Form.Item {...err('images')} style={{ marginBottom: 0 }}>
            <ImageList
              value={draft.images}
              onChange={(images) => patch({ images })}
              max={LIMITS.images}
              upload={uploadUrl}
              cover
              testId="gallery"
            />
          </Form.Item>
        </Card>

        <Card title="规格与价格" size="small" style={{ marginBottom: 16 }}>
          <SpecMatrix draft={draft} errors={errors} existing={existing} onUpdate={update} onAdjust={setAdjusting} />
        </Card>

        <Card title="商品详情" size="small" style={{ marginBottom: 16 }}>
          <Form.Item label="商品描述" {...err('description')}>
            <Input.TextArea
              value={draft.description}
              rows={5}
              maxLength={2000}
              showCount
              placeholder="产地、口感、冲泡方法……"
              onChange={(e) => patch({ description: e.target.value })}
              aria-label="商品描述"
            />
          </Form.Item>
          <Form.Item label={`详情图片（最多 ${LIMITS.detailImages} 张）`} {...err('detailImages')}>
            <ImageList
              value={draft.detailImages}
              onChange={(detailImages) => patch({ detailImages })}
              max={LIMITS.detailImages}
              upload={uploadUrl}
              testId="detail-images"
            />
          </Form.Item>
          <Form.Item label="参数" {...err('params')}>
            <Space direction="vertical" style={{ width: '100%' }}>
              {draft.params.map((p, i) => (
                <div
                  key={p.key}
                  data-testid={`param-row-${i}`}
                  style={{ display: 'grid', gridTemplateColumns: '180px 420px 32px', columnGap: 8, alignItems: 'start' }}
                >
                  <Form.Item {...err(`params.${i}.name`)} style={{ marginBottom: 0 }}>
                    <Input
                      value={p.name}
                      maxLength={20}
                      placeholder="名称，如 产地"
                      style={{ width: 180 }}
                      onChange={(e) => {
                        const name = e.target.value
                        update('params', (ps) => ps.map((x, j) => (j === i ? { ...x, name } : x)))
                      }}
                      aria-label={`参数 ${i + 1} 名称`}
                    />
                  </Form.Item>
                  <Form.Item {...err(`params.${i}.value`)} style={{ marginBottom: 0 }}>
                    <Input
                      value={p.value}
                      maxLength={200}
                      placeholder="内容，如 浙江杭州"
                      style={{ width: 420 }}
                      onChange={(e) => {
                        const value = e.target.value
                        update('params', (ps) => ps.map((x, j) => (j === i ? { ...x, value } : x)))
                      }}
                      aria-label={`参数 ${i + 1} 内容`}
                    />
                  </Form.Item>
                  <Button
                    type="text"
                    danger
                    icon={<DeleteOutlined />}
                    onClick={() => update('params', (ps) => ps.filter((_, j) => j !== i))}
                    aria-label="删除参数"
                  />
                </div>
              ))}
              <Button
                icon={<PlusOutlined />}
                disabled={draft.params.length >= LIMITS.params}
                onClick={() => update('params', (ps) => [...ps, { key: newKey(), name: '', value: '' }])}
              >
                添加参数
              </Button>
            </Space>
          </Form.Item>
        </Card>

        {product ? (
          <Card title="库存记录" size="small" style={{ marginBottom: 16 }}>
            <StockChanges productId={product.id} version={stockVersion} />
          </Card>
        ) : null}
      </Form>

      <Affix offsetBottom={0}>
        <div style={{ background: '#fff', padding: '12px 16px', borderTop: '1px solid #eef0f2', boxShadow: '0 -2px 8px rgba(0,0,0,0.04)' }}>
          <Space style={{ maxWidth: '100%' }}>
            <Button type="primary" loading={saving} onClick={() => void save()}>
              {product ? '保存' : '创建商品'}
            </Button>
            <Button onClick={() => void navigate('/products')}>取消</Button>
            {touched && Object.keys(clientErrors).length ? (
              <Typography.Text type="danger">还有 {Object.keys(clientErrors).length} 处需要修改</Typography.Text>
            ) : refusal ? (
              // One line only: the message itself shows above the form.
              <Typography.Text type="danger" ellipsis style={{ maxWidth: 560 }}>
                保存失败：{refusal}
              </Typography.Text>
            ) : null}
          </Space>
        </div>
      </Affix>

      <AdjustStockModal
        sku={adjusting}
        open={!!adjusting}
        onClose={() => setAdjusting(null)}
        onDone={(skuId, stock) => {
          setProduct((p) => (p ? { ...p, skus: p.skus.map((s) => (s.id === skuId ? { ...s, stock } : s)) } : p))
          setStockVersion((n) => n + 1)
        }}
      />
    </div>
  )
}
