/**
 * Withdrawals (提现), raced on real PostgreSQL: the amount leaves the settled balance when it is
 * asked for, so racing withdrawals never take more than there is; one is in progress at a time; the
 * owner's approval asks for one transfer (商家转账, the sandbox here), the user confirms receipt, and
 * the transfer's signed notify ends it once (paid, or failed with the amount back); a rejection gives
 * the amount back.
 */
import { createHmac, randomBytes } from 'node:crypto'
import { createProduct, key, payOrder, sql } from '../helpers/mall'
import { startStack, type Stack } from '../helpers/stack'

let stack: Stack
let owner: string

beforeAll(async () => {
  // A refund window of 0 days: earnings settle at the settle job's next run.
  stack = await startStack({ env: { REFUND_WINDOW_DAYS: '0', JOB_INTERVAL_MS: '100' } })
  owner = (await stack.login('admin')).token
}, 90_000)
afterAll(() => stack?.stop())

/** A call whose answer may be a refusal: status and envelope, loosely typed for the assertions. */
const call = (fn: string, data: object, token?: string) => stack.call(fn, data, token) as Promise<{ status: number; body: any }>

const times = <T>(n: number, fn: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => fn(i)))

/** A sharer whose friend bought a product at `priceFen` with a 50 % commission, the commission settled. */
async function sharerWith(suffix: string, priceFen: number) {
  const productId = await createProduct(stack, owner, { priceFen, stock: 10, commissionRate: 0.5 })
  const sharer = await stack.login(`wd-sharer-${suffix}`)
  const buyer = await stack.login(`wd-buyer-${suffix}`)
  await stack.ok('catalog', { action: 'get', productId, sharerId: sharer.user.id }, buyer.token)
  const { orderId } = await stack.ok('order', { action: 'create', items: [{ productId, qty: 1 }], idempotencyKey: key() }, buyer.token)
  await payOrder(stack, buyer.token, orderId)
  const deadline = Date.now() + 15_000
  while ((await stack.ok('earnings', { action: 'mine' }, sharer.token)).settledFen < priceFen / 2) {
    if (Date.now() > deadline) throw new Error(`order ${orderId} never settled`)
    await new Promise((r) => setTimeout(r, 100))
  }
  return sharer
}

const settled = async (token: string) => (await stack.ok('earnings', { action: 'mine' }, token)).settledFen as number
const withdraw = (token: string, amountFen: number, idempotencyKey = key()) =>
  call('earnings', { action: 'withdraw', amountFen, idempotencyKey }, token)
const transfersOf = (withdrawalId: string) => sql(stack, 'SELECT * FROM sandbox_transfers WHERE withdrawal_id = $1', [withdrawalId])
const statusOf = async (withdrawalId: string) =>
  (await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [withdrawalId]))[0].status

/** The user's own view of a withdrawal (with `confirm` while it awaits their confirmation). */
async function mineOf(token: string, withdrawalId: string) {
  const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, token)
  return withdrawals.find((w: any) => w.id === withdrawalId)
}

/** The user's 确认收款: posts what their withdrawal carries to the sandbox's confirm page (cancel: let it lapse). */
async function receive(token: string, withdrawalId: string, cancel = false) {
  const w = await mineOf(token, withdrawalId)
  expect(w.status).toBe('transferring')
  expect(w.confirm).toMatchObject({ provider: 'sandbox', confirmUrl: expect.stringContaining('/api/pay/sandbox/transfer-confirm') })
  const res = await fetch(w.confirm.confirmUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(cancel ? { body: w.confirm.body, cancel: true } : { body: w.confirm.body }),
  })
  return { status: res.status, body: (await res.json()) as any, confirm: w.confirm }
}

/** A transfer notify signed as the sandbox signs it (with the install's secret), for replays and races. */
async function signedTransferNotify(fields: { withdrawalId: string; transferId: string; amountFen: number; state: string }) {
  const [{ value }] = await sql(stack, `SELECT value FROM settings WHERE key = 'sandbox_pay_secret'`)
  const secret = value as string
  const all: Record<string, string | number> = {
    ...fields,
    nonce: randomBytes(8).toString('hex'),
    timestamp: Math.floor(Date.now() / 1000),
  }
  const canonical = Object.keys(all)
    .sort()
    .map((k) => `${k}=${all[k]}`)
    .join('&')
  return { ...all, sign: createHmac('sha256', secret).update(`transfer&${canonical}`).digest('hex') }
}
const postTransferNotify = (body: object) => stack.post('/api/pay/notify/sandbox-transfer', body) as Promise<{ status: number; body: any }>

/** Approves and lets the user confirm: the withdrawal ends paid. */
async function approveAndReceive(token: string, withdrawalId: string) {
  const { withdrawal } = await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId }, owner)
  expect(withdrawal.status).toBe('transferring')
  const r = await receive(token, withdrawalId)
  expect(r.body.data).toMatchObject({ received: true })
  expect(await statusOf(withdrawalId)).toBe('paid')
}

describe('asking for a withdrawal', () => {
  test('two racing withdrawals of 60 % of the balance: one is held, the other refused, the balance never below 0', async () => {
    const sharer = await sharerWith('two', 10_000) // 5000 settled
    const results = await times(2, () => withdraw(sharer.token, 3000))
    const won = results.filter((r) => r.status === 200)
    expect(won).toHaveLength(1)
    expect(won[0]!.body.data.withdrawal).toMatchObject({ amountFen: 3000, status: 'pending' })
    const lost = results.find((r) => r.status !== 200)!
    expect(['WITHDRAWAL_PENDING', 'INSUFFICIENT_BALANCE']).toContain(lost.body.error.code)
    expect(await settled(sharer.token)).toBe(2000)
  })

  test('ten racing withdrawals after an approval never take more than what is left, and leave at most one pending', async () => {
    const sharer = await sharerWith('ten', 10_000) // 5000 settled
    const first = (await stack.ok('earnings', { action: 'withdraw', amountFen: 3000, idempotencyKey: key() }, sharer.token)).withdrawal
    await approveAndReceive(sharer.token, first.id)
    expect(await settled(sharer.token)).toBe(2000)
    // Each asks for 1500: only one fits what is left, whatever the order.
    const results = await times(10, () => withdraw(sharer.token, 1500))
    expect(results.filter((r) => r.status === 200)).toHaveLength(1)
    for (const r of results.filter((x) => x.status !== 200)) {
      expect(r.status).toBe(409)
      expect(['WITHDRAWAL_PENDING', 'INSUFFICIENT_BALANCE']).toContain(r.body.error.code)
    }
    expect(await settled(sharer.token)).toBe(500)
    const [{ pending }] = await sql(stack, `SELECT count(*)::int AS pending FROM withdrawals WHERE user_id = $1 AND status = 'pending'`, [
      sharer.user.id,
    ])
    expect(pending).toBe(1)
    // With the pending one paid, the rest (500) is too little for another 1500.
    const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, sharer.token)
    await approveAndReceive(sharer.token, withdrawals.find((w: any) => w.status === 'pending').id)
    const more = await withdraw(sharer.token, 1500)
    expect(more.body.error).toMatchObject({ code: 'INSUFFICIENT_BALANCE', message: '可提现余额不足' })
    expect(await settled(sharer.token)).toBe(500)
  })

  test('a second withdrawal while one is pending is refused with WITHDRAWAL_PENDING', async () => {
    const sharer = await sharerWith('pending', 10_000)
    await stack.ok('earnings', { action: 'withdraw', amountFen: 1000, idempotencyKey: key() }, sharer.token)
    const again = await withdraw(sharer.token, 1000)
    expect(again.status).toBe(409)
    expect(again.body.error).toMatchObject({ code: 'WITHDRAWAL_PENDING', message: '已有一笔提现正在处理，请等待处理完成' })
    expect(await settled(sharer.token)).toBe(4000)
  })

  test('the same key sent five times at once makes one withdrawal, and every answer names it', async () => {
    const sharer = await sharerWith('key', 10_000)
    const k = key()
    const results = await times(5, () => withdraw(sharer.token, 2000, k))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(new Set(results.map((r) => r.body.data.withdrawal.id)).size).toBe(1)
    expect(await settled(sharer.token)).toBe(3000)
    const { withdrawals } = await stack.ok('earnings', { action: 'withdrawals' }, sharer.token)
    expect(withdrawals).toHaveLength(1)
  })

  test('below ¥1, fractional fen or without a key is VALIDATION_FAILED and changes nothing', async () => {
    const sharer = await sharerWith('small', 10_000)
    for (const data of [
      { amountFen: 99, idempotencyKey: key() },
      { amountFen: 150.5, idempotencyKey: key() },
      { amountFen: 0, idempotencyKey: key() },
      { amountFen: 500 },
    ]) {
      const r = await call('earnings', { action: 'withdraw', ...data }, sharer.token)
      expect(r.status).toBe(400)
      expect(r.body.error.code).toBe('VALIDATION_FAILED')
    }
    expect(await settled(sharer.token)).toBe(5000)
    expect((await stack.ok('earnings', { action: 'withdrawals' }, sharer.token)).withdrawals).toEqual([])
  })

  test('more than the settled balance is INSUFFICIENT_BALANCE', async () => {
    const sharer = await sharerWith('over', 10_000)
    const r = await withdraw(sharer.token, 5001)
    expect(r.body.error.code).toBe('INSUFFICIENT_BALANCE')
    expect(await settled(sharer.token)).toBe(5000)
  })
})

describe('the owner decides', () => {
  test('approve raced twice asks for one transfer: one transferring answer, the other WITHDRAWAL_STATUS_CHANGED; confirmed, paid', async () => {
    const sharer = await sharerWith('approve', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2500, idempotencyKey: key() }, sharer.token)
    const results = await times(2, () => call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner))
    expect(results.map((r) => r.status).sort()).toEqual([200, 409])
    expect(results.find((r) => r.status === 200)!.body.data.withdrawal).toMatchObject({ id: withdrawal.id, status: 'transferring' })
    expect(results.find((r) => r.status === 409)!.body.error).toMatchObject({
      code: 'WITHDRAWAL_STATUS_CHANGED',
      message: '提现状态已变化，请刷新',
    })
    const transfers = await transfersOf(withdrawal.id)
    expect(transfers).toHaveLength(1)
    expect(transfers[0]).toMatchObject({ openid: 'wd-sharer-approve', amount_fen: 2500, state: 'WAIT_USER_CONFIRM' })
    // The owner's decision is in the audit log, once: the refused copy rolled back with its entry.
    const audits = await sql(
      stack,
      `SELECT 1 FROM audit_log WHERE action = 'admin.approveWithdrawal' AND (target || detail::text) LIKE $1`,
      [`%${withdrawal.id}%`],
    )
    expect(audits).toHaveLength(1)
    expect(await settled(sharer.token)).toBe(2500)
    // The user confirms receipt: the bill succeeds and the signed notify marks it paid.
    const r = await receive(sharer.token, withdrawal.id)
    expect(r.body).toMatchObject({ ok: true, data: { received: true, message: 'finished' } })
    expect((await transfersOf(withdrawal.id))[0].state).toBe('SUCCESS')
    const paid = await mineOf(sharer.token, withdrawal.id)
    expect(paid).toMatchObject({ status: 'paid', finishedAt: expect.any(String) })
    expect(paid.confirm ?? null).toBeNull()
    expect(await settled(sharer.token)).toBe(2500)
  })

  test('approve and reject raced: exactly one wins, and the money matches the winner', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const sharer = await sharerWith(`vs-${trial}`, 10_000)
      const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2000, idempotencyKey: key() }, sharer.token)
      const [a, r] = await Promise.all([
        call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner),
        call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息不符' }, owner),
      ])
      expect([a.status, r.status].sort()).toEqual([200, 409])
      const [row] = await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [withdrawal.id])
      if (a.status === 200) {
        expect(row.status).toBe('transferring')
        expect(await transfersOf(withdrawal.id)).toHaveLength(1)
        expect(await settled(sharer.token)).toBe(3000)
      } else {
        expect(row.status).toBe('rejected')
        expect(await transfersOf(withdrawal.id)).toHaveLength(0)
        expect(await settled(sharer.token)).toBe(5000)
      }
    }
  })

  test('reject gives the amount back: settledFen restored, the ledger shows the hold and the return', async () => {
    const sharer = await sharerWith('reject', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1800, idempotencyKey: key() }, sharer.token)
    expect(await settled(sharer.token)).toBe(3200)
    const { withdrawal: rejected } = await stack.ok(
      'admin',
      { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '账户信息有误' },
      owner,
    )
    expect(rejected).toMatchObject({ id: withdrawal.id, status: 'rejected', reason: '账户信息有误' })
    const mine = await stack.ok('earnings', { action: 'mine' }, sharer.token)
    expect(mine.settledFen).toBe(5000)
    const lines = mine.entries
      .filter((e: any) => e.withdrawalId === withdrawal.id)
      .map((e: any) => [e.kind, e.entry, e.bucket, e.amountFen])
    expect(lines).toEqual(
      expect.arrayContaining([
        ['withdrawal', 'withdraw_hold', 'settled', -1800],
        ['withdrawal', 'withdraw_return', 'settled', 1800],
      ]),
    )
    expect(lines).toHaveLength(2)
    for (const e of mine.entries.filter((e: any) => e.withdrawalId === withdrawal.id)) expect(e.orderNo ?? null).toBeNull()
    // An order's lines carry the order number the shopper sees elsewhere, not only the internal id.
    const orderLines = mine.entries.filter((e: any) => e.orderId)
    expect(orderLines.length).toBeGreaterThan(0)
    for (const e of orderLines) {
      const [o] = await sql(stack, 'SELECT order_no FROM orders WHERE id = $1', [e.orderId])
      expect(e.orderNo).toBe(o.order_no)
      expect(e.orderNo).toMatch(/^[0-9]{16,20}$/)
    }
    expect(await transfersOf(withdrawal.id)).toHaveLength(0)
    // Rejected once: a second rejection or a late approval changes nothing.
    expect(
      (await call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '再拒一次' }, owner)).body.error.code,
    ).toBe('WITHDRAWAL_STATUS_CHANGED')
    expect((await call('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)).body.error.code).toBe(
      'WITHDRAWAL_STATUS_CHANGED',
    )
    expect(await settled(sharer.token)).toBe(5000)
    // And the sharer may ask again.
    expect((await withdraw(sharer.token, 5000)).status).toBe(200)
  })

  test('a bill made by an approval whose answer was lost (sandbox row, withdrawal pending): 拒绝 is refused until the bill ended unpaid', async () => {
    const sharer = await sharerWith('lostbill', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1500, idempotencyKey: key() }, sharer.token)
    // What an approval leaves when the sandbox made the bill but the call then failed and rolled back.
    await sql(
      stack,
      `INSERT INTO sandbox_transfers (withdrawal_id, openid, amount_fen, transfer_id) VALUES ($1, 'wd-sharer-lostbill', 1500, 'sbxt_lost')`,
      [withdrawal.id],
    )
    expect(await statusOf(withdrawal.id)).toBe('pending')
    for (const state of ['WAIT_USER_CONFIRM', 'SUCCESS']) {
      await sql(stack, 'UPDATE sandbox_transfers SET state = $2 WHERE withdrawal_id = $1', [withdrawal.id, state])
      const refused = await call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner)
      expect(refused.body.error.code).toBe('WITHDRAWAL_STATUS_CHANGED')
      expect(refused.body.error.message).toMatch(/转账已/)
      expect(await statusOf(withdrawal.id)).toBe('pending')
      expect(await settled(sharer.token)).toBe(3500)
    }
    // Approving again answers the same bill: SUCCESS marks it paid, no second bill, no amount back.
    const paid = await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
    expect(paid.withdrawal.status).toBe('paid')
    expect(await transfersOf(withdrawal.id)).toHaveLength(1)
    expect(await settled(sharer.token)).toBe(3500)
  })

  test('a lost-answer bill that was cancelled lets 拒绝 return the amount once', async () => {
    const sharer = await sharerWith('lostcancel', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1500, idempotencyKey: key() }, sharer.token)
    await sql(
      stack,
      `INSERT INTO sandbox_transfers (withdrawal_id, openid, amount_fen, transfer_id, state) VALUES ($1, 'wd-sharer-lostcancel', 1500, 'sbxt_lost2', 'CANCELLED')`,
      [withdrawal.id],
    )
    await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息有误' }, owner)
    expect(await statusOf(withdrawal.id)).toBe('rejected')
    expect(await settled(sharer.token)).toBe(5000)
  })

  test('an unknown withdrawal is NOT_FOUND, saying it is the withdrawal that is missing', async () => {
    for (const data of [
      { action: 'approveWithdrawal', withdrawalId: 'wd_nope' },
      { action: 'rejectWithdrawal', withdrawalId: 'wd_nope', reason: '信息不符' },
    ]) {
      const r = await call('admin', data, owner)
      expect(r.status).toBe(404)
      expect(r.body.error).toMatchObject({ code: 'NOT_FOUND', message: '提现记录不存在' })
    }
  })

  test('a rejection needs a reason people can read: empty, hidden-only or over 200 characters is refused and changes nothing', async () => {
    const sharer = await sharerWith('reason', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1500, idempotencyKey: key() }, sharer.token)
    const bad: Array<[object, string]> = [
      [{}, 'reason'],
      [{ reason: '' }, '请填写拒绝原因'],
      [{ reason: '   ' }, '请填写拒绝原因'],
      [{ reason: '\u202e\u200b' }, '请填写拒绝原因'],
      [{ reason: '\u200b\n\ufeff\u2066' }, '请填写拒绝原因'],
      [{ reason: '长'.repeat(201) }, '拒绝原因最多 200 个字'],
    ]
    for (const [extra, words] of bad) {
      const r = await call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, ...extra }, owner)
      expect(r.status).toBe(400)
      expect(r.body.error.code).toBe('VALIDATION_FAILED')
      expect(JSON.stringify(r.body.error)).toContain(words)
    }
    const [row] = await sql(stack, 'SELECT status, reason, decided_at FROM withdrawals WHERE id = $1', [withdrawal.id])
    expect(row).toMatchObject({ status: 'pending', reason: null, decided_at: null })
    expect(await settled(sharer.token)).toBe(3500)
    // Hidden characters around real words are dropped: the user reads the words.
    const { withdrawal: rejected } = await stack.ok(
      'admin',
      { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '\u202e账户\u200b信息有误\n请核对 ' },
      owner,
    )
    expect(rejected).toMatchObject({ status: 'rejected', reason: '账户信息有误 请核对' })
    expect((await mineOf(sharer.token, withdrawal.id)).reason).toBe('账户信息有误 请核对')
    // 200 characters is the most, and allowed.
    const again = await stack.ok('earnings', { action: 'withdraw', amountFen: 1000, idempotencyKey: key() }, sharer.token)
    const long = '长'.repeat(200)
    const ok = await stack.ok('admin', { action: 'rejectWithdrawal', withdrawalId: again.withdrawal.id, reason: long }, owner)
    expect(ok.withdrawal.reason).toBe(long)
  })

  test('a malformed admin.withdrawals cursor is VALIDATION_FAILED, a real one pages on', async () => {
    for (const cursor of ['zzz', 'wd_nope']) {
      const r = await call('admin', { action: 'withdrawals', cursor }, owner)
      expect(r.status).toBe(400)
      expect(r.body.error).toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringContaining('分页参数无效') })
    }
    const all = await stack.ok('admin', { action: 'withdrawals' }, owner)
    expect(all.withdrawals.length).toBeGreaterThan(1)
    const after = await stack.ok('admin', { action: 'withdrawals', cursor: all.withdrawals[0].id }, owner)
    expect(after.withdrawals.map((w: any) => w.id)).toEqual(all.withdrawals.slice(1).map((w: any) => w.id))
  })

  test('admin.withdrawals lists them newest first, filtered by status, with whose they are', async () => {
    const { withdrawals } = await stack.ok('admin', { action: 'withdrawals', status: 'pending' }, owner)
    expect(withdrawals.length).toBeGreaterThan(0)
    for (const w of withdrawals) expect(w.status).toBe('pending')
    expect(withdrawals[0]).toEqual(expect.objectContaining({ userId: expect.any(String), nickname: expect.any(String) }))
    const all = await stack.ok('admin', { action: 'withdrawals' }, owner)
    const times_ = all.withdrawals.map((w: any) => w.createdAt)
    expect([...times_].sort().reverse()).toEqual(times_)
  })

  test('non-owner staff and shoppers are refused the withdrawal actions', async () => {
    const sharer = await sharerWith('roles', 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 1000, idempotencyKey: key() }, sharer.token)
    const tokens: string[] = [sharer.token]
    for (const role of ['operator', 'service', 'anchor']) {
      const t = (await stack.login(`wd-${role}`)).token
      await stack.ok('admin', { action: 'setStaff', openid: `wd-${role}`, role }, owner)
      tokens.push(t)
    }
    for (const t of tokens) {
      for (const data of [
        { action: 'withdrawals' },
        { action: 'approveWithdrawal', withdrawalId: withdrawal.id },
        { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '信息不符' },
      ]) {
        expect((await call('admin', data, t)).status).toBe(403)
      }
    }
    const [row] = await sql(stack, 'SELECT status FROM withdrawals WHERE id = $1', [withdrawal.id])
    expect(row.status).toBe('pending')
    expect(await transfersOf(withdrawal.id)).toHaveLength(0)
  })
})

describe('the transfer ends once', () => {
  /** A sharer with 5000 settled and a 2000 withdrawal approved: transferring, 3000 left. */
  async function transferring(suffix: string) {
    const sharer = await sharerWith(suffix, 10_000)
    const { withdrawal } = await stack.ok('earnings', { action: 'withdraw', amountFen: 2000, idempotencyKey: key() }, sharer.token)
    await stack.ok('admin', { action: 'approveWithdrawal', withdrawalId: withdrawal.id }, owner)
    const [bill] = await transfersOf(withdrawal.id)
    return { sharer, withdrawal, transferId: bill.transfer_id as string }
  }
  const returnsOf = async (withdrawalId: string) =>
    (await sql(stack, `SELECT 1 FROM earnings_ledger WHERE withdrawal_id = $1 AND entry = 'withdraw_return'`, [withdrawalId])).length

  test('while transferring, the user sees 确认收款 data, may not ask again, and the owner may not reject it', async () => {
    const { sharer, withdrawal } = await transferring('while')
    const mine = await mineOf(sharer.token, withdrawal.id)
    expect(mine).toMatchObject({ status: 'transferring', confirm: { provider: 'sandbox', body: { amountFen: 2000 } } })
    expect((await withdraw(sharer.token, 1000)).body.error.code).toBe('WITHDRAWAL_PENDING')
    const r = await call('admin', { action: 'rejectWithdrawal', withdrawalId: withdrawal.id, reason: '晚了' }, owner)
    expect(r.body.error.code).toBe('WITHDRAWAL_STATUS_CHANGED')
    expect(await statusOf(withdrawal.id)).toBe('transferring')
    expect(await settled(sharer.token)).toBe(3000)
    // The owner's list does not hand out the user's confirmation.
    const { withdrawals } = await stack.ok('admin', { action: 'withdrawals', status: 'transferring' }, owner)
    const listed = withdrawals.find((w: any) => w.id === withdrawal.id)
    expect(listed).toBeDefined()
    expect(listed.confirm ?? null).toBeNull()
  })

  test('a paid notify replayed five times at once marks it paid once, and the balance does not move', async () => {
    const { sharer, withdrawal, transferId } = await transferring('replay')
    const notify = await signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'SUCCESS' })
    const results = await times(5, () => postTransferNotify(notify))
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200])
    expect(results.map((r) => r.body.message).sort()).toEqual(['already', 'already', 'already', 'already', 'finished'])
    expect(await statusOf(withdrawal.id)).toBe('paid')
    expect(await returnsOf(withdrawal.id)).toBe(0)
    expect(await settled(sharer.token)).toBe(3000)
  })

  test('a cancelled transfer raced with itself returns the amount once, with the reason shown', async () => {
    const { sharer, withdrawal, transferId } = await transferring('fail')
    const notify = await signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'CANCELLED' })
    const results = await times(5, () => postTransferNotify(notify))
    expect(results.every((r) => r.status === 200)).toBe(true)
    expect(await statusOf(withdrawal.id)).toBe('failed')
    expect(await returnsOf(withdrawal.id)).toBe(1)
    expect(await settled(sharer.token)).toBe(5000)
    expect(await mineOf(sharer.token, withdrawal.id)).toMatchObject({ status: 'failed', reason: expect.stringContaining('转账已取消') })
    // A late paid notify for a failed transfer is refused, and changes nothing.
    const late = await postTransferNotify(
      await signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'SUCCESS' }),
    )
    expect(late.status).toBe(400)
    expect(await statusOf(withdrawal.id)).toBe('failed')
    expect(await settled(sharer.token)).toBe(5000)
    // And the sharer may ask again.
    expect((await withdraw(sharer.token, 5000)).status).toBe(200)
  })

  test('a paid and a cancelled notify raced: exactly one ends it, and the money matches', async () => {
    for (let trial = 0; trial < 3; trial++) {
      const { sharer, withdrawal, transferId } = await transferring(`both-${trial}`)
      const [paid, failed] = await Promise.all([
        signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'SUCCESS' }).then(postTransferNotify),
        signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'CANCELLED' }).then(postTransferNotify),
      ])
      expect([paid.status, failed.status].sort()).toEqual([200, 400])
      const status = await statusOf(withdrawal.id)
      expect(status).toBe(paid.status === 200 ? 'paid' : 'failed')
      expect(await returnsOf(withdrawal.id)).toBe(status === 'failed' ? 1 : 0)
      expect(await settled(sharer.token)).toBe(status === 'failed' ? 5000 : 3000)
    }
  })

  test('the user confirming twice at once: one confirmation, paid once', async () => {
    const { sharer, withdrawal } = await transferring('twice')
    const w = await mineOf(sharer.token, withdrawal.id)
    const post = () =>
      fetch(w.confirm.confirmUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ body: w.confirm.body }),
      })
    const results = await Promise.all([post(), post()])
    expect(results.map((r) => r.status).sort()).toEqual([200, 400])
    expect(await statusOf(withdrawal.id)).toBe('paid')
    expect(await settled(sharer.token)).toBe(3000)
  })

  test('a forged, altered or wrong-amount notify is refused and changes nothing', async () => {
    const { sharer, withdrawal, transferId } = await transferring('forged')
    const good = await signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 2000, state: 'CANCELLED' })
    const altered = await postTransferNotify({ ...good, amountFen: 1 })
    expect(altered.status).toBe(400)
    const unsigned = await postTransferNotify({ ...good, sign: 'f'.repeat(64) })
    expect(unsigned.status).toBe(400)
    const wrongAmount = await postTransferNotify(
      await signedTransferNotify({ withdrawalId: withdrawal.id, transferId, amountFen: 1999, state: 'CANCELLED' }),
    )
    expect(wrongAmount).toMatchObject({ status: 400, body: { code: 'FAIL', message: 'AMOUNT_MISMATCH' } })
    expect(await statusOf(withdrawal.id)).toBe('transferring')
    expect(await settled(sharer.token)).toBe(3000)
    // The genuine confirmation still works afterwards.
    expect((await receive(sharer.token, withdrawal.id)).body.data.received).toBe(true)
    expect(await statusOf(withdrawal.id)).toBe('paid')
    expect(await returnsOf(withdrawal.id)).toBe(0)
  })

  test('the user letting the transfer lapse (sandbox cancel) fails it: the amount back once', async () => {
    const { sharer, withdrawal } = await transferring('lapse')
    const r = await receive(sharer.token, withdrawal.id, true)
    expect(r.body.data).toMatchObject({ received: false, message: 'finished' })
    expect(await statusOf(withdrawal.id)).toBe('failed')
    expect((await transfersOf(withdrawal.id))[0].state).toBe('CANCELLED')
    expect(await settled(sharer.token)).toBe(5000)
    // The confirmation cannot be used again.
    const again = await fetch(r.confirm.confirmUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ body: r.confirm.body }),
    })
    expect(again.status).toBe(400)
    expect(await statusOf(withdrawal.id)).toBe('failed')
    expect(await returnsOf(withdrawal.id)).toBe(1)
  })
})
