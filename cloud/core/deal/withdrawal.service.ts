/**
 * Withdrawals (提现) of settled earnings. The amount leaves the settled balance when it is asked for
 * (a `withdraw_hold` ledger line), under a per-user lock, so racing withdrawals never take more than
 * the balance; one withdrawal per user is in progress at a time. The owner rejects it (the amount goes
 * back to settled) or approves it: the transfer provider is asked once, the user confirms receipt in
 * the mini-program, and the provider's signed notify ends it (paid, or failed with the amount back).
 */
import type { AdminRejectWithdrawalInput, AdminWithdrawalsInput, Withdrawal, WithdrawInput } from '../../contract'
import type { AuthedCtx, Ctx } from '../context'
import type { VerifiedTransferNotify } from '../services.ports'
import { fail } from '../errors'

const PAGE = 50

const strip = (w: Withdrawal): Withdrawal => ({
  id: w.id,
  amountFen: w.amountFen,
  status: w.status,
  reason: w.reason,
  createdAt: w.createdAt,
  decidedAt: w.decidedAt,
  finishedAt: w.finishedAt ?? null,
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
  // The cursor is the last row's id: one that names no withdrawal can't be a position (as paging.ts's lists answer).
  if (input.cursor && !(await ctx.repos.withdrawals.get(input.cursor)))
    fail('VALIDATION_FAILED', '分页参数无效', [{ path: 'cursor', message: '分页参数无效，请从第一页重新加载' }])
  const rows = await ctx.repos.withdrawals.list(input.status, input.cursor ?? null, PAGE + 1)
  const page = rows.slice(0, PAGE)
  return { withdrawals: page, nextCursor: rows.length > PAGE ? page[page.length - 1]!.id : null }
}

async function decided(ctx: AuthedCtx, id: string) {
  // No row was pending: either there is no such withdrawal, or another decision came first.
  if (!(await ctx.repos.withdrawals.get(id))) fail('NOT_FOUND', '提现记录不存在')
  return fail('WITHDRAWAL_STATUS_CHANGED')
}

export async function approve(ctx: AuthedCtx, input: { withdrawalId: string }): Promise<{ withdrawal: Withdrawal }> {
  const repo = ctx.repos.withdrawals
  const w = await repo.decide(input.withdrawalId, 'transferring', null)
  if (!w) return decided(ctx, input.withdrawalId)
  const user = (await ctx.repos.users.byId(w.userId))!
  // Only the decision that found it pending asks for the transfer, and the provider makes one transfer
  // per withdrawal (a retried approval answers the same bill). If asking fails, the transaction rolls
  // back and the withdrawal stays pending.
  const started = await ctx.transfers.pay({ withdrawalId: w.id, openid: user.openid, amountFen: w.amountFen })
  if (started.state === 'awaiting_user') {
    await repo.startTransfer(w.id, started.transferId, started.confirm)
    return { withdrawal: strip(w) }
  }
  const done = await repo.finish(
    w.id,
    started.state,
    started.state === 'failed' ? started.reason : null,
    started.state === 'paid' ? started.transferId : null,
  )
  return { withdrawal: strip(done!) }
}

export type TransferNotifyResult = { accepted: true; outcome: 'finished' | 'already' } | { accepted: false; reason: string }

/**
 * The end of a transfer, from the provider's verified notify: transferring → paid, or failed with the
 * amount back; once, however often or concurrently the notify comes. A notify that names a
 * withdrawal not transferring (nor already ended that way) or another amount is refused, so the
 * provider tries again later or someone looks.
 */
export async function onTransferNotify(ctx: Ctx, n: VerifiedTransferNotify): Promise<TransferNotifyResult> {
  const repo = ctx.repos.withdrawals
  const w = await repo.get(n.withdrawalId)
  if (!w) return { accepted: false, reason: 'UNKNOWN_WITHDRAWAL' }
  if (w.amountFen !== n.amountFen) return { accepted: false, reason: 'AMOUNT_MISMATCH' }
  const done = await repo.finish(w.id, n.state, n.state === 'failed' ? (n.reason ?? '转账未完成') : null, n.transferId)
  if (done) return { accepted: true, outcome: 'finished' }
  const now = await repo.get(w.id)
  if (now?.status === n.state) return { accepted: true, outcome: 'already' }
  return { accepted: false, reason: `STATUS_${now?.status ?? 'unknown'}` }
}

export async function reject(ctx: AuthedCtx, input: AdminRejectWithdrawalInput): Promise<{ withdrawal: Withdrawal }> {
  // Decided first (the row lock: an approval still asking the provider finishes before we look), then
  // the provider is asked whether an earlier approval made a bill although its answer was lost (the
  // approval rolled back, the withdrawal is pending again). Such a bill may still pay, so returning
  // the amount would pay twice: refused (this transaction rolls back) unless there is no bill or it
  // ended without paying. Approving again asks for the same bill and answers what became of it.
  const w = await ctx.repos.withdrawals.decide(input.withdrawalId, 'rejected', input.reason)
  if (!w) return decided(ctx, input.withdrawalId)
  const bill = await ctx.transfers.find(w.id)
  if (bill && bill.state !== 'failed') {
    fail(
      'WITHDRAWAL_STATUS_CHANGED',
      bill.state === 'paid' ? '转账已成功，不能拒绝；请重新批准以同步转账结果' : '转账已发起，请等待转账结果（可重新批准以同步转账状态）',
    )
  }
  return { withdrawal: strip(w) }
}
