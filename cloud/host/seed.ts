import type { Repos } from '../core/ports'
import { replayUrlAtEnd } from '../core/live/room.rules'
import type { Database } from '../db/database'
import { artPath } from './media'

interface SeedProduct {
  title: string
  subtitle: string
  priceFen: number
  listPriceFen: number | null
  stock: number
  label: string
  commissionRate?: number
  /** A product with specs: one group, one SKU per option. */
  specs?: { group: string; options: Array<{ value: string; priceFen: number; listPriceFen: number | null; stock: number }> }
}

/** The demo shop: a tea and snacks merchant with four categories. */
const CATALOG: Array<{ name: string; icon: string; hue: number; products: SeedProduct[] }> = [
  {
    name: '茗茶',
    icon: '茶',
    hue: 100,
    products: [
      {
        title: '明前龙井 特级',
        subtitle: '西湖产区 · 当季新茶',
        priceFen: 12800,
        listPriceFen: 16800,
        stock: 120,
        label: '龙井',
        commissionRate: 0.1,
        specs: {
          group: '规格',
          options: [
            { value: '100g 罐装', priceFen: 12800, listPriceFen: 16800, stock: 120 },
            { value: '250g 礼盒', priceFen: 29800, listPriceFen: 36800, stock: 30 },
            { value: '500g 家庭装', priceFen: 55800, listPriceFen: 66800, stock: 0 },
          ],
        },
      },
      { title: '云南古树普洱 熟茶饼 357g', subtitle: '十年陈 · 醇厚回甘', priceFen: 26800, listPriceFen: 32000, stock: 40, label: '普洱' },
      { title: '福鼎白茶 白牡丹 150g', subtitle: '日晒工艺 · 花香清甜', priceFen: 9900, listPriceFen: 12900, stock: 80, label: '白茶' },
      { title: '武夷岩茶 大红袍 礼盒', subtitle: '传统炭焙 · 岩韵悠长', priceFen: 19900, listPriceFen: null, stock: 0, label: '岩茶' },
    ],
  },
  {
    name: '零食',
    icon: '食',
    hue: 30,
    products: [
      {
        title: '每日坚果',
        subtitle: '七种坚果果干 · 独立小包',
        priceFen: 4990,
        listPriceFen: 6900,
        stock: 300,
        label: '坚果',
        commissionRate: 0.08,
        specs: {
          group: '规格',
          options: [
            { value: '15 袋装', priceFen: 4990, listPriceFen: 6900, stock: 200 },
            { value: '30 袋装', priceFen: 8990, listPriceFen: 12900, stock: 100 },
          ],
        },
      },
      { title: '手工牛轧糖 500g', subtitle: '蔓越莓味 · 不粘牙', priceFen: 3990, listPriceFen: 5900, stock: 150, label: '牛轧' },
      { title: '岩烧乳酪吐司 整箱', subtitle: '早餐代餐 · 松软拉丝', priceFen: 2990, listPriceFen: 3990, stock: 500, label: '吐司' },
      { title: '麻辣牛肉干 250g', subtitle: '内蒙古草原牛 · 手撕风干', priceFen: 6800, listPriceFen: 7900, stock: 60, label: '牛肉' },
    ],
  },
  {
    name: '茶具',
    icon: '具',
    hue: 200,
    products: [
      { title: '汝窑开片 功夫茶具套装', subtitle: '一壶六杯 · 天青釉色', priceFen: 15900, listPriceFen: 22900, stock: 25, label: '汝窑' },
      { title: '玻璃公道杯 耐热 350ml', subtitle: '高硼硅 · 可明火', priceFen: 3900, listPriceFen: null, stock: 200, label: '公道' },
      { title: '紫砂壶 西施壶 220ml', subtitle: '宜兴原矿 · 手工制作', priceFen: 36800, listPriceFen: 45800, stock: 8, label: '紫砂' },
      { title: '竹制茶盘 储水式', subtitle: '整竹拼接 · 防霉处理', priceFen: 12900, listPriceFen: 16900, stock: 35, label: '茶盘' },
    ],
  },
  {
    name: '礼盒',
    icon: '礼',
    hue: 340,
    products: [
      {
        title: '中秋茶礼 双拼礼盒',
        subtitle: '龙井 + 白茶 · 送礼有面',
        priceFen: 29900,
        listPriceFen: 39900,
        stock: 50,
        label: '茶礼',
        commissionRate: 0.15,
      },
      { title: '新春坚果礼盒 1.8kg', subtitle: '八种坚果 · 年货首选', priceFen: 15800, listPriceFen: 19800, stock: 90, label: '年货' },
      {
        title: '办公室下午茶 组合装',
        subtitle: '花茶 + 小饼干 · 一周不重样',
        priceFen: 6900,
        listPriceFen: 8900,
        stock: 110,
        label: '下午',
      },
      { title: '新人尝鲜 三款试饮装', subtitle: '三款明星茶 · 各 10g', priceFen: 990, listPriceFen: 5900, stock: 1000, label: '尝鲜' },
    ],
  },
]

const BANNERS = [
  { title: '明前新茶 限时8折', label: '春茶上新', hue: 110, product: '明前龙井 特级' },
  { title: '新人专享 9.9 元尝鲜', label: '新人福利', hue: 350, product: '新人尝鲜 三款试饮装' },
  { title: '好茶配好器', label: '茶器专场', hue: 210, product: '汝窑开片 功夫茶具套装' },
]

/** Seeds the demo shop once: only when the database has no products yet. Returns whether it did. */
export async function seedIfEmpty(db: Database): Promise<boolean> {
  return db.transaction(async (repos, q) => {
    // Serialise concurrent starts on the same database.
    await q.query('LOCK TABLE products IN EXCLUSIVE MODE')
    const { rows } = await q.query<{ n: number }>('SELECT count(*)::int AS n FROM products')
    if (rows[0]!.n > 0) return false
    const ids = new Map<string, string>()
    const categoryIds = new Map<string, string>()
    for (const [sort, cat] of CATALOG.entries()) {
      const { rows: c } = await q.query<{ id: string }>('INSERT INTO categories (name, icon, sort) VALUES ($1, $2, $3) RETURNING id', [
        cat.name,
        cat.icon,
        sort,
      ])
      categoryIds.set(cat.name, c[0]!.id)
      for (const [i, p] of cat.products.entries()) {
        const hue = cat.hue + i * 12
        const id = await repos.catalog.createProduct({
          title: p.title,
          subtitle: p.subtitle,
          description: `${p.title}。${p.subtitle}。本店直供，48 小时内发货，支持七天无理由退货。`,
          specGroups: p.specs ? [{ name: p.specs.group, values: p.specs.options.map((o) => o.value) }] : [],
          skus: p.specs
            ? p.specs.options.map((o) => ({
                specs: { [p.specs!.group]: o.value },
                priceFen: o.priceFen,
                listPriceFen: o.listPriceFen ?? undefined,
                stock: o.stock,
              }))
            : [{ specs: {}, priceFen: p.priceFen, listPriceFen: p.listPriceFen ?? undefined, stock: p.stock }],
          commissionRate: p.commissionRate ?? 0,
          categoryId: c[0]!.id,
          images: [artPath(hue, p.label), artPath(hue + 20, cat.icon), artPath(hue + 40, p.label.slice(0, 1))],
        })
        ids.set(p.title, id)
      }
    }
    for (const [sort, b] of BANNERS.entries()) {
      await q.query('INSERT INTO banners (title, image, product_id, sort) VALUES ($1, $2, $3, $4)', [
        b.title,
        artPath(b.hue, b.label, true),
        ids.get(b.product) ?? null,
        sort,
      ])
    }
    await seedCoupons(repos, categoryIds)
    await seedLiveRooms(repos, ids)
    await seedDealsAndFlashSales(repos, ids)
    return true
  })
}

const DAY = 86_400_000

/** The new-user 9.9 deal (counted when the friend pays), a members-only 1元秒杀 and a 9.9抢购 for all. */
async function seedDealsAndFlashSales(repos: Repos, products: Map<string, string>) {
  const now = Date.now()
  const skuOf = async (title: string) => (await repos.catalog.product(products.get(title)!))!.skus[0]!.id
  const trial = products.get('新人尝鲜 三款试饮装')!
  await repos.deals.create({
    productId: trial,
    skuId: await skuOf('新人尝鲜 三款试饮装'),
    dealPriceFen: 990,
    baseClaims: 1,
    extraClaimsPerInvite: 1,
    maxExtraClaims: 3,
    inviteCountsWhen: 'paid',
    inviteRewardFen: 200,
  })
  const nougat = products.get('手工牛轧糖 500g')!
  await repos.flash.create({
    productId: nougat,
    skuId: await skuOf('手工牛轧糖 500g'),
    salePriceFen: 100,
    stock: 20,
    perUserLimit: 1,
    audience: 'existing',
    startsAt: new Date(now - 3600_000),
    endsAt: new Date(now + 2 * DAY),
  })
  const toast = products.get('岩烧乳酪吐司 整箱')!
  await repos.flash.create({
    productId: toast,
    skuId: await skuOf('岩烧乳酪吐司 整箱'),
    salePriceFen: 990,
    stock: 50,
    perUserLimit: 2,
    audience: 'all',
    startsAt: new Date(now + 3600_000),
    endsAt: new Date(now + DAY),
  })
}

/** Three rooms: one live now (playing the shipped demo video), one upcoming, one ended with its replay. */
async function seedLiveRooms(repos: Repos, products: Map<string, string>) {
  const now = Date.now()
  const video = '/media/files/demo-live.mp4'
  const qr = `/media/qr.svg?text=${encodeURIComponent('好茶小铺粉丝群（演示）')}`
  const live = await repos.live.createRoom({
    title: '春茶品鉴 · 明前龙井现场冲泡',
    startsAt: new Date(now - 30 * 60_000),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(120, '春茶直播', true),
    communityQr: qr,
  })
  await repos.live.setStatus(live, 'upcoming', 'live', new Date(now - 30 * 60_000), null)
  for (const title of ['紫砂壶 西施壶 220ml', '明前龙井 特级']) await repos.live.pushGoods(live, products.get(title)!)
  const roomCoupon = await repos.coupons.create({
    title: '直播专享 满99减15',
    kind: 'fixed',
    valueFen: 1500,
    percentOff: null,
    maxOffFen: null,
    thresholdFen: 9900,
    stock: 200,
    perUserLimit: 1,
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 7 * DAY),
    validDays: null,
    scope: 'all',
    scopeIds: [],
    allowOnSpecial: false,
  })
  await repos.live.dropCoupon(live, roomCoupon)

  await repos.live.createRoom({
    title: '周末茶器专场',
    startsAt: new Date(now + 2 * DAY),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(210, '茶器专场', true),
    communityQr: qr,
  })

  const ended = await repos.live.createRoom({
    title: '新人福利夜 · 9.9 元尝鲜',
    startsAt: new Date(now - 3 * DAY),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(350, '福利回放', true),
    communityQr: qr,
  })
  await repos.live.setStatus(ended, 'upcoming', 'live', new Date(now - 3 * DAY), null)
  await repos.live.pushGoods(ended, products.get('新人尝鲜 三款试饮装')!)
  // Straight to the tables, before anyone watches: no room needs touching, the replay is the core's rule.
  const replayUrl = replayUrlAtEnd({ streamKind: 'video', streamUrl: video })
  await repos.live.setStatus(ended, 'live', 'ended', new Date(now - 3 * DAY + 2 * 3600_000), replayUrl)
}

/** The claim center's demo: 无门槛, 满减, a category discount, one sold out, one not started yet. */
async function seedCoupons(repos: Repos, categoryIds: Map<string, string>) {
  const now = Date.now()
  const base = {
    valueFen: null,
    percentOff: null,
    maxOffFen: null,
    validDays: null,
    scope: 'all' as const,
    scopeIds: [],
    allowOnSpecial: false,
    validFrom: new Date(now - DAY),
    validTo: new Date(now + 60 * DAY),
  }
  const coupons = [
    { ...base, title: '新人无门槛券', kind: 'fixed' as const, valueFen: 500, thresholdFen: 0, stock: 1000, perUserLimit: 1 },
    { ...base, title: '满99减10', kind: 'fixed' as const, valueFen: 1000, thresholdFen: 9900, stock: 500, perUserLimit: 2 },
    { ...base, title: '满199减30', kind: 'fixed' as const, valueFen: 3000, thresholdFen: 19900, stock: 200, perUserLimit: 1 },
    {
      ...base,
      title: '茗茶专享 8.5折',
      kind: 'percent' as const,
      percentOff: 15,
      maxOffFen: 3000,
      thresholdFen: 0,
      stock: 300,
      perUserLimit: 1,
      validDays: 7,
      scope: 'categories' as const,
      scopeIds: [categoryIds.get('茗茶')!],
    },
    {
      ...base,
      title: '周末专享 满150减20',
      kind: 'fixed' as const,
      valueFen: 2000,
      thresholdFen: 15000,
      stock: 100,
      perUserLimit: 1,
      validFrom: new Date(now + 2 * DAY),
    },
  ]
  for (const c of coupons) await repos.coupons.create(c)
  const soldOut = await repos.coupons.create({
    ...base,
    title: '满300减60 限量',
    kind: 'fixed',
    valueFen: 6000,
    thresholdFen: 30000,
    stock: 50,
    perUserLimit: 1,
  })
  // Already claimed by earlier shoppers: shows 已抢光.
  for (let i = 0; i < 50; i++) await repos.coupons.takeStock(soldOut, new Date(now))
}
