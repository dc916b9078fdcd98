import { randomUUID } from 'node:crypto'
import pg from 'pg'
import type { Stack } from './stack'
import { until } from './wait'

/** A direct connection to the stack's database, for asserting what is stored. */
export async function sql(stack: Stack, text: string, params: unknown[] = []): Promise<any[]> {
  const client = new pg.Client({ connectionString: stack.databaseUrl })
  await client.connect()
  try {
    return (await client.query(text, params)).rows
  } finally {
    await client.end()
  }
}

export const key = () => randomUUID()

export async function createProduct(stack: Stack, adminToken: string, fields: Record<string, unknown>): Promise<string> {
  const { productId } = await stack.ok('admin', { action: 'createProduct', title: '测试茶', priceFen: 990, ...fields }, adminToken)
  return productId
}

/**
 * A flash sale of a new ¥59 product (100 in stock) at ¥1, open since an hour ago for another hour:
 * 10 units, 1 per user, for existing customers, unless `fields` say otherwise. The console's warnings
 * are confirmed (a ¥1 price is under a tenth of the product's; a test may ask for more units than it has).
 */
export async function createFlashSale(stack: Stack, adminToken: string, fields: Record<string, unknown> = {}) {
  const hour = 3_600_000
  const productId = await createProduct(stack, adminToken, { priceFen: 5900, stock: 100 })
  const { flashSaleId } = await stack.ok(
    'admin',
    {
      action: 'createFlashSale',
      productId,
      salePriceFen: 100,
      stock: 10,
      perUserLimit: 1,
      audience: 'existing',
      startsAt: new Date(Date.now() - hour).toISOString(),
      endsAt: new Date(Date.now() + hour).toISOString(),
      confirm: ['FLASH_PRICE_VERY_LOW', 'FLASH_STOCK_ABOVE_SKU'],
      ...fields,
    },
    adminToken,
  )
  return { productId, flashSaleId: flashSaleId as string }
}

export async function stockOf(stack: Stack, productId: string): Promise<number> {
  const rows = await sql(stack, 'SELECT sum(stock)::int AS s FROM skus WHERE product_id = $1', [productId])
  return rows[0].s
}

/** Saves the shopper's one address (李雷, 世纪大道 100 号), the default for checkout. */
export const saveAddress = (stack: Stack, token: string) =>
  stack.ok(
    'address',
    {
      action: 'save',
      name: '李雷',
      phone: '13900000000',
      province: '上海市',
      city: '上海市',
      district: '浦东新区',
      detail: '世纪大道 100 号',
    },
    token,
  )

/** Pays as the sandbox provider would: order.pay, then its signed notify posted to the notify URL. */
export async function payOrder(stack: Stack, token: string, orderId: string) {
  const { payment } = await stack.ok('order', { action: 'pay', orderId }, token)
  const res = await fetch(payment.notifyUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(payment.body),
  })
  return { status: res.status, answer: (await res.json()) as { code: string; message?: string }, payment }
}

export const postNotify = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }).then(async (r) => ({
    status: r.status,
    answer: (await r.json()) as { code: string; message?: string },
  }))

/** Whether another session of the stack's database waits on a lock held by the session `holder` (its backend pid). */
export async function blocking(stack: Stack, holder: number): Promise<boolean> {
  const [{ n }] = await sql(stack, 'SELECT count(*)::int AS n FROM pg_stat_activity WHERE $1 = ANY (pg_blocking_pids(pid))', [holder])
  return n > 0
}

/**
 * Until a call raced against `holder` (a client whose open transaction holds a lock) waits on that
 * lock: the race the test sets up has happened. A fixed pause instead could run out on a loaded machine
 * while the call was still on its way, and the test then committed before the call had reached the lock.
 */
export async function untilBlockedBy(stack: Stack, holder: pg.Client, ms = 15_000): Promise<void> {
  const [{ pid }] = (await holder.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows as [{ pid: number }]
  await until(() => blocking(stack, pid), ms)
}
