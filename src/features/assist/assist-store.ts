import { create } from 'zustand'
import type { ActionOutput, AssistReason } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'
import type { LoadStatus } from '../shared/load-status'
import { useServerClock } from '../shared/server-clock'

type TaskView = ActionOutput<'assist', 'task'>
type CampaignPage = ActionOutput<'assist', 'campaign'>
type ListPage = ActionOutput<'assist', 'list'>
type HelpOutcome = ActionOutput<'assist', 'help'>

/** Why a help did not count, as the starter's list and the friend's outcome say it. */
export const ASSIST_REASON_TEXT: Record<AssistReason, string> = {
  SELF: '自己不能为自己助力',
  TASK_ENDED: '活动已结束',
  TASK_COMPLETED: '已助力成功，无需再助力',
  RISK_BLOCKED: '账号存在风险',
  NOT_NEW_CUSTOMER: '仅限新顾客助力',
  ALREADY_HELPED: '已助力过',
  DAILY_LIMIT: '今日助力次数已用完',
}

/** A counted help whose helper had this campaign's welcome coupon already (once per helper per campaign). */
export const HELPED_WELCOME_TAKEN = '已助力成功（新人券每人限领一次）'

interface Entry<T> {
  status: LoadStatus
  data: T | null
  error: string | null
}

interface AssistState {
  tasks: Record<string, Entry<TaskView>>
  campaigns: Record<string, Entry<CampaignPage>>
  list: Entry<ListPage>
  /** The task a help or a start is on its way for: a second tap sends nothing. */
  busy: Record<string, boolean>
  openTask: (taskId: string) => Promise<void>
  openCampaign: (campaignId: string) => Promise<void>
  openList: () => Promise<void>
  /** Starts (or finds) the caller's task; its id, or the error's message. */
  start: (campaignId: string) => Promise<{ taskId: string } | { error: string } | null>
  /** A friend's help: the outcome, then the task read again. Null while one is already on its way. */
  help: (taskId: string) => Promise<HelpOutcome | { error: string } | null>
}

const loading = <T>(e: Entry<T> | undefined): Entry<T> => ({ status: 'loading', data: e?.data ?? null, error: null })

export const useAssistStore = create<AssistState>()((set, get) => ({
  tasks: {},
  campaigns: {},
  list: { status: 'idle', data: null, error: null },
  busy: {},
  async openTask(taskId) {
    set((s) => ({ tasks: { ...s.tasks, [taskId]: loading(s.tasks[taskId]) } }))
    try {
      const data = await call('assist', 'task', { taskId })
      useServerClock.getState().sync(data.serverTime)
      set((s) => ({ tasks: { ...s.tasks, [taskId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({ tasks: { ...s.tasks, [taskId]: { status: 'error', data: s.tasks[taskId]?.data ?? null, error: errorMessage(err) } } }))
    }
  },
  async openCampaign(campaignId) {
    set((s) => ({ campaigns: { ...s.campaigns, [campaignId]: loading(s.campaigns[campaignId]) } }))
    try {
      const data = await call('assist', 'campaign', { campaignId })
      useServerClock.getState().sync(data.serverTime)
      set((s) => ({ campaigns: { ...s.campaigns, [campaignId]: { status: 'ready', data, error: null } } }))
    } catch (err) {
      set((s) => ({ campaigns: { ...s.campaigns, [campaignId]: { status: 'error', data: null, error: errorMessage(err) } } }))
    }
  },
  async openList() {
    set((s) => ({ list: loading(s.list) }))
    try {
      const data = await call('assist', 'list', {})
      useServerClock.getState().sync(data.serverTime)
      set({ list: { status: 'ready', data, error: null } })
    } catch (err) {
      set((s) => ({ list: { status: 'error', data: s.list.data, error: errorMessage(err) } }))
    }
  },
  async start(campaignId) {
    if (get().busy[campaignId]) return null
    set((s) => ({ busy: { ...s.busy, [campaignId]: true } }))
    try {
      return await call('assist', 'start', { campaignId })
    } catch (err) {
      return { error: errorMessage(err) }
    } finally {
      set((s) => ({ busy: { ...s.busy, [campaignId]: false } }))
    }
  },
  async help(taskId) {
    if (get().busy[taskId]) return null
    set((s) => ({ busy: { ...s.busy, [taskId]: true } }))
    try {
      const outcome = await call('assist', 'help', { taskId })
      await get().openTask(taskId)
      return outcome
    } catch (err) {
      return { error: errorMessage(err) }
    } finally {
      set((s) => ({ busy: { ...s.busy, [taskId]: false } }))
    }
  },
}))
