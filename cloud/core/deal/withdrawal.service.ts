/**
 * Withdrawals (提现) of settled earnings. The amount leaves the settled balance when it is asked for
 * (a `withdraw_hold` ledger line), under a per-user lock, so racing withdrawals never take more than
 * the balance; one withdrawal per user waits for the owner at a time. The owner approves it (paid
 * through the transfer provider, once) or rejects it (the amount goes back to settled).
 */
import type { AdminRejectWithdrawalInput, AdminWithdrawalsInput, Withdrawal, WithdrawInput } from '../../contract'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'

const PAGE = 50

const strip = (w: Withdrawal): Withdrawal => ({
  id: w.id,
  amountFen: w.amountFen,
  status: w.status,
  reason: w.reason,
  createdAt: w.createdAt,
  decidedAt: w.decidedAt,
})

export async function withdraw(ctx: AuthedCtx, input: WithdrawInput): Promise<{ withdrawal: Withdrawal }> {
  const me = ctx.caller.userId
  const repo = ctx.repos.withdrawals
  // Everything below reads after this lock: a racing withdrawal of the same user waits here for our
  // commit and then sees our hold (READ COMMITTED, each statement a fresh snapshot).
  await repo.lockUser(me)
  const again = await repo.byKey(me, input.idempotencyKey)
  if (again) {
    if (again.amountFen !== input.amountFen) fail('IDEMPOTENCY_KEY_REUSED')
    return { withdrawal: again }
  }
  if (await repo.hasPending(me)) fail('WITHDRAWAL_PENDING')
  if ((await repo.settledFen(me)) < input.amountFen) fail('INSUFFICIENT_BALANCE')
  return { withdrawal: await repo.create(me, input.amountFen, input.idempotencyKey) }
}

export async function mine(ctx: AuthedCtx): Promise<{ withdrawals: Withdrawal[] }> {
  return { withdrawals: await ctx.repos.withdrawals.mine(ctx.caller.userId) }
}

export async function list(ctx: AuthedCtx, input: AdminWithdrawalsInput) {
  const rows = await ctx.repos.withdrawals.list(input.status, input.cursor ?? null, PAGE + 1)
  const page = rows.slice(0, PAGE)
  return { withdrawals: page, nextCursor: rows.length > PAGE ? page[page.length - 1]!.id : null }
}

async function decided(ctx: AuthedCtx, id: string) {
  // No row was pending: either there is no such withdrawal, or another decision came first.
  if (!(await ctx.repos.withdrawals.get(id))) fail('NOT_FOUND')
  return fail('WITHDRAWAL_STATUS_CHANGED')
}

export async function approve(ctx: AuthedCtx, input: { withdrawalId: string }): Promise<{ withdrawal: Withdrawal }> {
  const w = await ctx.repos.withdrawals.decide(input.withdrawalId, 'paid', null)
  if (!w) return decided(ctx, input.withdrawalId)
  const user = (await ctx.repos.users.byId(w.userId))!
  // Only the decision that found it pending pays, and the provider pays a withdrawal once. If paying
  // fails, the transaction rolls back and the withdrawal stays pending.
  await ctx.transfers.pay({ withdrawalId: w.id, openid: user.openid, amountFen: w.amountFen })
  return { withdrawal: strip(w) }
}

export async function reject(ctx: AuthedCtx, input: AdminRejectWithdrawalInput): Promise<{ withdrawal: Withdrawal }> {
  const w = await ctx.repos.withdrawals.decide(input.withdrawalId, 'rejected', input.reason || null)
  if (!w) return decided(ctx, input.withdrawalId)
  return { withdrawal: strip(w) }
}
