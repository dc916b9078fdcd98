/** The assist rules, pure: the reasons' order, the price reached, the buy deadline, the task's status, the shop day. */
import fc from 'fast-check'
import {
  buyDeadline,
  effectiveTask,
  campaignState,
  canBuy,
  expiresAtFor,
  helpRefusal,
  priceReached,
  REASON_ORDER,
  shopDay,
  taskEnded,
  taskStatus,
  type HelpFacts,
} from '../../cloud/core/assist/assist.rules'

const HOUR = 3_600_000
const FACT_OF = {
  SELF: 'self',
  TASK_ENDED: 'ended',
  TASK_COMPLETED: 'completed',
  RISK_BLOCKED: 'riskBlocked',
  NOT_NEW_CUSTOMER: 'notNew',
  ALREADY_HELPED: 'alreadyHelped',
  DAILY_LIMIT: 'overDailyCap',
} as const

test('the first reason that holds, in the rules order, is the answer; none holds: counted', () => {
  fc.assert(
    fc.property(fc.array(fc.boolean(), { minLength: 7, maxLength: 7 }), (bits) => {
      const facts = Object.fromEntries(REASON_ORDER.map((r, i) => [FACT_OF[r], bits[i]])) as unknown as HelpFacts
      const first = REASON_ORDER.find((_, i) => bits[i]) ?? null
      expect(helpRefusal(facts)).toBe(first)
    }),
  )
})

test('the price reached: each counted help cuts the fixed amount, never below the floor', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 20 }),
      fc.integer({ min: 1, max: 10_000 }),
      fc.integer({ min: 0, max: 30 }),
      (needed, cut, helps) => {
        const priceFen = needed * cut + 1
        const p = priceReached({ priceFen, cutPerHelpFen: cut, helps, helpsNeeded: needed })
        expect(p).toBe(priceFen - Math.min(helps, needed) * cut)
        expect(p).toBeGreaterThanOrEqual(1)
      },
    ),
  )
})

test('a task runs taskHours, never past its campaign; bought until the later of expiry and 24 h after completion', () => {
  const start = new Date('2026-12-01T00:00:00Z')
  expect(expiresAtFor(start, 24, new Date('2026-12-05T00:00:00Z'))).toEqual(new Date('2026-12-02T00:00:00Z'))
  expect(expiresAtFor(start, 24, new Date('2026-12-01T10:00:00Z'))).toEqual(new Date('2026-12-01T10:00:00Z'))
  const expiresAt = new Date(start.getTime() + 24 * HOUR)
  expect(buyDeadline({ expiresAt, completedAt: null })).toEqual(expiresAt)
  expect(buyDeadline({ expiresAt, completedAt: new Date(start.getTime() + HOUR) })).toEqual(new Date(start.getTime() + 25 * HOUR))
  expect(buyDeadline({ expiresAt, completedAt: new Date(start.getTime() - 10 * HOUR) })).toEqual(expiresAt)
  // An unfinished task is bought while it runs, not once its campaign ended; a completed one within its deadline.
  const at = new Date(start.getTime() + 2 * HOUR)
  expect(canBuy({ expiresAt, completedAt: null }, 'active', at)).toBe(true)
  expect(canBuy({ expiresAt, completedAt: null }, 'ended', at)).toBe(false)
  expect(canBuy({ expiresAt, completedAt: start }, 'ended', at)).toBe(true)
  expect(canBuy({ expiresAt, completedAt: null }, 'active', expiresAt)).toBe(false)
})

test('status: completed wins; time up or campaign ended is expired', () => {
  const expiresAt = new Date('2026-12-02T00:00:00Z')
  const before = new Date('2026-12-01T12:00:00Z')
  expect(taskStatus({ expiresAt, completedAt: null }, 'active', before)).toBe('open')
  expect(taskStatus({ expiresAt, completedAt: null }, 'paused', before)).toBe('open')
  expect(taskStatus({ expiresAt, completedAt: null }, 'ended', before)).toBe('expired')
  expect(taskStatus({ expiresAt, completedAt: null }, 'active', expiresAt)).toBe('expired')
  expect(taskStatus({ expiresAt, completedAt: before }, 'ended', new Date('2027-01-01T00:00:00Z'))).toBe('completed')
})

test('the shop day is Asia/Shanghai: 16:00 UTC is the next day', () => {
  expect(shopDay(new Date('2026-12-01T15:59:59Z'))).toBe('2026-12-01')
  expect(shopDay(new Date('2026-12-01T16:00:00Z'))).toBe('2026-12-02')
})

test('a campaign past its end time has ended whatever its status says (an end time moved earlier)', () => {
  const endsAt = new Date('2026-12-02T00:00:00Z')
  expect(campaignState({ status: 'active', endsAt }, new Date('2026-12-01T23:59:59Z'))).toBe('active')
  expect(campaignState({ status: 'active', endsAt }, endsAt)).toBe('ended')
  expect(campaignState({ status: 'paused', endsAt }, new Date('2026-12-03T00:00:00Z'))).toBe('ended')
  const expiresAt = new Date('2026-12-05T00:00:00Z')
  expect(taskEnded({ expiresAt }, campaignState({ status: 'active', endsAt }, endsAt), endsAt)).toBe(true)
})

test("a task counts to the earlier of its own expiry and its campaign's end (an end moved earlier included); its buy deadline follows", () => {
  const start = new Date('2026-12-01T00:00:00Z')
  const own = { expiresAt: new Date(start.getTime() + 24 * HOUR), completedAt: null as Date | null }
  const earlier = new Date(start.getTime() + 2 * HOUR)
  expect(effectiveTask(own, earlier).expiresAt).toEqual(earlier)
  expect(buyDeadline(effectiveTask(own, earlier))).toEqual(earlier)
  // A later campaign end leaves the task's own time (and the same object).
  expect(effectiveTask(own, new Date(start.getTime() + 48 * HOUR))).toBe(own)
  // Completed before the new end: still 24 hours after completion to buy.
  const done = { ...own, completedAt: new Date(start.getTime() + HOUR) }
  expect(buyDeadline(effectiveTask(done, earlier))).toEqual(new Date(start.getTime() + 25 * HOUR))
})
