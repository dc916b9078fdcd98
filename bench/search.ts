/**
 * catalog.search at 10,000 products: through the HTTP API, the statement alone on a direct
 * connection, and, as the reference, the obvious query without an index (ILIKE over every row).
 * Queries of one, two and more Chinese characters, common and rare, and one in descriptions only.
 * Every answer is checked against a brute-force strpos count, so a fast wrong answer fails the run.
 */
import pg from 'pg'
import { SEARCH_SQL } from '../cloud/db/repos/catalog.repo'
import type { Stack } from '../tests/helpers/stack'
import { CONCURRENCY, drive, ms, timeEach, type Row } from './lib'

const PRODUCTS = Number(process.env.BENCH_SEARCH_PRODUCTS ?? 10_000)
const RUNS = 200

/** The same catalogue shape as tests/integration/search.test.ts: 12 tea names, 凤凰单丛 in 1 of 500 titles, 梅花 in 1 of 1,000 descriptions. */
const SEED_SQL = `WITH names(a) AS (SELECT ARRAY['龙井','碧螺春','普洱','白牡丹','岩茶','铁观音','黄山毛峰','滇红','金骏眉','六安瓜片','茉莉花茶','寿眉'])
  INSERT INTO products (title, subtitle, description)
  SELECT CASE WHEN g % 500 = 0 THEN '凤凰单丛 ' || g ELSE a[1 + g % 12] || ' 批次' || g END,
         '产区直供 · 第' || (g % 37) || '号',
         CASE WHEN g % 1000 = 3 THEN '冲泡时配梅花更香' ELSE '原叶茶，每份 ' || (g % 9 + 1) || ' 克，沸水冲泡。' END
  FROM generate_series(1, $1::int) g, names`

/** The reference: what a search without the grams index would run (ILIKE scans every row). */
const ILIKE_SQL = `SELECT id, seq FROM products
  WHERE on_sale AND (title ILIKE '%' || $1 || '%' OR description ILIKE '%' || $1 || '%' OR subtitle ILIKE '%' || $1 || '%')
  ORDER BY (title ILIKE '%' || $1 || '%') DESC, seq DESC LIMIT 11`

const QUERIES: Array<{ q: string; what: string }> = [
  { q: '茶', what: '1 character, in every product' },
  { q: '凤', what: '1 character, rare (1 in 500)' },
  { q: '龙井', what: '2 characters, 1 in 12' },
  { q: '单丛', what: '2 characters, rare' },
  { q: '凤凰单丛', what: '4 characters' },
  { q: '梅花', what: '2 characters, descriptions only' },
  { q: '井批次1', what: 'across a word break (龙井 批次1…)' },
  { q: '量子纠缠', what: 'no match' },
]

export async function benchSearch(stack: Stack): Promise<Row[]> {
  const db = new pg.Client({ connectionString: stack.databaseUrl })
  await db.connect()
  const rows: Row[] = []
  try {
    const t0 = Date.now()
    await db.query(SEED_SQL, [PRODUCTS])
    await db.query(`INSERT INTO skus (product_id, price_fen, stock) SELECT id, 990, 10 FROM products`)
    await db.query('ANALYZE')
    rows.push({
      name: `seed ${PRODUCTS.toLocaleString('en')} products`,
      value: `${((Date.now() - t0) / 1000).toFixed(1)} s`,
      note: 'the trigger folds and cuts each into grams',
    })
    const { token } = await stack.login('bench-searcher')
    const call = async (q: string) => {
      const r = await stack.call('catalog', { action: 'search', q }, token)
      if (!r.body.ok) throw new Error(`catalog.search ${q}: ${JSON.stringify(r.body.error)}`)
      return r.body.data as { items: unknown[]; nextCursor: string | null }
    }
    for (const { q, what } of QUERIES) {
      // A fast wrong answer is no answer: the hits must be what a brute-force scan finds (in the text
      // with its spaces and punctuation removed: a query may span a word break).
      const expected = (
        await db.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM products WHERE on_sale
             AND strpos(regexp_replace(concat_ws(' ', title, subtitle, description), '[[:space:][:punct:]·]+', '', 'g'), $1) > 0`,
          [q],
        )
      ).rows[0]!.n
      const all = (await db.query(SEARCH_SQL, [q, null, null, PRODUCTS + 1])).rowCount ?? 0
      if (all !== expected) throw new Error(`search ${q}: ${all} hits, a scan finds ${expected}`)
      const first = await call(q)
      if (first.items.length !== Math.min(10, expected)) throw new Error(`search ${q}: a first page of ${first.items.length}`)
      const api = await timeEach(RUNS, async () => void (await call(q)))
      const raw = await timeEach(RUNS, async () => void (await db.query(SEARCH_SQL, [q, null, null, 11])))
      const scan = await timeEach(RUNS / 4, async () => void (await db.query(ILIKE_SQL, [q])))
      rows.push({
        name: `「${q}」 ${what}`,
        value: `API p50 ${ms(api.p50)}, p99 ${ms(api.p99)}`,
        note: `${expected.toLocaleString('en')} hits; statement p50 ${ms(raw.p50)}; ILIKE scan p50 ${ms(scan.p50)}`,
      })
    }
    const mixed = QUERIES.map((x) => x.q)
    let i = 0
    const load = await drive(2000, CONCURRENCY, async () => void (await call(mixed[i++ % mixed.length]!)))
    rows.push({
      name: `mixed queries, ${CONCURRENCY} concurrent clients`,
      value: `${Math.round(load.perSecond)} searches/s`,
      note: `p50 ${ms(load.p50)}, p99 ${ms(load.p99)}`,
    })
  } finally {
    await db.end()
  }
  return rows
}
