/**
 * The SKU matrix editor: up to 3 spec groups (规格名 + values as tags), and the table of every
 * combination with its price, list price and stock — opening stock for a new combination, the
 * current stock (and 调整) for one that exists. Without groups, one price and stock.
 */
import { DeleteOutlined, PlusOutlined } from '@ant-design/icons'
import { App, Button, Card, Input, Space, Table, Tag, Typography } from 'antd'
import { useState } from 'react'
import type { Sku } from '../../../../cloud/contract'
import { LOW_STOCK, LOW_STOCK_LABEL } from './stock-rows'
import { combos, emptyRow, fold, LIMITS, newKey, specsKey, type Draft, type GroupDraft, type RowDraft } from './draft'

interface Props {
  draft: Draft
  errors: Record<string, string>
  existing: Map<string, Sku>
  /**
   * Changes one part of the draft from its latest value (not the value this render saw): two edits in
   * quick succession, or an edit landing before the page re-rendered, never undo each other.
   */
  onUpdate: <K extends 'groups' | 'rows' | 'single'>(key: K, change: (value: Draft[K]) => Draft[K]) => void
  onAdjust: (sku: Sku) => void
}

function FieldError({ text }: { text?: string }) {
  return text ? <div style={{ color: '#ff4d4f', fontSize: 12, marginTop: 2 }}>{text}</div> : null
}

function ValueAdder({ group, onAdd }: { group: GroupDraft; onAdd: (v: string) => void }) {
  const { message } = App.useApp()
  const [text, setText] = useState('')
  const add = () => {
    const v = text.trim()
    if (!v) return
    if (v.length > 20) return void message.warning('规格值最多 20 个字')
    if (group.values.some((x) => fold(x) === fold(v))) return void message.warning('规格值重复（全角半角视为相同）')
    if (group.values.length >= LIMITS.values) return void message.warning(`每组最多 ${LIMITS.values} 个规格值`)
    onAdd(v)
    setText('')
  }
  return (
    <Space.Compact>
      <Input
        size="small"
        style={{ width: 140 }}
        placeholder="添加规格值，回车确认"
        value={text}
        maxLength={20}
        onChange={(e) => setText(e.target.value)}
        onPressEnter={(e) => {
          e.preventDefault()
          add()
        }}
        aria-label={`${group.name || '规格'}的规格值`}
      />
      <Button size="small" onClick={add}>
        添加
      </Button>
    </Space.Compact>
  )
}

export function SpecMatrix({ draft, errors, existing, onUpdate, onAdjust }: Props) {
  const [bulk, setBulk] = useState<RowDraft>(emptyRow())
  const groups = draft.groups
  const cs = combos(groups)
  const setGroup = (i: number, change: (g: GroupDraft) => Partial<GroupDraft>) =>
    onUpdate('groups', (gs) => gs.map((g, j) => (j === i ? { ...g, ...change(g) } : g)))
  const setRow = (key: string, patch: Partial<RowDraft>) =>
    onUpdate('rows', (rows) => ({ ...rows, [key]: { ...(rows[key] ?? emptyRow()), ...patch } }))
  const setSingle = (patch: Partial<RowDraft>) => onUpdate('single', (single) => ({ ...single, ...patch }))

  const applyBulk = () =>
    onUpdate('rows', (latest) => {
      const rows = { ...latest }
      for (const c of cs) {
        const row = { ...(rows[c.key] ?? emptyRow()) }
        if (bulk.price.trim()) row.price = bulk.price.trim()
        if (bulk.listPrice.trim()) row.listPrice = bulk.listPrice.trim()
        if (bulk.memberPrice?.trim()) row.memberPrice = bulk.memberPrice.trim()
        if (bulk.stock.trim() && !existing.has(specsKey(c.specs))) row.stock = bulk.stock.trim()
        rows[c.key] = row
      }
      return rows
    })

  const stockCell = (
    specs: Record<string, string>,
    row: RowDraft,
    onStock: (v: string) => void,
    err: string | undefined,
    label: string,
  ) => {
    const sku = existing.get(specsKey(specs))
    if (sku)
      return (
        <Space>
          <span data-testid="sku-stock">{sku.stock}</span>
          {sku.stock <= LOW_STOCK ? <Tag color="orange">{LOW_STOCK_LABEL}</Tag> : null}
          <Button size="small" type="link" onClick={() => onAdjust(sku)}>
            调整库存
          </Button>
        </Space>
      )
    return (
      <>
        <Input
          value={row.stock}
          placeholder="库存"
          status={err ? 'error' : undefined}
          onChange={(e) => onStock(e.target.value)}
          style={{ width: 110 }}
          aria-label={label}
        />
        <FieldError text={err} />
      </>
    )
  }

  return (
    <Space direction="vertical" size={12} style={{ width: '100%' }}>
      {groups.map((g, i) => (
        <Card
          key={g.key}
          size="small"
          data-testid={`spec-group-${i}`}
          title={
            <Space>
              <span>规格 {i + 1}</span>
              <Input
                size="small"
                style={{ width: 160 }}
                placeholder="规格名，如 重量"
                value={g.name}
                maxLength={10}
                status={errors[`groups.${i}.name`] ? 'error' : undefined}
                onChange={(e) => {
                  const name = e.target.value
                  setGroup(i, () => ({ name }))
                }}
                aria-label={`规格 ${i + 1} 名称`}
              />
              <FieldError text={errors[`groups.${i}.name`]} />
            </Space>
          }
          extra={
            <Button
              size="small"
              type="text"
              danger
              icon={<DeleteOutlined />}
              onClick={() => onUpdate('groups', (gs) => gs.filter((_, j) => j !== i))}
            >
              删除规格
            </Button>
          }
        >
          <Space wrap>
            {g.values.map((v) => (
              <Tag
                key={v}
                closable
                onClose={() => setGroup(i, (latest) => ({ values: latest.values.filter((x) => x !== v) }))}
                style={{ fontSize: 13, padding: '2px 8px' }}
              >
                {v}
              </Tag>
            ))}
            <ValueAdder group={g} onAdd={(v) => setGroup(i, (latest) => ({ values: [...latest.values, v] }))} />
          </Space>
          <FieldError text={errors[`groups.${i}.values`]} />
        </Card>
      ))}
      <Space>
        <Button
          icon={<PlusOutlined />}
          disabled={groups.length >= LIMITS.groups}
          onClick={() => onUpdate('groups', (gs) => [...gs, { key: newKey(), name: '', values: [] }])}
        >
          添加规格组
        </Button>
        <Typography.Text type="secondary">
          {groups.length ? `最多 ${LIMITS.groups} 组，共 ${cs.length} 个组合` : '没有规格时，商品只有一个价格和库存'}
        </Typography.Text>
      </Space>
      <FieldError text={errors.groups} />

      {!groups.length ? (
        <Space align="start" size={24} data-testid="single-sku">
          <div>
            <div>价格（元）</div>
            <Input
              value={draft.single.price}
              placeholder="如 19.90"
              status={errors['single.price'] ? 'error' : undefined}
              onChange={(e) => setSingle({ price: e.target.value })}
              style={{ width: 140 }}
              aria-label="价格"
            />
            <FieldError text={errors['single.price']} />
          </div>
          <div>
            <div>划线价（元，选填）</div>
            <Input
              value={draft.single.listPrice}
              placeholder="原价"
              status={errors['single.listPrice'] ? 'error' : undefined}
              onChange={(e) => setSingle({ listPrice: e.target.value })}
              style={{ width: 140 }}
              aria-label="划线价"
            />
            <FieldError text={errors['single.listPrice']} />
          </div>
          <div>
            <div>会员价（元，选填）</div>
            <Input
              value={draft.single.memberPrice ?? ''}
              placeholder="低于价格"
              status={errors['single.memberPrice'] ? 'error' : undefined}
              onChange={(e) => setSingle({ memberPrice: e.target.value })}
              style={{ width: 140 }}
              aria-label="会员价"
            />
            <FieldError text={errors['single.memberPrice']} />
          </div>
          <div>
            <div>库存</div>
            {stockCell({}, draft.single, (v) => setSingle({ stock: v }), errors['single.stock'], '库存')}
          </div>
        </Space>
      ) : cs.length ? (
        <>
          <Space>
            <Typography.Text>批量设置：</Typography.Text>
            <Input
              size="small"
              style={{ width: 110 }}
              placeholder="价格（元）"
              value={bulk.price}
              onChange={(e) => setBulk({ ...bulk, price: e.target.value })}
            />
            <Input
              size="small"
              style={{ width: 110 }}
              placeholder="划线价（元）"
              value={bulk.listPrice}
              onChange={(e) => setBulk({ ...bulk, listPrice: e.target.value })}
            />
            <Input
              size="small"
              style={{ width: 110 }}
              placeholder="会员价（元）"
              value={bulk.memberPrice ?? ''}
              onChange={(e) => setBulk({ ...bulk, memberPrice: e.target.value })}
            />
            <Input
              size="small"
              style={{ width: 110 }}
              placeholder="库存（新规格）"
              value={bulk.stock}
              onChange={(e) => setBulk({ ...bulk, stock: e.target.value })}
            />
            <Button size="small" onClick={applyBulk}>
              应用到全部
            </Button>
          </Space>
          <Table
            size="small"
            rowKey="key"
            pagination={false}
            dataSource={cs}
            data-testid="sku-table"
            columns={[
              ...groups
                .filter((g) => g.name.trim() && g.values.length)
                .map((g, gi) => ({
                  title: g.name,
                  key: `g${gi}`,
                  width: 110,
                  render: (_: unknown, c: (typeof cs)[number]) => c.values[gi],
                })),
              {
                title: '价格（元）',
                key: 'price',
                render: (_: unknown, c: (typeof cs)[number]) => (
                  <>
                    <Input
                      value={draft.rows[c.key]?.price ?? ''}
                      placeholder="如 19.90"
                      status={errors[`row.${c.key}.price`] ? 'error' : undefined}
                      onChange={(e) => setRow(c.key, { price: e.target.value })}
                      style={{ width: 120 }}
                      aria-label={`${c.specText} 价格`}
                    />
                    <FieldError text={errors[`row.${c.key}.price`]} />
                  </>
                ),
              },
              {
                title: '划线价（元）',
                key: 'listPrice',
                render: (_: unknown, c: (typeof cs)[number]) => (
                  <>
                    <Input
                      value={draft.rows[c.key]?.listPrice ?? ''}
                      placeholder="选填"
                      status={errors[`row.${c.key}.listPrice`] ? 'error' : undefined}
                      onChange={(e) => setRow(c.key, { listPrice: e.target.value })}
                      style={{ width: 120 }}
                      aria-label={`${c.specText} 划线价`}
                    />
                    <FieldError text={errors[`row.${c.key}.listPrice`]} />
                  </>
                ),
              },
              {
                title: '会员价（元）',
                key: 'memberPrice',
                render: (_: unknown, c: (typeof cs)[number]) => (
                  <>
                    <Input
                      value={draft.rows[c.key]?.memberPrice ?? ''}
                      placeholder="选填"
                      status={errors[`row.${c.key}.memberPrice`] ? 'error' : undefined}
                      onChange={(e) => setRow(c.key, { memberPrice: e.target.value })}
                      style={{ width: 120 }}
                      aria-label={`${c.specText} 会员价`}
                    />
                    <FieldError text={errors[`row.${c.key}.memberPrice`]} />
                  </>
                ),
              },
              {
                title: '库存',
                key: 'stock',
                render: (_: unknown, c: (typeof cs)[number]) =>
                  stockCell(
                    c.specs,
                    draft.rows[c.key] ?? emptyRow(),
                    (v) => setRow(c.key, { stock: v }),
                    errors[`row.${c.key}.stock`],
                    `${c.specText} 库存`,
                  ),
              },
            ]}
          />
        </>
      ) : null}
    </Space>
  )
}
