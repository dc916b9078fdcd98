import type { AssistReason } from '../../contract'
import type { AssistCampaignRecord, AssistFacts, AssistRepo, AssistTaskRecord, TakeHelpOutcome } from '../../core/assist/assist.ports'
import type { Queryable } from '../database'

const CAMPAIGN_SELECT = `SELECT a.id, a.title, a.face, a.reward_coupon_id AS "rewardCouponId", a.product_id AS "productId", a.sku_id AS "skuId",
    p.title AS "productTitle", p.images[1] AS cover, a.price_fen AS "priceFen", a.cut_per_help_fen AS "cutPerHelpFen",
    a.helps_needed AS "helpsNeeded", a.task_hours AS "taskHours", a.helper_coupon_id AS "helperCouponId",
    a.new_customers_only AS "newCustomersOnly", a.daily_help_cap AS "dailyHelpCap", a.starts_at AS "startsAt", a.ends_at AS "endsAt",
    a.status, a.created_at AS "createdAt"
  FROM assist_campaigns a LEFT JOIN products p ON p.id = a.product_id`

const TASK_SELECT = `SELECT t.id, t.campaign_id AS "campaignId", t.starter_id AS "starterId", t.helps_needed AS "helpsNeeded",
    t.cut_per_help_fen AS "cutPerHelpFen", t.price_fen AS "priceFen", t.helps, t.started_at AS "startedAt", t.expires_at AS "expiresAt",
    t.completed_at AS "completedAt", t.order_id AS "orderId", o.status AS "orderStatus"
  FROM assist_tasks t LEFT JOIN orders o ON o.id = t.order_id`

const COLUMNS: Record<string, string> = {
  title: 'title',
  status: 'status',
  helpsNeeded: 'helps_needed',
  cutPerHelpFen: 'cut_per_help_fen',
  endsAt: 'ends_at',
}

/**
 * Each campaign's results (refusals: friends per task by their latest refused reason, and as
 * ALREADY_HELPED the counted friends who tried again), grouped once for all the campaigns asked: tasks by state, helps by
 * outcome, coupons granted by their keys, and the tasks' orders.
 */
export const FACTS_SELECT = `WITH c AS (SELECT unnest($1::text[]) AS id),
  t AS (
    SELECT t.campaign_id, count(*)::int AS started, count(*) FILTER (WHERE t.completed_at IS NOT NULL)::int AS completed,
      count(*) FILTER (WHERE t.completed_at IS NULL AND (t.expires_at <= $2 OR a.status = 'ended' OR a.ends_at <= $2))::int AS expired
    FROM assist_tasks t JOIN c ON c.id = t.campaign_id JOIN assist_campaigns a ON a.id = t.campaign_id GROUP BY t.campaign_id
  ), h AS (
    SELECT t.campaign_id, count(*) FILTER (WHERE h.counted)::int AS counted,
      count(DISTINCT h.helper_id) FILTER (WHERE h.counted AND h.was_new)::int AS new_helped,
      -- Welcome coupons granted: each names the help that got it (once per helper and campaign).
      count(h.welcome_coupon_id)::int AS helper_coupons
    FROM assist_helps h JOIN assist_tasks t ON t.id = h.task_id JOIN c ON c.id = t.campaign_id GROUP BY t.campaign_id
  ), r AS (
    SELECT campaign_id, jsonb_object_agg(reason, n) AS reasons FROM (
      SELECT t.campaign_id, CASE WHEN h.counted THEN 'ALREADY_HELPED' ELSE h.reason END AS reason, count(*)::int AS n
      FROM assist_helps h JOIN assist_tasks t ON t.id = h.task_id JOIN c ON c.id = t.campaign_id
      WHERE NOT h.counted OR h.tried_again GROUP BY 1, 2) x GROUP BY campaign_id
  ), rw AS (
    -- Rewards granted, found by their exact grant keys (user_coupons' user index).
    SELECT t.campaign_id, count(*)::int AS reward_coupons
    FROM assist_tasks t JOIN c ON c.id = t.campaign_id
    JOIN user_coupons u ON u.user_id = t.starter_id AND u.grant_key = ':assist-reward:' || t.id
    WHERE t.completed_at IS NOT NULL
    GROUP BY t.campaign_id
  ), o AS (
    SELECT t.campaign_id, count(*) FILTER (WHERE o.status <> 'cancelled')::int AS placed,
      count(*) FILTER (WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded'))::int AS paid,
      COALESCE(sum(o.payable_fen) FILTER (WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('cancelled', 'refunded')), 0)::int AS gmv
    FROM orders o JOIN assist_tasks t ON t.id = o.play_ref JOIN c ON c.id = t.campaign_id WHERE o.kind = 'assist' GROUP BY t.campaign_id
  )
  SELECT c.id, COALESCE(t.started, 0) AS "tasksStarted", COALESCE(t.completed, 0) AS "tasksCompleted", COALESCE(t.expired, 0) AS "tasksExpired",
    COALESCE(h.counted, 0) AS "helpsCounted", COALESCE(r.reasons, '{}'::jsonb) AS refusals, COALESCE(h.new_helped, 0) AS "newCustomersHelped",
    COALESCE(h.helper_coupons, 0) AS "helperCouponsGranted", COALESCE(rw.reward_coupons, 0) AS "rewardCouponsGranted",
    COALESCE(o.placed, 0) AS "ordersPlaced", COALESCE(o.paid, 0) AS "ordersPaid", COALESCE(o.gmv, 0) AS "gmvFen"
  FROM c LEFT JOIN t ON t.campaign_id = c.id LEFT JOIN h ON h.campaign_id = c.id LEFT JOIN r ON r.campaign_id = c.id
  LEFT JOIN rw ON rw.campaign_id = c.id LEFT JOIN o ON o.campaign_id = c.id`

export function assistRepo(q: Queryable): AssistRepo {
  const campaignWhere = async (where: string, values: unknown[], lock = '') => {
    const { rows } = await q.query<AssistCampaignRecord>(`${CAMPAIGN_SELECT} WHERE ${where}${lock}`, values)
    return rows[0] ?? null
  }
  const taskWhere = async (where: string, values: unknown[], lock = '') => {
    const { rows } = await q.query<AssistTaskRecord>(`${TASK_SELECT} WHERE ${where}${lock}`, values)
    return rows[0] ?? null
  }
  return {
    async createCampaign(c) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO assist_campaigns (title, face, reward_coupon_id, product_id, sku_id, price_fen, cut_per_help_fen, helps_needed,
           task_hours, helper_coupon_id, new_customers_only, daily_help_cap, starts_at, ends_at, status)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id`,
        [
          c.title,
          c.face,
          c.rewardCouponId,
          c.productId,
          c.skuId,
          c.priceFen,
          c.cutPerHelpFen,
          c.helpsNeeded,
          c.taskHours,
          c.helperCouponId,
          c.newCustomersOnly,
          c.dailyHelpCap,
          c.startsAt,
          c.endsAt,
          c.status,
        ],
      )
      return rows[0]!.id
    },
    campaign: (id) => campaignWhere('a.id = $1', [id]),
    async campaigns(ids) {
      const { rows } = await q.query<AssistCampaignRecord>(
        `${CAMPAIGN_SELECT} WHERE $1::text[] IS NULL OR a.id = ANY($1::text[]) ORDER BY a.created_at DESC, a.id DESC LIMIT 500`,
        [ids ?? null],
      )
      return rows
    },
    campaignShared: (id) => campaignWhere('a.id = $1', [id], ' FOR SHARE OF a'),
    campaignLocked: (id) => campaignWhere('a.id = $1', [id], ' FOR NO KEY UPDATE OF a'),
    async updateCampaign(id, fields) {
      const entries = Object.entries(fields).filter(([, v]) => v !== undefined)
      if (entries.length === 0) return
      const sets = entries.map(([k], i) => `${COLUMNS[k]} = $${i + 2}`).join(', ')
      await q.query(`UPDATE assist_campaigns SET ${sets} WHERE id = $1`, [id, ...entries.map(([, v]) => v)])
    },
    async hasTasks(campaignId) {
      const { rowCount } = await q.query(`SELECT 1 FROM assist_tasks WHERE campaign_id = $1 LIMIT 1`, [campaignId])
      return rowCount === 1
    },
    async startTask(t) {
      // The unique key decides a race: the loser inserts nothing and reads the winner's task (READ
      // COMMITTED: the insert waited for the winner's commit, the next statement sees it).
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO assist_tasks (campaign_id, starter_id, helps_needed, cut_per_help_fen, price_fen, started_at, expires_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (campaign_id, starter_id) DO NOTHING RETURNING id`,
        [t.campaignId, t.starterId, t.helpsNeeded, t.cutPerHelpFen, t.priceFen, t.startedAt, t.expiresAt],
      )
      if (rows[0]) return rows[0].id
      const { rows: found } = await q.query<{ id: string }>(`SELECT id FROM assist_tasks WHERE campaign_id = $1 AND starter_id = $2`, [
        t.campaignId,
        t.starterId,
      ])
      return found[0]!.id
    },
    async taskIdOf(campaignId, starterId) {
      const { rows } = await q.query<{ id: string }>(`SELECT id FROM assist_tasks WHERE campaign_id = $1 AND starter_id = $2`, [
        campaignId,
        starterId,
      ])
      return rows[0]?.id ?? null
    },
    async openCampaigns(now) {
      const { rows } = await q.query<AssistCampaignRecord>(
        `${CAMPAIGN_SELECT} WHERE a.status = 'active' AND a.starts_at <= $1 AND a.ends_at > $1 ORDER BY a.created_at DESC, a.id DESC LIMIT 20`,
        [now],
      )
      return rows
    },
    async tasksOf(starterId) {
      const { rows } = await q.query(
        `SELECT x.*, a.title, a.face, a.status AS "campaignStatus", a.ends_at AS "campaignEndsAt" FROM (${TASK_SELECT} WHERE t.starter_id = $1) x
         JOIN assist_campaigns a ON a.id = x."campaignId" ORDER BY x."startedAt" DESC LIMIT 50`,
        [starterId],
      )
      return rows
    },
    task: (taskId) => taskWhere('t.id = $1', [taskId]),
    async lockTask(taskId) {
      // The task's row first, then its campaign's shared (a pause waits for helps in flight).
      const { rows } = await q.query<{ id: string }>(
        `SELECT t.id FROM assist_tasks t JOIN assist_campaigns a ON a.id = t.campaign_id WHERE t.id = $1 FOR UPDATE OF t FOR SHARE OF a`,
        [taskId],
      )
      if (!rows[0]) return null
      return taskWhere('t.id = $1', [taskId])
    },
    async helpOf(taskId, helperId) {
      const { rows } = await q.query<{ counted: boolean; reason: AssistReason | null }>(
        `SELECT counted, reason FROM assist_helps WHERE task_id = $1 AND helper_id = $2`,
        [taskId, helperId],
      )
      return rows[0] ?? null
    },
    async takeHelp(h) {
      const { rows } = await q.query<{ outcome: TakeHelpOutcome }>(`SELECT assist_take_help($1, $2, $3::date, $4, $5, $6) AS outcome`, [
        h.taskId,
        h.helperId,
        h.day,
        h.cap,
        h.now,
        h.wasNew,
      ])
      return rows[0]!.outcome
    },
    async recordRefusal(h) {
      await q.query(
        `INSERT INTO assist_helps AS h (task_id, helper_id, counted, reason, was_new, at) VALUES ($1, $2, false, $3, $4, $5)
         ON CONFLICT (task_id, helper_id) DO UPDATE SET
           reason = CASE WHEN h.counted THEN NULL ELSE EXCLUDED.reason END,
           was_new = CASE WHEN h.counted THEN h.was_new ELSE EXCLUDED.was_new END,
           at = CASE WHEN h.counted THEN h.at ELSE EXCLUDED.at END,
           tried_again = h.tried_again OR (h.counted AND EXCLUDED.reason = 'ALREADY_HELPED')
         WHERE NOT h.counted OR (EXCLUDED.reason = 'ALREADY_HELPED' AND NOT h.tried_again)`,
        [h.taskId, h.helperId, h.reason, h.wasNew, h.now],
      )
    },
    async helpers(taskId) {
      const { rows } = await q.query(
        `SELECT h.helper_id AS "helperId", u.nickname, u.avatar_url AS "avatarUrl", h.counted, h.reason, h.at,
           h.welcome_coupon_id AS "welcomeCouponId"
         FROM assist_helps h JOIN users u ON u.id = h.helper_id WHERE h.task_id = $1 ORDER BY h.at LIMIT 200`,
        [taskId],
      )
      return rows
    },
    async granted(couponId, grantKey) {
      const { rows } = await q.query<{ any: boolean }>(
        'SELECT EXISTS (SELECT 1 FROM user_coupons WHERE coupon_id = $1 AND grant_key = $2) AS any',
        [couponId, grantKey],
      )
      return rows[0]!.any
    },
    async grantWelcome(g) {
      const { rows } = await q.query<{ id: string | null }>(
        `WITH u AS (
           INSERT INTO user_coupons (coupon_id, user_id, valid_from, valid_to, grant_key) VALUES ($1, $2, $3, $4, $5)
           ON CONFLICT (coupon_id, grant_key) DO NOTHING RETURNING id),
         h AS (
           UPDATE assist_helps SET welcome_coupon_id = u.id FROM u WHERE task_id = $6 AND helper_id = $2 AND counted)
         SELECT (SELECT id FROM u) AS id`,
        [g.couponId, g.userId, g.validFrom, g.validTo, g.grantKey, g.taskId],
      )
      return rows[0]!.id
    },
    async takePurchase(taskId, orderId) {
      const { rowCount } = await q.query(`UPDATE assist_tasks SET order_id = $2 WHERE id = $1 AND order_id IS NULL`, [taskId, orderId])
      return rowCount === 1
    },
    async releasePurchase(orderId) {
      await q.query(`UPDATE assist_tasks SET order_id = NULL WHERE order_id = $1`, [orderId])
    },
    async facts(campaignIds, now) {
      if (campaignIds.length === 0) return new Map()
      const { rows } = await q.query<AssistFacts & { id: string }>(FACTS_SELECT, [campaignIds, now])
      return new Map(rows.map(({ id, ...f }) => [id, f]))
    },
  }
}
