/** catalog.search on real PostgreSQL: matching, folding, ranking, paging, validation, and the index at 10,000 products. */
import pg from 'pg'
import { SEARCH_SQL } from '../../cloud/db/repos/catalog.repo'
import { createProduct, key, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let token: string
let admin: string

beforeAll(async () => {
  stack = await startStack({ seed: true })
  token = (await stack.login('searcher')).token
  admin = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

const search = (q: string, extra: Record<string, unknown> = {}) => stack.ok('catalog', { action: 'search', q, ...extra }, token)
const titles = (r: { items: Array<{ title: string }> }) => r.items.map((i) => i.title)

/** Every page of a search, following nextCursor. */
async function searchAll(q: string, limit: number): Promise<string[]> {
  const ids: string[] = []
  let cursor: string | undefined
  for (let pages = 0; pages < 1000; pages++) {
    const r = await search(q, { limit, ...(cursor ? { cursor } : {}) })
    ids.push(...r.items.map((i: { id: string }) => i.id))
    if (!r.nextCursor) return ids
    cursor = r.nextCursor
  }
  throw new Error('never reached the last page')
}

test('one and two Chinese characters find the seeded products by title and description', async () => {
  const tea = await search('茶', { limit: 50 })
  expect(titles(tea)).toEqual(
    expect.arrayContaining(['明前龙井 特级', '福鼎白茶 白牡丹 150g', '汝窑开片 功夫茶具套装', '办公室下午茶 组合装']),
  )
  expect(titles(tea)).not.toContain('每日坚果')
  expect(tea.nextCursor).toBeNull()
  const whiteTea = await search('白茶')
  // 福鼎白茶 by its title, 中秋茶礼 by its subtitle (龙井 + 白茶): title hits first.
  expect(titles(whiteTea)).toEqual(['福鼎白茶 白牡丹 150g', '中秋茶礼 双拼礼盒'])
  expect((await search('坚果')).items.map((i: { title: string }) => i.title).sort()).toEqual(['新春坚果礼盒 1.8kg', '每日坚果'])
  // A search answer is a product card: price, stock and cover as the feed has them.
  const nuts = (await search('每日坚果')).items[0]
  expect(nuts).toMatchObject({
    title: '每日坚果',
    priceFen: expect.any(Number),
    stock: expect.any(Number),
    cover: expect.stringContaining('/media/'),
  })
})

test('every word must match; width and case are folded; nonsense and punctuation find nothing', async () => {
  const red = await createProduct(stack, admin, { title: '正山小种 红茶 Lapsang 罐装', description: '松烟香，桂圆味。', stock: 10 })
  expect(titles(await search('红茶'))).toEqual(['正山小种 红茶 Lapsang 罐装'])
  expect((await search('ＬＡＰＳＡＮＧ')).items.map((i: { id: string }) => i.id)).toEqual([red])
  expect((await search('lapsang  红茶')).items.map((i: { id: string }) => i.id)).toEqual([red])
  expect((await search('桂圆')).items.map((i: { id: string }) => i.id)).toEqual([red])
  // Both words must appear: 红茶 does, 咖啡 doesn't.
  expect((await search('红茶 咖啡')).items).toEqual([])
  expect(await search('量子纠缠')).toEqual({ items: [], nextCursor: null })
  expect(await search('！？。')).toEqual({ items: [], nextCursor: null })
  expect(await search('%_')).toEqual({ items: [], nextCursor: null })
})

test("a query typed without spaces finds the product whose words it joins (the reviewer's queries)", async () => {
  const cases: Array<[string, string]> = [
    ['龙井特级', '明前龙井 特级'],
    ['明前龙井特级', '明前龙井 特级'],
    ['普洱熟茶', '云南古树普洱 熟茶饼 357g'],
    ['普洱熟茶饼357g', '云南古树普洱 熟茶饼 357g'],
    ['大红袍礼盒', '武夷岩茶 大红袍 礼盒'],
    ['岩茶大红袍', '武夷岩茶 大红袍 礼盒'],
    ['白茶白牡丹', '福鼎白茶 白牡丹 150g'],
    ['下午茶组合', '办公室下午茶 组合装'],
  ]
  for (const [q, title] of cases) expect([q, titles(await search(q))]).toEqual([q, expect.arrayContaining([title])])
  // Words the text holds apart, typed apart, still each match; text it doesn't hold still finds nothing.
  expect(titles(await search('普洱 茶饼'))).toContain('云南古树普洱 熟茶饼 357g')
  expect(titles(await search('龙井大红袍'))).toEqual([])
  // Title hits first: 龙井特级 is in 明前龙井 特级's title.
  expect(titles(await search('龙井特级'))[0]).toBe('明前龙井 特级')
})

test('products taken off sale are not found', async () => {
  const id = await createProduct(stack, admin, { title: '陈年老白茶 下架款', stock: 10 })
  expect((await search('下架款')).items).toHaveLength(1)
  await sql(stack, 'UPDATE products SET on_sale = false WHERE id = $1', [id])
  expect((await search('下架款')).items).toEqual([])
})

test('bad input is VALIDATION_FAILED: empty after trimming, over 30 characters, an unreadable cursor', async () => {
  for (const input of [{ q: '' }, { q: '   ' }, { q: '茶'.repeat(31) }, { q: '茶', cursor: 'bm9wZQ' }, { q: '茶', limit: 0 }]) {
    const r = await stack.call('catalog', { action: 'search', ...input }, token)
    expect(r.status).toBe(400)
    expect(r.body).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } })
  }
  expect((await stack.call('catalog', { action: 'search', q: '茶'.repeat(30) }, token)).status).toBe(200)
  expect((await stack.call('catalog', { action: 'search', q: '茶' })).status).toBe(401)
})

test('cursor null is the first page; an unreadable cursor names the field in the details list; a well-formed one is a position', async () => {
  const first = await search('茶', { limit: 2 })
  expect(await search('茶', { limit: 2, cursor: null })).toEqual(first)
  const list = await stack.ok('catalog', { action: 'list', limit: 2 }, token)
  expect(await stack.ok('catalog', { action: 'list', limit: 2, cursor: null }, token)).toEqual(list)
  for (const action of ['list', 'search']) {
    const r = await stack.call('catalog', { action, q: '茶', cursor: 'bm9wZQ' }, token)
    expect(r.body).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', details: [{ path: 'cursor', message: expect.stringMatching(/分页参数无效/) }] },
    })
  }
  // Cursors are not signed (docs/api.md): a well-formed one pages from the position it names.
  const forged = Buffer.from('t:0:0').toString('base64url')
  expect(await search('茶', { cursor: forged })).toEqual({ items: [], nextCursor: null })
})

test("the server's own field checks answer details as a list of {path, message}", async () => {
  const category = await stack.call(
    'admin',
    { action: 'createProduct', title: '无分类', priceFen: 100, stock: 1, categoryId: 'c_nope' },
    admin,
  )
  expect(category.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', details: [{ path: 'categoryId', message: '分类不存在' }] },
  })
  const { items } = await search('明前龙井')
  const order = await stack.call('order', { action: 'create', items: [{ productId: items[0].id, qty: 1 }], idempotencyKey: key() }, token)
  expect(order.body).toMatchObject({
    ok: false,
    error: { code: 'VALIDATION_FAILED', message: '请选择商品规格', details: [{ path: 'items.0.skuId', message: '请选择商品规格' }] },
  })
})

describe('at 10,000 products', () => {
  const N = 10_000
  beforeAll(async () => {
    // Varied titles and descriptions: 凤凰单丛 in one title of 500, 梅 in one description of 1,000.
    await sql(
      stack,
      `WITH names(a) AS (SELECT ARRAY['龙井','碧螺春','普洱','白牡丹','岩茶','铁观音','黄山毛峰','滇红','金骏眉','六安瓜片','茉莉花茶','寿眉'])
       INSERT INTO products (title, subtitle, description)
       SELECT CASE WHEN g % 500 = 0 THEN '凤凰单丛 ' || g ELSE a[1 + g % 12] || ' 批次' || g END,
              '产区直供 · 第' || (g % 37) || '号',
              CASE WHEN g % 1000 = 3 THEN '冲泡时配梅花更香' ELSE '原叶茶，每份 ' || (g % 9 + 1) || ' 克，沸水冲泡。' END
       FROM generate_series(1, ${N}) g, names`,
    )
    await sql(
      stack,
      `INSERT INTO skus (product_id, price_fen, stock) SELECT p.id, 990, 10 FROM products p WHERE NOT EXISTS (SELECT 1 FROM skus s WHERE s.product_id = p.id)`,
    )
    await sql(stack, 'ANALYZE product_search')
  }, 120_000)

  test('1- and 2-character queries find exactly the matching products across pages', async () => {
    // Brute force: the query within the product's text with its spaces and punctuation removed
    // (these queries are folded already), so a query may span a word break (井批 in 龙井 批次12).
    const expected = async (q: string) =>
      (
        await sql(
          stack,
          `SELECT id FROM products WHERE on_sale
             AND strpos(regexp_replace(concat_ws(' ', title, subtitle, description), '[[:space:][:punct:]·]+', '', 'g'), $1) > 0`,
          [q],
        )
      ).map((r) => r.id as string)
    for (const q of ['凤', '单丛', '梅', '梅花', '丛5', '井批次1']) {
      const found = await searchAll(q, 7)
      expect(new Set(found).size).toBe(found.length)
      expect([...found].sort()).toEqual((await expected(q)).sort())
    }
    expect(await searchAll('凤', 50)).toHaveLength(N / 500)
    // A common character (茶 in nearly every description, in some titles): every page in order, none twice, none missed.
    const tea = await searchAll('茶', 50)
    expect(new Set(tea).size).toBe(tea.length)
    expect([...tea].sort()).toEqual((await expected('茶')).sort())
  }, 60_000)

  test('title hits come before description hits', async () => {
    const created = await createProduct(stack, admin, { title: '梅子茶 新品', stock: 10 })
    const ids = await searchAll('梅', 50)
    // The newest title hit first, then the description hits, newest first.
    expect(ids[0]).toBe(created)
    expect(ids.slice(1)).toHaveLength(N / 1000)
  })

  test('the query is answered from the grams index', async () => {
    const client = new pg.Client({ connectionString: stack.databaseUrl })
    await client.connect()
    try {
      for (const q of ['凤', '单丛', '凤凰单丛', '丛5', '井批次1']) {
        const plan = (await client.query(`EXPLAIN ${SEARCH_SQL}`, [q, null, null, 11])).rows.map((r) => r['QUERY PLAN']).join('\n')
        expect(plan).toContain('product_search_grams_idx')
        expect(plan).not.toMatch(/Seq Scan on product_search/)
      }
      // A character nearly every product has: the newest-first index is walked until the page is full.
      const common = (await client.query(`EXPLAIN ${SEARCH_SQL}`, ['茶', null, null, 11])).rows.map((r) => r['QUERY PLAN']).join('\n')
      expect(common).toContain('product_search_feed_idx')
      expect(common).not.toMatch(/Seq Scan on product_search/)
    } finally {
      await client.end()
    }
  })
})
