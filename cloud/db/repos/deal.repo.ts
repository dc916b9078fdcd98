import type { DealCampaignRecord, DealRepo, InviteFact } from '../../core/deal/deal.ports'
import type { Queryable } from '../database'
import { isoUtc } from '../sql'

const CAMPAIGN_SELECT = `SELECT d.id, d.product_id AS "productId", d.sku_id AS "skuId", p.title, COALESCE(p.images[1], '') AS cover,
    d.deal_price_fen AS "dealPriceFen", COALESCE(s.list_price_fen, s.price_fen) AS "listPriceFen", s.stock,
    d.base_claims AS "baseClaims", d.extra_claims_per_invite AS "extraClaimsPerInvite", d.max_extra_claims AS "maxExtraClaims",
    d.invite_counts_when AS "inviteCountsWhen", d.invite_reward_fen AS "inviteRewardFen"
  FROM deal_campaigns d JOIN products p ON p.id = d.product_id JOIN skus s ON s.id = d.sku_id`

/** The fact: whether the invitee of `i` has paid a deal order of the campaign that is not refunded. */
const INVITEE_PAID = `EXISTS (SELECT 1 FROM orders o WHERE o.user_id = i.invitee_id AND o.deal_campaign_id = i.campaign_id
  AND o.paid_at IS NOT NULL AND o.status <> 'refunded')`

export function dealRepo(q: Queryable): DealRepo {
  return {
    async create(c) {
      const { rows } = await q.query<{ id: string }>(
        `INSERT INTO deal_campaigns (product_id, sku_id, deal_price_fen, base_claims, extra_claims_per_invite, max_extra_claims,
           invite_counts_when, invite_reward_fen) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
        [
          c.productId,
          c.skuId,
          c.dealPriceFen,
          c.baseClaims,
          c.extraClaimsPerInvite,
          c.maxExtraClaims,
          c.inviteCountsWhen,
          c.inviteRewardFen,
        ],
      )
      return rows[0]!.id
    },
    async get(id) {
      const { rows } = await q.query<DealCampaignRecord>(`${CAMPAIGN_SELECT} WHERE d.id = $1`, [id])
      return rows[0] ?? null
    },
    async entry(campaignId, userId) {
      const { rows } = await q.query<{ was_new: boolean }>('SELECT was_new FROM deal_entries WHERE campaign_id = $1 AND user_id = $2', [
        campaignId,
        userId,
      ])
      return rows[0] ? { wasNew: rows[0].was_new } : null
    },
    async enter(campaignId, userId, wasNew) {
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
           FROM deal_invite_attempts a JOIN users u ON u.id = a.invitee_id WHERE a.campaign_id = $1 AND a.inviter_id = $2
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
