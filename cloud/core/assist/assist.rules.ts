/** The rules of assists, pure: the price reached, the buy deadline, a task's status and the order of a help's refusals. */
import type { AssistReason, AssistStatus, AssistTaskStatus } from '../../contract'

const HOUR = 3_600_000
/** A completed price-cut task may still be bought this long after completion (or until it expires, if later). */
export const BUY_AFTER_COMPLETION_MS = 24 * HOUR
/** WeChat's marketing-risk level that blocks a helper. */
export const RISK_BLOCKED_LEVEL = 4
export const DEFAULT_DAILY_HELP_CAP = 3

/** The refusals in the order they are checked: the first that holds is the answer. */
export const REASON_ORDER: readonly AssistReason[] = [
  'SELF',
  'TASK_ENDED',
  'TASK_COMPLETED',
  'RISK_BLOCKED',
  'NOT_NEW_CUSTOMER',
  'ALREADY_HELPED',
  'DAILY_LIMIT',
]

/** The facts a help is judged on (DAILY_LIMIT is the day counter's own conditional update). */
export interface HelpFacts {
  self: boolean
  /** The task's time is up, or its campaign is paused or ended. */
  ended: boolean
  completed: boolean
  riskBlocked: boolean
  /** The campaign counts only new customers and the helper is not one. */
  notNew: boolean
  alreadyHelped: boolean
  overDailyCap?: boolean
}

export function helpRefusal(f: HelpFacts): AssistReason | null {
  const holds: Record<AssistReason, boolean> = {
    SELF: f.self,
    TASK_ENDED: f.ended,
    TASK_COMPLETED: f.completed,
    RISK_BLOCKED: f.riskBlocked,
    NOT_NEW_CUSTOMER: f.notNew,
    ALREADY_HELPED: f.alreadyHelped,
    DAILY_LIMIT: f.overDailyCap ?? false,
  }
  return REASON_ORDER.find((r) => holds[r]) ?? null
}

/** The floor price of a price cut: the price after every help needed. */
export const floorPrice = (priceFen: number, helpsNeeded: number, cutPerHelpFen: number) => priceFen - helpsNeeded * cutPerHelpFen

/** The price a price-cut task has reached: each counted help cuts the fixed amount, never below the published floor. */
export function priceReached(t: { priceFen: number; cutPerHelpFen: number; helps: number; helpsNeeded: number }): number {
  return t.priceFen - Math.min(t.helps, t.helpsNeeded) * t.cutPerHelpFen
}

/** A task runs taskHours from its start, never past its campaign's end. */
export function expiresAtFor(start: Date, taskHours: number, campaignEndsAt: Date): Date {
  return new Date(Math.min(start.getTime() + taskHours * HOUR, campaignEndsAt.getTime()))
}

/**
 * A task's times as they hold now: its expiresAt never past its campaign's endsAt, also when the end
 * time was moved earlier after the task started (the stored expiresAt keeps the start's cap).
 */
export const effectiveTask = <T extends { expiresAt: Date }>(t: T, campaignEndsAt: Date): T =>
  t.expiresAt.getTime() > campaignEndsAt.getTime() ? { ...t, expiresAt: campaignEndsAt } : t

/** A completed task is bought until the later of its expiry and 24 hours after completion; an unfinished one while it runs. */
export function buyDeadline(t: { expiresAt: Date; completedAt: Date | null }): Date {
  if (!t.completedAt) return t.expiresAt
  return new Date(Math.max(t.expiresAt.getTime(), t.completedAt.getTime() + BUY_AFTER_COMPLETION_MS))
}

/**
 * A campaign's state as its tasks see it at `now`: past its end time it has ended, whatever its status
 * says (an end time moved earlier ends it at once; no job needs to flip the status first).
 */
export function campaignState(c: { status: AssistStatus; endsAt: Date }, now: Date): AssistStatus {
  return now.getTime() >= c.endsAt.getTime() ? 'ended' : c.status
}

export function taskStatus(t: { expiresAt: Date; completedAt: Date | null }, campaign: AssistStatus, now: Date): AssistTaskStatus {
  if (t.completedAt) return 'completed'
  if (now >= t.expiresAt || campaign === 'ended') return 'expired'
  return 'open'
}

/** Whether helps count on the task now (before the task's own count and the helper's facts). */
export const taskEnded = (t: { expiresAt: Date }, campaign: AssistStatus, now: Date) => now >= t.expiresAt || campaign !== 'active'

/** Whether the starter may place the task's order now: within the deadline, an unfinished task only while its campaign has not ended. */
export function canBuy(t: { expiresAt: Date; completedAt: Date | null }, campaign: AssistStatus, now: Date): boolean {
  if (now >= buyDeadline(t)) return false
  return t.completedAt !== null || campaign !== 'ended'
}

/** The shop day (Asia/Shanghai, UTC+8) of an instant, `YYYY-MM-DD`: the daily cap's day. */
export function shopDay(now: Date): string {
  return new Date(now.getTime() + 8 * HOUR).toISOString().slice(0, 10)
}

/** A campaign is open to new tasks when active and within its window. */
export const campaignOpen = (c: { status: AssistStatus; startsAt: Date; endsAt: Date }, now: Date) =>
  c.status === 'active' && now >= c.startsAt && now < c.endsAt
