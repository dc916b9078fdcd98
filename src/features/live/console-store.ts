import Taro from '@tarojs/taro'
import { create } from 'zustand'
import type { ActionInput, ActionName, ActionOutput, RoomView } from '../../../cloud/contract'
import { call, errorMessage } from '../../api/call'

type AdminAction = ActionName<'admin'>

interface ConsoleState {
  room: RoomView | null
  stats: ActionOutput<'admin', 'roomStats'> | null
  records: ActionOutput<'admin', 'shareRecords'> | null
  busy: boolean
  load: (roomId: string) => Promise<void>
  /** Runs a console action, then refreshes the room and its figures; refusals are shown. */
  /** Draws the room's lottery that is waiting for its draw. */
  drawOpen: (roomId: string) => Promise<void>
  run: <A extends AdminAction>(
    roomId: string,
    action: A,
    input: ActionInput<'admin', A>,
    done?: string,
  ) => Promise<ActionOutput<'admin', A> | null>
}

export const useConsoleStore = create<ConsoleState>()((set, get) => ({
  room: null,
  stats: null,
  records: null,
  busy: false,
  async load(roomId) {
    try {
      const [{ room }, stats, records] = await Promise.all([
        call('live', 'enter', { roomId }),
        call('admin', 'roomStats', { roomId }),
        call('admin', 'shareRecords', { roomId }),
      ])
      set({ room, stats, records })
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
    }
  },
  async drawOpen(roomId) {
    const { items } = await call('live', 'lotteries', { roomId })
    const open = items.find((l) => l.status === 'committed')
    if (!open) return void Taro.showToast({ title: '没有待开奖的抽奖', icon: 'none' })
    await get().run(roomId, 'drawLottery', { lotteryId: open.lotteryId }, '已开奖')
  },
  async run(roomId, action, input, done) {
    if (get().busy) return null
    set({ busy: true })
    try {
      const out = await call('admin', action, input)
      if (done) void Taro.showToast({ title: done, icon: 'success' })
      await get().load(roomId)
      return out
    } catch (err) {
      void Taro.showToast({ title: errorMessage(err), icon: 'none' })
      return null
    } finally {
      set({ busy: false })
    }
  },
}))
