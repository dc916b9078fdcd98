/**
 * The console's coupons: the list with each coupon's figures, a coupon's grants, safe edits, pause / resume / end.
 */
import type { ActionArgs, ActionResult, AdminCoupon } from '../../contract'
import type { AuthedCtx } from '../context'
import { grantsOf } from '../customer/grants'
import { couponChanged } from '../live/room'
import { fail, requireConfirmed } from '../errors'
import { decodeCursor, encodeCursor } from '../paging'
import type { DeskCouponRecord } from './coupon.ports'
import { couponStatus, ruleText, updateWarnings } from './coupon.rules'

type In<K extends 'coupons' | 'coupon' | 'updateCoupon' | 'setCouponStatus'> = ActionArgs<'admin', K>
type Out<K extends 'coupons' | 'coupon' | 'updateCoupon' | 'setCouponStatus'> = ActionResult<'admin', K>

const PAGE = 20

/** A coupon as the desk shows it, its status as read now. */
export function deskView(c: DeskCouponRecord, now: Date): AdminCoupon {
  return {
    couponId: c.id,
    title: c.title,
    kind: c.kind,
    valueFen: c.valueFen,
    percentOff: c.percentOff,
    maxOffFen: c.maxOffFen,
    thresholdFen: c.thresholdFen,
    ruleText: ruleText(c),
    scope: c.scope,
    scopeIds: c.scope === 'all' ? [] : c.scopeIds,
    allowOnSpecial: c.allowOnSpecial,
    stock: c.stock,
    perUserLimit: c.perUserLimit,
    validFrom: c.validFrom.toISOString(),
    validTo: c.validTo.toISOString(),
    validDays: c.validDays,
    room: c.roomId === null ? null : { roomId: c.roomId, title: c.roomTitle ?? '' },
    status: couponStatus(c, now),
    figures: c.figures,
    createdAt: c.createdAt.toISOString(),
  }
}

/** Every coupon, newest first, with its figures: the page's figures in one query. */
export async function coupons(ctx: AuthedCtx, input: In<'coupons'>): Promise<Out<'coupons'>> {
  const now = ctx.now()
  const after = input.cursor == null ? null : decodeCursor(input.cursor)
  const rows = await ctx.repos.coupons.deskList({ status: input.status ?? null, roomOnly: input.roomOnly ?? null, now }, after, PAGE + 1)
  const page = rows.slice(0, PAGE)
  const last = page[page.length - 1]
  return { items: page.map((c) => deskView(c, now)), nextCursor: rows.length > PAGE && last ? encodeCursor(last.seq) : null }
}

async function desk(ctx: AuthedCtx, couponId: string): Promise<AdminCoupon> {
  const c = await ctx.repos.coupons.deskOne(couponId)
  return c ? deskView(c, ctx.now()) : fail('NOT_FOUND', '优惠券不存在')
}

export async function coupon(ctx: AuthedCtx, input: In<'coupon'>): Promise<Out<'coupon'>> {
  const view = await desk(ctx, input.couponId)
  return { coupon: view, grants: await grantsOf(ctx, input.couponId) }
}

const refuse = (path: string, message: string): never => fail('VALIDATION_FAILED', message, [{ path, message }])

/**
 * The safe edits: name, stock (never below what shoppers claimed), per-user limit (coupons already
 * claimed stay theirs), the claim window's end (later than its start and than now). The terms never
 * change. An ended coupon takes a new name only (its window is never reopened). The template's row is
 * locked first, so a claim racing the edit is counted before the check or refused after it.
 */
export async function updateCoupon(ctx: AuthedCtx, input: In<'updateCoupon'>): Promise<Out<'updateCoupon'>> {
  const now = ctx.now()
  const c = await ctx.repos.coupons.lockForEdit(input.couponId)
  if (!c) return fail('NOT_FOUND', '优惠券不存在')
  const termsEdited = input.stock !== undefined || input.perUserLimit !== undefined || input.validTo !== undefined
  if (termsEdited && couponStatus(c, now) === 'ended') fail('COUPON_ENDED', '优惠券已结束，只能修改名称')
  if (input.stock !== undefined && input.stock < c.claimed) refuse('stock', `库存不能少于已领取的 ${c.claimed} 张`)
  const validTo = input.validTo === undefined ? undefined : new Date(input.validTo)
  if (validTo !== undefined) {
    if (validTo <= c.validFrom) refuse('validTo', '结束时间须晚于开始时间')
    if (validTo <= now) refuse('validTo', '结束时间须晚于现在；要立即停止发放请用「结束」')
  }
  requireConfirmed(updateWarnings(c, input, now), input.confirm)
  await ctx.repos.coupons.edit(c.id, { title: input.title, stock: input.stock, perUserLimit: input.perUserLimit, validTo })
  // Rooms offering it show the new stock or window on their next poll.
  if (termsEdited) await couponChanged(ctx, c.id)
  return { coupon: await desk(ctx, c.id) }
}

/**
 * 暂停 / 恢复 / 结束. One conditional update of the template's row, the row every claim's stock update
 * takes too: a claim committed after the pause committed is refused (COUPON_PAUSED). An ended coupon
 * (ended by the merchant, or past its window) never comes back: COUPON_ENDED. Setting the status it
 * already has changes nothing.
 */
export async function setCouponStatus(ctx: AuthedCtx, input: In<'setCouponStatus'>): Promise<Out<'setCouponStatus'>> {
  const now = ctx.now()
  if (!(await ctx.repos.coupons.setStatus(input.couponId, input.status, now))) {
    const c = await ctx.repos.coupons.get(input.couponId)
    if (!c) return fail('NOT_FOUND', '优惠券不存在')
    return fail('COUPON_ENDED', '优惠券已结束，不能再恢复或暂停')
  }
  // Every room offering it shows 暂停发放 / 已结束 (or 立即领取 again) on its next poll.
  await couponChanged(ctx, input.couponId)
  return { coupon: await desk(ctx, input.couponId) }
}
