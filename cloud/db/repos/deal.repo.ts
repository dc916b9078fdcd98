import type { DealFunnel, InviteReason } from '../../contract'
import type { AdminDealRecord, DealCampaignRecord, DealRepo, InviteFact } from '../../core/deal/deal.ports'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'

const CAMPAIGN_SELECT = `SELECT d.id, d.product_id AS "productId", d.sku_id AS "skuId", p.title, COALESCE(p.images[1], '') AS cover,
    d.deal_price_fen AS "dealPriceFen", COALESCE(s.list_price_fen, s.price_fen) AS "listPriceFen", s.stock,
    d.base_claims AS "baseClaims", d.extra_claims_per_invite AS "extraClaimsPerInvite", d.max_extra_claims AS "maxExtraClaims",
    d.invite_counts_when AS "inviteCountsWhen", d.invite_reward_fen AS "inviteRewardFen", d.status
  FROM deal_campaigns d JOIN products p ON p.id = d.product_id JOIN skus s ON s.id = d.sku_id`

/** The fact: whether the invitee of `i` has paid a deal order of the campaign that is not refunded. */
const INVITEE_PAID = `EXISTS (SELECT 1 FROM orders o WHERE o.user_id = i.invitee_id AND o.deal_campaign_id = i.campaign_id
  AND o.paid_at IS NOT NULL AND o.status <> 'refunded')`

const REASONS: InviteReason[] = [
  'SELF_INVITE',
  'INVITER_NOT_FOUND',
  'NOT_NEW_CUSTOMER',
  'ALREADY_ENTERED',
  'ALREADY_INVITED',
  'RISK_BLOCKED',
  'NOT_PAID_YET',
]

/**
 * Each campaign's funnel, one row per campaign, every figure an aggregate of its own table family
 * (grouped once for all the campaigns asked, joined by id): no query per campaign.
 * Invites sent = invites accepted (deal_invites) + refused attempts (deal_invite_attempts); a
 * paid-mode invite whose friend has not paid is the refusal NOT_PAID_YET.
 */
const ADMIN_SELECT = `WITH c AS (
    SELECT d.id, d.invite_counts_when FROM deal_campaigns d WHERE $1::text[] IS NULL OR d.id = ANY($1::text[])
  ), e AS (
    SELECT e.campaign_id, count(*)::int AS entered, count(*) FILTER (WHERE e.was_new)::int AS entered_new
    FROM deal_entries e JOIN c ON c.id = e.campaign_id GROUP BY e.campaign_id
  ), i AS (
    SELECT i.campaign_id, count(*)::int AS invites, count(*) FILTER (WHERE ${INVITEE_PAID})::int AS invitee_paid
    FROM deal_invites i JOIN c ON c.id = i.campaign_id GROUP BY i.campaign_id
  ), a AS (
    SELECT campaign_id, sum(n)::int AS attempts, jsonb_object_agg(reason, n) AS reasons FROM (
      SELECT a.campaign_id, a.reason, count(*)::int AS n FROM deal_invite_attempts a JOIN c ON c.id = a.campaign_id
      GROUP BY a.campaign_id, a.reason) x GROUP BY campaign_id
  ), o AS (
    SELECT o.deal_campaign_id AS campaign_id, count(*) FILTER (WHERE o.status <> 'cancelled')::int AS claims,
      count(*) FILTER (WHERE o.paid_at IS NOT NULL AND o.status NOT IN ('refunded', 'cancelled'))::int AS paid
    FROM orders o JOIN c ON c.id = o.deal_campaign_id GROUP BY o.deal_campaign_id
  ), r AS (
    SELECT l.invite_campaign_id AS campaign_id,
      COALESCE(sum(l.amount_fen) FILTER (WHERE l.bucket = 'pending'), 0)::int AS pending,
      COALESCE(sum(l.amount_fen) FILTER (WHERE l.bucket = 'settled'), 0)::int AS settled
    FROM earnings_ledger l JOIN c ON c.id = l.invite_campaign_id WHERE l.kind = 'invite_reward' GROUP BY l.invite_campaign_id
  )
  SELECT d.id, d.product_id AS "productId", d.sku_id AS "skuId", p.title, COALESCE(p.images[1], '') AS cover, s.spec_text AS "specText",
    d.deal_price_fen AS "dealPriceFen", COALESCE(s.list_price_fen, s.price_fen) AS "listPriceFen", s.price_fen AS "priceFen", s.stock,
    d.base_claims AS "baseClaims", d.extra_claims_per_invite AS "extraClaimsPerInvite", d.max_extra_claims AS "maxExtraClaims",
    d.invite_counts_when AS "inviteCountsWhen", d.invite_reward_fen AS "inviteRewardFen", d.status, ${isoUtc('d.created_at')} AS "createdAt",
    COALESCE(e.entered, 0) AS entered, COALESCE(e.entered_new, 0) AS "enteredNew",
    COALESCE(i.invites, 0) AS invites, COALESCE(i.invitee_paid, 0) AS "inviteePaid",
    COALESCE(a.attempts, 0) AS attempts, COALESCE(a.reasons, '{}'::jsonb) AS reasons,
    COALESCE(o.claims, 0) AS claims, COALESCE(o.paid, 0) AS paid,
    COALESCE(r.pending, 0) AS "rewardsPendingFen", COALESCE(r.settled, 0) AS "rewardsSettledFen"
  FROM c JOIN deal_campaigns d ON d.id = c.id JOIN products p ON p.id = d.product_id JOIN skus s ON s.id = d.sku_id
  LEFT JOIN e ON e.campaign_id = d.id LEFT JOIN i ON i.campaign_id = d.id LEFT JOIN a ON a.campaign_id = d.id
  LEFT JOIN o ON o.campaign_id = d.id LEFT JOIN r ON r.campaign_id = d.id
  ORDER BY d.created_at DESC, d.id DESC`

interface AdminRow extends Omit<AdminDealRecord, 'funnel'> {
  entered: number
  enteredNew: number
  invites: number
  inviteePaid: number
  attempts: number
  reasons: Record<string, number>
  claims: number
  paid: number
  rewardsPendingFen: number
  rewardsSettledFen: number
}

function funnelOf(r: AdminRow): DealFunnel {
  const counted = r.inviteCountsWhen === 'joined' ? r.invites : r.inviteePaid
  const refusals = Object.fromEntries(REASONS.map((k) => [k, r.reasons[k] ?? 0])) as Record<InviteReason, number>
  refusals.NOT_PAID_YET += r.invites - counted
  return {
    entered: r.entered,
    enteredNew: r.enteredNew,
    invitesSent: r.invites + r.attempts,
    invitesCounted: counted,
    refusals,
    claims: r.claims,
    paid: r.paid,
    rewardsPendingFen: r.rewardsPendingFen,
    rewardsSettledFen: r.rewardsSettledFen,
  }
}

export function dealRepo(q: Queryable): DealRepo {
  return {
    async create(c) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO deal_campaigns (product_id, sku_id, deal_price_fen, base_claims, extra_claims_per_invite, max_extra_claims,
           invite_counts_when, invite_reward_fen, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
        [
          c.productId,
          c.skuId,
          c.dealPriceFen,
          c.baseClaims,
          c.extraClaimsPerInvite,
          c.maxExtraClaims,
          c.inviteCountsWhen,
          c.inviteRewardFen,
          c.status ?? 'active',
        ],
      )
      return rows[0]!.id
    },
    async get(id) {
      const { rows } = await q.query<DealCampaignRecord>(`${CAMPAIGN_SELECT} WHERE d.id = $1`, [id])
      return rows[0] ?? null
    },
    async getForClaim(id) {
      const { rows } = await q.query<DealCampaignRecord>(`${CAMPAIGN_SELECT} WHERE d.id = $1 FOR SHARE OF d`, [id])
      return rows[0] ?? null
    },
    async adminList(ids) {
      const { rows } = await q.query<AdminRow>(ADMIN_SELECT, [ids ?? null])
      return rows.map((r) => {
        const {
          entered,
          enteredNew,
          invites,
          inviteePaid,
          attempts,
          reasons,
          claims,
          paid,
          rewardsPendingFen,
          rewardsSettledFen,
          ...rest
        } = r
        void [entered, enteredNew, invites, inviteePaid, attempts, reasons, claims, paid, rewardsPendingFen, rewardsSettledFen]
        return { ...rest, funnel: funnelOf(r) }
      })
    },
    async update(id, t) {
      // The mode changes only while no entry exists. Every insert of an entry holds the campaign's row
      // FOR SHARE first (enter below; a claim from getForClaim on), so taking it FOR UPDATE waits for
      // the entries in flight and holds new ones of this campaign (only) until this commits; the
      // UPDATE's check, a fresh snapshot after the lock, then sees every entry that could precede the
      // change. One row lock each, always the campaign's first: no deadlock with a claim.
      if (t.inviteCountsWhen !== undefined) await q.query('SELECT 1 FROM deal_campaigns WHERE id = $1 FOR UPDATE', [id])
      const { rows } = await q.query<{ ok: boolean }>(
        `UPDATE deal_campaigns d SET
           deal_price_fen = COALESCE($2, d.deal_price_fen),
           base_claims = COALESCE($3, d.base_claims),
           extra_claims_per_invite = COALESCE($4, d.extra_claims_per_invite),
           max_extra_claims = COALESCE($5, d.max_extra_claims),
           invite_counts_when = COALESCE($6, d.invite_counts_when),
           invite_reward_fen = COALESCE($7, d.invite_reward_fen),
           status = COALESCE($8, d.status)
         WHERE d.id = $1 AND ($6::text IS NULL OR $6::text = d.invite_counts_when
           OR NOT EXISTS (SELECT 1 FROM deal_entries e WHERE e.campaign_id = d.id))
         RETURNING true AS ok`,
        [
          id,
          t.dealPriceFen ?? null,
          t.baseClaims ?? null,
          t.extraClaimsPerInvite ?? null,
          t.maxExtraClaims ?? null,
          t.inviteCountsWhen ?? null,
          t.inviteRewardFen ?? null,
          t.status ?? null,
        ],
      )
      if (rows[0]) return 'ok'
      const { rows: exists } = await q.query('SELECT 1 FROM deal_campaigns WHERE id = $1', [id])
      return exists[0] ? 'entered' : null
    },
    async anyEntry(id) {
      const { rows } = await q.query('SELECT 1 FROM deal_entries WHERE campaign_id = $1 LIMIT 1', [id])
      return rows.length > 0
    },
    async entry(campaignId, userId) {
      const { rows } = await q.query<{ was_new: boolean }>('SELECT was_new FROM deal_entries WHERE campaign_id = $1 AND user_id = $2', [
        campaignId,
        userId,
      ])
      return rows[0] ? { wasNew: rows[0].was_new } : null
    },
    async enter(campaignId, userId, wasNew) {
      // The campaign's row held shared to the end of the call: a mode change (update) waits for this
      // entry's commit, or this entry for the change's (see update).
      await q.query('SELECT 1 FROM deal_campaigns WHERE id = $1 FOR SHARE', [campaignId])
      const { rowCount } = await q.query(
        'INSERT INTO deal_entries (campaign_id, user_id, was_new) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
        [campaignId, userId, wasNew],
      )
      return rowCount === 1
    },
    async addInvite(campaignId, inviteeId, inviterId, rewardable) {
      const { rowCount } = await q.query(
        'INSERT INTO deal_invites (campaign_id, invitee_id, inviter_id, rewardable) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [campaignId, inviteeId, inviterId, rewardable],
      )
      return rowCount === 1
    },
    async inviteTally(campaignId, inviterId) {
      const { rows } = await q.query<{ invites: number; inviteePaid: number }>(
        `SELECT count(*)::int AS invites, count(*) FILTER (WHERE ${INVITEE_PAID})::int AS "inviteePaid"
         FROM deal_invites i WHERE i.campaign_id = $1 AND i.inviter_id = $2`,
        [campaignId, inviterId],
      )
      return rows[0]!
    },
    async invitesBy(campaignId, inviterId) {
      const { rows } = await q.query<InviteFact>(
        `SELECT nickname, refusal, "inviteePaid", ${isoUtc('at')} AS "acceptedAt"
         FROM (
           SELECT u.nickname, NULL AS refusal, ${INVITEE_PAID} AS "inviteePaid", i.created_at AS at
           FROM deal_invites i JOIN users u ON u.id = i.invitee_id WHERE i.campaign_id = $1 AND i.inviter_id = $2
           UNION ALL
           SELECT u.nickname, a.reason, false, a.created_at
           FROM deal_invite_attempts a JOIN users u ON u.id = a.invitee_id
           WHERE a.campaign_id = $1 AND a.inviter_id = $2 AND a.invitee_id <> a.inviter_id -- not one's own opening (SELF_INVITE)
         ) x ORDER BY at DESC LIMIT 200`,
        [campaignId, inviterId],
      )
      return rows
    },
    async recordRefusal(campaignId, inviteeId, inviterId, reason) {
      await q.query(
        'INSERT INTO deal_invite_attempts (campaign_id, invitee_id, inviter_id, reason) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING',
        [campaignId, inviteeId, inviterId, reason],
      )
    },
    async useClaim(campaignId, userId, allowed) {
      const { rowCount } = await q.query(
        `INSERT INTO deal_claims (campaign_id, user_id, used) SELECT $1::text, $2::text, 1 WHERE 1 <= $3::int
         ON CONFLICT (campaign_id, user_id) DO UPDATE SET used = deal_claims.used + 1 WHERE deal_claims.used + 1 <= $3::int`,
        [campaignId, userId, allowed],
      )
      return rowCount === 1
    },
    async claimsUsed(campaignId, userId) {
      const { rows } = await q.query<{ used: number }>('SELECT used FROM deal_claims WHERE campaign_id = $1 AND user_id = $2', [
        campaignId,
        userId,
      ])
      return rows[0]?.used ?? 0
    },
    async pendingOrder(campaignId, userId, now) {
      const { rows } = await q.query<{ orderId: string; payableFen: number; payDeadline: string }>(
        `SELECT id AS "orderId", payable_fen AS "payableFen", ${isoUtc('pay_deadline')} AS "payDeadline" FROM orders
         WHERE user_id = $2 AND deal_campaign_id = $1 AND status = 'pending_payment' AND pay_deadline > $3
         ORDER BY created_at DESC LIMIT 1`,
        [campaignId, userId, now],
      )
      return rows[0] ?? null
    },
    async releaseClaim(orderId) {
      await q.query(
        `UPDATE deal_claims c SET used = c.used - 1 FROM orders o
         WHERE o.id = $1 AND o.deal_campaign_id = c.campaign_id AND o.user_id = c.user_id AND c.used > 0`,
        [orderId],
      )
    },
  }
}
