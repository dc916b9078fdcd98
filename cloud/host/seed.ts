import { randomBytes } from 'node:crypto'
import sharp from 'sharp'
import { AdminCreateAssistCampaignInput, AdminCreateGroupCampaignInput } from '../contract'
import { storeImage } from '../core/admin/media.service'
import { createCampaign as createAssistCampaign } from '../core/assist/campaigns.service'
import type { AuthedCtx, Caller, CoreConfig, Services } from '../core/context'
import { createGroupCampaign } from '../core/group/group-desk.service'
import type { Repos } from '../core/ports'
import { commitmentOf, drawWinners, sortCandidates } from '../core/live/lottery.rules'
import { DEFAULT_ANCHOR, replayUrlAtEnd } from '../core/live/room.rules'
import type { Database } from '../db/database'
import { artPath, renderArt } from './media'

interface SeedProduct {
  title: string
  subtitle: string
  priceFen: number
  listPriceFen: number | null
  stock: number
  label: string
  commissionRate?: number
  /** The parameter table: [name, value] rows. */
  params: Array<[string, string]>
  /** Captions of the detail images (wide art cards), top to bottom. */
  details: string[]
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
        params: [
          ['产地', '浙江杭州 西湖产区'],
          ['采摘', '清明前 一芽一叶'],
          ['净含量', '100g / 250g / 500g，按所选规格'],
          ['保质期', '18 个月'],
          ['储存方式', '密封、避光、冷藏 0–5℃'],
          ['冲泡建议', '80℃ 水 · 玻璃杯下投'],
        ],
        details: ['西湖产区', '手工炒制', '冲泡指南'],
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
      {
        title: '云南古树普洱 熟茶饼 357g',
        subtitle: '十年陈 · 醇厚回甘',
        priceFen: 26800,
        listPriceFen: 32000,
        stock: 40,
        label: '普洱',
        params: [
          ['产地', '云南 临沧'],
          ['类型', '熟茶 · 紧压饼'],
          ['净含量', '357g'],
          ['生产年份', '2015 年'],
          ['保质期', '适宜长期存放'],
          ['储存方式', '通风、避光、防潮、无异味'],
        ],
        details: ['古树原料', '十年陈化', '醒茶指南'],
      },
      {
        title: '福鼎白茶 白牡丹 150g',
        subtitle: '日晒工艺 · 花香清甜',
        priceFen: 9900,
        listPriceFen: 12900,
        stock: 80,
        label: '白茶',
        params: [
          ['产地', '福建 福鼎'],
          ['等级', '白牡丹 一级'],
          ['净含量', '150g'],
          ['保质期', '36 个月'],
          ['储存方式', '密封、避光、常温干燥'],
        ],
        details: ['日晒萎凋', '花香清甜'],
      },
      {
        title: '武夷岩茶 大红袍 礼盒',
        subtitle: '传统炭焙 · 岩韵悠长',
        priceFen: 19900,
        listPriceFen: null,
        stock: 0,
        label: '岩茶',
        params: [
          ['产地', '福建 武夷山'],
          ['工艺', '传统炭焙'],
          ['净含量', '8g × 20 泡'],
          ['保质期', '24 个月'],
          ['储存方式', '密封、避光、防潮'],
        ],
        details: ['正岩产区', '炭焙工艺', '礼盒展示'],
      },
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
        params: [
          ['配料', '腰果、巴旦木、榛子、核桃、蔓越莓干、蓝莓干、葡萄干'],
          ['净含量', '25g × 15 袋 / 25g × 30 袋'],
          ['保质期', '180 天'],
          ['储存方式', '阴凉干燥处，开袋即食'],
          ['产地', '江苏 苏州'],
        ],
        details: ['七种搭配', '独立小包'],
        commissionRate: 0.08,
        specs: {
          group: '规格',
          options: [
            { value: '15 袋装', priceFen: 4990, listPriceFen: 6900, stock: 200 },
            { value: '30 袋装', priceFen: 8990, listPriceFen: 12900, stock: 100 },
          ],
        },
      },
      {
        title: '手工牛轧糖 500g',
        subtitle: '蔓越莓味 · 不粘牙',
        priceFen: 3990,
        listPriceFen: 5900,
        stock: 150,
        label: '牛轧',
        params: [
          ['口味', '蔓越莓'],
          ['净含量', '500g（约 50 颗）'],
          ['保质期', '120 天'],
          ['储存方式', '阴凉干燥处，避免高温'],
          ['产地', '福建 厦门'],
        ],
        details: ['手工熬制', '蔓越莓果粒'],
      },
      {
        title: '岩烧乳酪吐司 整箱',
        subtitle: '早餐代餐 · 松软拉丝',
        priceFen: 2990,
        listPriceFen: 3990,
        stock: 500,
        label: '吐司',
        params: [
          ['口味', '岩烧乳酪'],
          ['净含量', '60g × 20 袋'],
          ['保质期', '45 天'],
          ['储存方式', '常温、避光'],
          ['产地', '山东 临沂'],
        ],
        details: ['乳酪夹心', '松软拉丝'],
      },
      {
        title: '麻辣牛肉干 250g',
        subtitle: '内蒙古草原牛 · 手撕风干',
        priceFen: 6800,
        listPriceFen: 7900,
        stock: 60,
        label: '牛肉',
        params: [
          ['产地', '内蒙古 锡林郭勒'],
          ['口味', '麻辣'],
          ['净含量', '250g'],
          ['保质期', '9 个月'],
          ['储存方式', '开袋后请尽快食用'],
        ],
        details: ['草原黄牛', '手撕风干'],
      },
    ],
  },
  {
    name: '茶具',
    icon: '具',
    hue: 200,
    products: [
      {
        title: '汝窑开片 功夫茶具套装',
        subtitle: '一壶六杯 · 天青釉色',
        priceFen: 15900,
        listPriceFen: 22900,
        stock: 25,
        label: '汝窑',
        params: [
          ['材质', '汝瓷 · 天青釉'],
          ['套装内容', '茶壶 1 只、品茗杯 6 只'],
          ['容量', '壶 180ml，杯 50ml'],
          ['产地', '河南 汝州'],
          ['清洗', '温水清洗，忌骤冷骤热'],
        ],
        details: ['天青釉色', '冰裂开片', '套装清单'],
      },
      {
        title: '玻璃公道杯 耐热 350ml',
        subtitle: '高硼硅 · 可明火',
        priceFen: 3900,
        listPriceFen: null,
        stock: 200,
        label: '公道',
        params: [
          ['材质', '高硼硅玻璃'],
          ['容量', '350ml'],
          ['耐温', '-20℃ 至 150℃'],
          ['产地', '河北 沧州'],
          ['清洗', '可用洗碗机'],
        ],
        details: ['耐热玻璃', '断水不挂滴'],
      },
      {
        title: '紫砂壶 西施壶 220ml',
        subtitle: '宜兴原矿 · 手工制作',
        priceFen: 36800,
        listPriceFen: 45800,
        stock: 8,
        label: '紫砂',
        params: [
          ['泥料', '宜兴原矿紫泥'],
          ['容量', '220ml'],
          ['工艺', '全手工'],
          ['产地', '江苏 宜兴'],
          ['养护', '专壶专泡，用后晾干'],
        ],
        details: ['原矿紫泥', '全手工制', '开壶方法'],
      },
      {
        title: '竹制茶盘 储水式',
        subtitle: '整竹拼接 · 防霉处理',
        priceFen: 12900,
        listPriceFen: 16900,
        stock: 35,
        label: '茶盘',
        params: [
          ['材质', '楠竹'],
          ['尺寸', '60 × 40 × 6 cm'],
          ['结构', '储水式，可拆卸'],
          ['产地', '福建 建瓯'],
          ['保养', '用后擦干，避免暴晒'],
        ],
        details: ['整竹拼接', '储水设计'],
      },
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
        params: [
          ['礼盒内容', '明前龙井 100g、福鼎白茶 100g'],
          ['净含量', '200g'],
          ['保质期', '18 个月'],
          ['储存方式', '密封、避光、防潮'],
          ['包装', '礼盒 + 手提袋'],
        ],
        details: ['双拼礼盒', '送礼佳选'],
        commissionRate: 0.15,
      },
      {
        title: '新春坚果礼盒 1.8kg',
        subtitle: '八种坚果 · 年货首选',
        priceFen: 15800,
        listPriceFen: 19800,
        stock: 90,
        label: '年货',
        params: [
          ['礼盒内容', '八种坚果，各 225g'],
          ['净含量', '1.8kg'],
          ['保质期', '180 天'],
          ['储存方式', '阴凉干燥处'],
          ['包装', '礼盒 + 手提袋'],
        ],
        details: ['八种坚果', '年货礼盒'],
      },
      {
        title: '办公室下午茶 组合装',
        subtitle: '花茶 + 小饼干 · 一周不重样',
        priceFen: 6900,
        listPriceFen: 8900,
        stock: 110,
        label: '下午',
        params: [
          ['组合内容', '花茶 7 袋、小饼干 7 包'],
          ['净含量', '约 560g'],
          ['保质期', '12 个月'],
          ['储存方式', '常温、避光、防潮'],
        ],
        details: ['一周搭配', '办公室必备'],
      },
      {
        title: '新人尝鲜 三款试饮装',
        subtitle: '三款明星茶 · 各 10g',
        // The regular price: ¥9.90 only through the new-customer deal (deal.claim).
        priceFen: 5900,
        listPriceFen: null,
        stock: 1000,
        label: '尝鲜',
        params: [
          ['组合内容', '龙井、白茶、普洱 各 10g'],
          ['净含量', '30g'],
          ['保质期', '18 个月'],
          ['储存方式', '密封、避光、防潮'],
        ],
        details: ['三款试饮', '新人专享'],
      },
    ],
  },
]

const BANNERS = [
  { title: '明前新茶 限时8折', label: '春茶上新', hue: 110, product: '明前龙井 特级' },
  { title: '新人专享 9.9 元尝鲜', label: '新人福利', hue: 350, product: '新人尝鲜 三款试饮装' },
  { title: '好茶配好器', label: '茶器专场', hue: 210, product: '汝窑开片 功夫茶具套装' },
]

/** The demo products' gallery images, kept through the upload path: a cover per product, a card per category. */
export interface DemoImages {
  covers: Map<string, string>
  cards: Map<string, string>
}

/**
 * Draws the demo products' art (cloud/host/media.ts), rasterises it to PNG and keeps it through the
 * upload path (storeImage: sharp resizes it, the image store keeps it under DATA_DIR), as a
 * merchant's upload would be. Run on every start of the demo shop, so that path is exercised each
 * time; the files are named by their content, so a start that finds them writes nothing. A cover per
 * product and one card per category (20 images, a few hundred ms); detail images and banners stay
 * SVG art.
 */
export async function demoImages(services: Pick<Services, 'imageProcessor' | 'imageStore'>): Promise<DemoImages> {
  const store = async (svg: string) =>
    (await storeImage(services, await sharp(Buffer.from(svg)).png({ compressionLevel: 0 }).toBuffer())).url
  const covers = CATALOG.flatMap((cat) => cat.products.map((p, i) => [p.title, cat.hue + i * 12, p.label] as const))
  const [coverUrls, cardUrls] = await Promise.all([
    Promise.all(covers.map(([, hue, label]) => store(renderArt(hue, label, false)))),
    Promise.all(CATALOG.map((cat) => store(renderArt(cat.hue + 20, cat.icon, false)))),
  ])
  return {
    covers: new Map(covers.map(([title], i) => [title, coverUrls[i]!])),
    cards: new Map(CATALOG.map((cat, i) => [cat.name, cardUrls[i]!])),
  }
}

/** What the seed needs of the host: the database, and the services and settings the console's own services run with. */
export type SeedDeps = Services & { db: Database; config: CoreConfig }

/**
 * Seeds the demo shop once: only when the database has no products yet. Returns whether it did.
 * The owners (`ownerOpenids`) who never signed in get their user as 店主 (a first sign-in would name
 * them 微信用户 + their openid's tail); an owner who did keeps their nickname.
 */
export async function seedIfEmpty(deps: SeedDeps, images: DemoImages, ownerOpenids: readonly string[] = []): Promise<boolean> {
  const { db } = deps
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
          images: [images.covers.get(p.title)!, images.cards.get(cat.name)!],
          detailImages: p.details.map((caption, n) => artPath(hue + 10 * n, caption, true)),
          specs: p.params.map(([name, value]) => ({ name, value })),
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
    const owners: Caller[] = []
    for (const openid of ownerOpenids) {
      const user = await repos.users.upsertByOpenid(openid, null, '店主')
      owners.push({ userId: user.id, openid, isAdmin: true, role: 'owner' })
    }
    const coupons = await seedCoupons(repos, categoryIds)
    await seedLiveRooms(repos, ids)
    await seedDealsAndFlashSales(repos, ids)
    // The plays through the console's own services, in this transaction, as the first owner would make them.
    const ctx: AuthedCtx = { ...deps, caller: owners[0] ?? SEED_CALLER, requestId: 'seed', now: () => new Date(), repos }
    await seedPlays(ctx, ids, coupons)
    return true
  })
}

const DAY = 86_400_000

/**
 * Who makes the plays when no owner is configured: the console's create services read the caller only
 * for an idempotency key, and the seed passes none (it runs once, guarded by the products' lock).
 */
const SEED_CALLER: Caller = { userId: 'seed', openid: 'seed', isAdmin: true, role: 'owner' }

/**
 * The demo shop's plays, each through the service behind the console's form (admin.createGroupCampaign,
 * admin.createAssistCampaign) with its input parsed by the same contract: a 2人团 of the bamboo tea
 * tray, a 砍价 of the beef jerky (5 friends × ¥10.00, floor ¥18.00) and a 好友助力 for 满99减10 whose
 * helpers each claim their own 新人无门槛券; all active for 30 days from now.
 */
async function seedPlays(ctx: AuthedCtx, products: Map<string, string>, coupons: Map<string, string>) {
  const now = Date.now()
  const window = { startsAt: new Date(now - 60_000).toISOString(), endsAt: new Date(now + 30 * DAY).toISOString() }
  await createGroupCampaign(
    ctx,
    AdminCreateGroupCampaignInput.parse({
      title: '竹制茶盘 2人拼团',
      productId: products.get('竹制茶盘 储水式')!,
      groupPriceFen: 9900,
      groupSize: 2,
      groupHours: 24,
      onExpiry: 'refund',
      ...window,
    }),
  )
  await createAssistCampaign(
    ctx,
    AdminCreateAssistCampaignInput.parse({
      title: '牛肉干 5人砍到 ¥18',
      face: 'price_cut',
      productId: products.get('麻辣牛肉干 250g')!,
      cutPerHelpFen: 1000,
      helpsNeeded: 5,
      taskHours: 24,
      ...window,
    }),
  )
  await createAssistCampaign(
    ctx,
    AdminCreateAssistCampaignInput.parse({
      title: '3位好友助力 领满99减10',
      face: 'coupon',
      rewardCouponId: coupons.get('满99减10')!,
      helperCouponId: coupons.get('新人无门槛券')!,
      helpsNeeded: 3,
      taskHours: 24,
      ...window,
    }),
  )
}

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

/** The demo rooms' audience: shoppers with the nicknames they chose (openids no WeChat user has). */
const DEMO_VIEWERS = [
  '茶友小王',
  '西湖边的风',
  '爱喝茶的猫',
  '云南阿杰',
  '一叶知秋',
  '苏州张姐',
  '小满',
  '陈老师',
  '山间清泉',
  '喝茶不加糖',
  '阿福',
  '晚风',
]

const DEMO_COMMENTS: Array<[viewer: number, text: string]> = [
  [0, '主播好，今天的龙井是今年的明前吗？'],
  [3, '已经下单了，期待'],
  [1, '冲泡水温多少度合适？'],
  [5, '上次买的西施壶很好用'],
  [2, '求再讲讲怎么辨别明前茶'],
  [7, '有没有小罐装的？'],
  [4, '看着就很香'],
  [9, '券领到了，谢谢主播'],
]

/**
 * The demo rooms: one live now (playing the shipped demo video, with an audience: entries, two
 * sharers on the leaderboard, comments and likes, a room-only coupon dropped), one upcoming, and one
 * ended with its replay, the goods it showed and a drawn lottery.
 */
async function seedLiveRooms(repos: Repos, products: Map<string, string>) {
  const now = Date.now()
  const video = '/media/files/demo-live.mp4'
  const qr = `/media/qr.svg?text=${encodeURIComponent('好茶小铺粉丝群（演示）')}`
  const anchor = { anchorName: '好茶小铺·茶艺师阿青', anchorAvatar: DEFAULT_ANCHOR.avatar }
  const viewers: string[] = []
  for (const [i, nickname] of DEMO_VIEWERS.entries()) {
    viewers.push((await repos.users.upsertByOpenid(`demo-viewer-${i + 1}`, nickname, nickname)).id)
  }

  const live = await repos.live.createRoom({
    title: '春茶品鉴 · 明前龙井现场冲泡',
    startsAt: new Date(now - 30 * 60_000),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(120, '春茶直播', true),
    communityQr: qr,
    ...anchor,
  })
  await repos.live.setStatus(live, 'upcoming', 'live', new Date(now - 30 * 60_000), null)
  for (const title of ['紫砂壶 西施壶 220ml', '明前龙井 特级']) await repos.live.pushGoods(live, products.get(title)!)
  // The audience, over the half hour: viewers 0 and 1 share, and three friends enter through their links.
  const sharerOf = (i: number) => (i === 2 || i === 3 ? viewers[0]! : i === 5 ? viewers[1]! : null)
  for (const [i, id] of viewers.entries()) {
    const at = new Date(now - 28 * 60_000 + i * 2 * 60_000)
    const sharer = sharerOf(i)
    // The first entry through a link credits its sharer (the share record, the count) in the same statement.
    await repos.live.enter(live, id, sharer, at, false)
  }
  for (const [v, text] of DEMO_COMMENTS) await repos.live.addComment(live, viewers[v]!, DEMO_VIEWERS[v]!, text)
  await repos.live.like(live, 1288)
  // A plausible 最高在线: five minutes ago nine of them were watching at once (presence, then a sample).
  const peakAt = new Date(now - 5 * 60_000)
  for (const id of viewers.slice(3)) await repos.shows.seen(live, id, peakAt, 0)
  await repos.shows.samplePeak(live, peakAt, 0, 60_000)
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
    roomId: live,
  })
  await repos.live.dropCoupon(live, roomCoupon)

  await repos.live.createRoom({
    title: '周末茶器专场',
    startsAt: new Date(now + 2 * DAY),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(210, '茶器专场', true),
    communityQr: qr,
    ...anchor,
  })

  const ended = await repos.live.createRoom({
    title: '新人福利夜 · 9.9 元尝鲜',
    startsAt: new Date(now - 3 * DAY),
    streamKind: 'video',
    streamUrl: video,
    poster: artPath(350, '福利回放', true),
    communityQr: qr,
    ...anchor,
  })
  await repos.live.setStatus(ended, 'upcoming', 'live', new Date(now - 3 * DAY), null)
  await repos.live.pushGoods(ended, products.get('新人尝鲜 三款试饮装')!)
  for (const [i, id] of viewers.slice(0, 8).entries()) await repos.live.enter(ended, id, null, new Date(now - 3 * DAY + i * 60_000), false)
  // A lottery drawn by the published rule, as admin.drawLottery draws it.
  const seed = randomBytes(32).toString('hex')
  const lotteryId = await repos.live.createLottery({
    roomId: ended,
    pool: 'viewers',
    winners: 2,
    prize: '明前龙井 50g 体验装',
    seed,
    commitment: commitmentOf(seed),
  })
  const candidates = sortCandidates(viewers.slice(0, 8))
  await repos.live.markDrawn(lotteryId, candidates, drawWinners(seed, candidates, 2), new Date(now - 3 * DAY + 3600_000))
  // Its peak: six watching at once an hour in.
  const endedPeakAt = new Date(now - 3 * DAY + 3600_000)
  for (const id of viewers.slice(0, 6)) await repos.shows.seen(ended, id, endedPeakAt, 0)
  await repos.shows.samplePeak(ended, endedPeakAt, 0, 60_000)
  // Straight to the tables, before anyone watches: no room needs touching, the replay is the core's rule.
  const replayUrl = replayUrlAtEnd({ streamKind: 'video', streamUrl: video })
  await repos.live.setStatus(ended, 'live', 'ended', new Date(now - 3 * DAY + 2 * 3600_000), replayUrl)
}

/** The claim center's demo: 无门槛, 满减, a category discount, one sold out, one not started yet. */
async function seedCoupons(repos: Repos, categoryIds: Map<string, string>): Promise<Map<string, string>> {
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
    roomId: null,
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
  const ids = new Map<string, string>()
  for (const c of coupons) ids.set(c.title, await repos.coupons.create(c))
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
  return ids
}
