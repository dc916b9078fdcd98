/**
 * The console's 9.9 deal campaigns: creating one (idempotent, with warnings to confirm), the list
 * with each one's funnel, edits from now on, pause and resume.
 */
import type { ActionArgs, ActionResult, AdminDealCampaign, Warning } from '../../contract'
import { onceByKey } from '../admin/request-keys'
import type { AuthedCtx } from '../context'
import { fail, requireConfirmed } from '../errors'
import { resolveSku } from '../order/lines'
import type { AdminDealRecord } from './deal.ports'
import { yuan as fenToYuan } from '../money'

const yuan = (fen: number) => `¥${fenToYuan(fen)}`

/** Terms that are legal but probably a mistake: the merchant confirms them (CONFIRM_REQUIRED) or fixes them. */
export function dealWarnings(t: {
  dealPriceFen: number
  extraClaimsPerInvite: number
  maxExtraClaims: number
  inviteRewardFen: number
  baseClaims: number
  skuStock: number
}): Warning[] {
  const w: Warning[] = []
  if (t.inviteRewardFen > t.dealPriceFen)
    w.push({
      code: 'DEAL_REWARD_ABOVE_PRICE',
      message: `每邀请一位好友奖励 ${yuan(t.inviteRewardFen)}，高于新人价 ${yuan(t.dealPriceFen)}：邀请奖励比活动收入还多`,
    })
  if (t.extraClaimsPerInvite > 0 && t.maxExtraClaims === 0)
    w.push({ code: 'DEAL_EXTRA_CAPPED_AT_ZERO', message: '每邀请一位好友多领的次数被「最多多领 0 次」抵消：邀请不会增加领取次数' })
  if (t.baseClaims === 0 && (t.extraClaimsPerInvite === 0 || t.maxExtraClaims === 0))
    w.push({ code: 'DEAL_NO_CLAIMS', message: '基础领取次数为 0，邀请也不增加次数：没有人能领取这个活动' })
  if (t.skuStock === 0) w.push({ code: 'DEAL_NO_STOCK', message: '商品规格库存为 0：补货前新客领取都会提示库存不足' })
  return w
}

function priceBelowSku(dealPriceFen: number, skuPriceFen: number): void {
  // A deal price at or above the regular price is no deal, and the regular shelf would sell it to anyone.
  if (dealPriceFen >= skuPriceFen)
    fail('VALIDATION_FAILED', '新人价须低于商品售价', [{ path: 'dealPriceFen', message: `新人价须低于商品售价 ${yuan(skuPriceFen)}` }])
}

export async function createCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'createDealCampaign'>,
): Promise<ActionResult<'admin', 'createDealCampaign'>> {
  // `confirm` is not part of the request a key names: a retry after confirming answers the first result.
  const { confirm, ...request } = input
  return onceByKey(ctx, 'createDealCampaign', request, async () => {
    const sku = await resolveSku(ctx, input.productId, input.skuId)
    priceBelowSku(input.dealPriceFen, sku.priceFen)
    const inviteRewardFen = input.inviteRewardFen ?? 0
    requireConfirmed(dealWarnings({ ...input, inviteRewardFen, skuStock: sku.stock }), confirm)
    const campaignId = await ctx.repos.deals.create({
      productId: input.productId,
      skuId: sku.id,
      dealPriceFen: input.dealPriceFen,
      baseClaims: input.baseClaims,
      extraClaimsPerInvite: input.extraClaimsPerInvite,
      maxExtraClaims: input.maxExtraClaims,
      inviteCountsWhen: input.inviteCountsWhen,
      inviteRewardFen,
      status: input.status ?? 'active',
    })
    return { campaignId }
  })
}

function view(r: AdminDealRecord): AdminDealCampaign {
  return {
    campaignId: r.id,
    productId: r.productId,
    skuId: r.skuId,
    title: r.title,
    cover: r.cover,
    specText: r.specText,
    dealPriceFen: r.dealPriceFen,
    priceFen: r.priceFen,
    stock: r.stock,
    baseClaims: r.baseClaims,
    extraClaimsPerInvite: r.extraClaimsPerInvite,
    maxExtraClaims: r.maxExtraClaims,
    inviteCountsWhen: r.inviteCountsWhen,
    inviteRewardFen: r.inviteRewardFen,
    status: r.status,
    funnel: r.funnel,
    createdAt: r.createdAt,
  }
}

async function one(ctx: AuthedCtx, campaignId: string): Promise<AdminDealCampaign> {
  const [r] = await ctx.repos.deals.adminList([campaignId])
  if (!r) return fail('NOT_FOUND', '活动不存在')
  return view(r)
}

export async function dealCampaigns(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'dealCampaigns'>,
): Promise<ActionResult<'admin', 'dealCampaigns'>> {
  void input
  return { items: (await ctx.repos.deals.adminList()).map(view) }
}

export async function dealCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'dealCampaign'>,
): Promise<ActionResult<'admin', 'dealCampaign'>> {
  return { campaign: await one(ctx, input.campaignId) }
}

/**
 * Edits apply from now on: orders already placed keep their price and claims, rewards already
 * accrued stay. The invite mode changes only while nobody has entered (counting would change under
 * the inviters' feet otherwise); the repository checks that in the write itself.
 */
export async function updateDealCampaign(
  ctx: AuthedCtx,
  input: ActionArgs<'admin', 'updateDealCampaign'>,
): Promise<ActionResult<'admin', 'updateDealCampaign'>> {
  const { campaignId, confirm, ...terms } = input
  const current = await one(ctx, campaignId)
  const next = { ...current, ...Object.fromEntries(Object.entries(terms).filter(([, v]) => v !== undefined)) } as AdminDealCampaign
  if (terms.dealPriceFen !== undefined) priceBelowSku(next.dealPriceFen, current.priceFen)
  if (terms.inviteCountsWhen !== undefined && terms.inviteCountsWhen !== current.inviteCountsWhen && current.funnel.entered > 0)
    refuseModeChange(current.funnel.entered)
  // Only terms that change are warned about again (a pause never asks to confirm the old terms).
  const changesTerms = ['dealPriceFen', 'baseClaims', 'extraClaimsPerInvite', 'maxExtraClaims', 'inviteRewardFen'].some(
    (k) => terms[k as keyof typeof terms] !== undefined && terms[k as keyof typeof terms] !== current[k as keyof AdminDealCampaign],
  )
  if (changesTerms) requireConfirmed(dealWarnings({ ...next, skuStock: current.stock }), confirm)
  // The same mode again is no change (and takes no lock on the entries).
  const { inviteCountsWhen, ...rest } = terms
  const write = inviteCountsWhen !== undefined && inviteCountsWhen !== current.inviteCountsWhen ? terms : rest
  const done = await ctx.repos.deals.update(campaignId, write)
  if (done === null) return fail('NOT_FOUND', '活动不存在')
  if (done === 'entered') refuseModeChange(null)
  return { campaign: await one(ctx, campaignId) }
}

function refuseModeChange(entered: number | null): never {
  const who = entered === null ? '已有用户参加' : `已有 ${entered} 人参加`
  return fail('VALIDATION_FAILED', `${who}，邀请计入方式不能再修改`, [
    { path: 'inviteCountsWhen', message: `${who}活动，邀请计入方式不能再修改（会改变已发生邀请的计数）` },
  ])
}
