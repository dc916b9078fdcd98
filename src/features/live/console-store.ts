import { create } from 'zustand'
import type { ActionInput, ActionOutput, RoomView } from '../../../cloud/contract'
import { call } from '../../api/call'
import { attempt, type Outcome } from '../shared/outcome'

type Lottery = Omit<ActionInput<'admin', 'commitLottery'>, 'roomId'>

interface ConsoleState {
  roomId: string | null
  room: RoomView | null
  stats: ActionOutput<'admin', 'roomStats'> | null
  records: ActionOutput<'admin', 'shareRecords'> | null
  /** An action on its way: the console's buttons wait for it, and a second tap is ignored (null). */
  busy: boolean
  load: (roomId: string) => Promise<Outcome>
  startLive: () => Promise<Outcome | null>
  endLive: () => Promise<Outcome | null>
  pushGoods: (productId: string) => Promise<Outcome | null>
  dropCoupon: (couponId: string) => Promise<Outcome | null>
  /** Gives the coupon to the room's top three sharers. */
  awardTopSharers: (couponId: string) => Promise<Outcome | null>
  /** Gives the coupon to everyone who watched, once the room has ended. */
  issueToViewers: (couponId: string) => Promise<Outcome | null>
  /** Publishes a lottery's commitment now; the seed is revealed by the draw. */
  commitLottery: (lottery: Lottery) => Promise<Outcome | null>
  /** Draws the room's lottery that is waiting for its draw; `drawn: false` when there is none. */
  drawLottery: () => Promise<Outcome<{ drawn: boolean }> | null>
}

export const useConsoleStore = create<ConsoleState>()((set, get) => {
  const roomId = () => get().roomId ?? ''
  /** One console action at a time; the room and its figures are reloaded after each. */
  const act = async <T>(run: (roomId: string) => Promise<T>): Promise<Outcome<T> | null> => {
    if (get().busy) return null
    set({ busy: true })
    try {
      const out = await attempt(() => run(roomId()))
      if (out.ok) await get().load(roomId())
      return out
    } finally {
      set({ busy: false })
    }
  }
  const none = async () => undefined
  return {
    roomId: null,
    room: null,
    stats: null,
    records: null,
    busy: false,
    load: (id) =>
      attempt(async () => {
        if (get().roomId !== id) set({ roomId: id, room: null, stats: null, records: null })
        const [{ room }, stats, records] = await Promise.all([
          call('live', 'enter', { roomId: id }),
          call('admin', 'roomStats', { roomId: id }),
          call('admin', 'shareRecords', { roomId: id }),
        ])
        set({ room, stats, records })
      }),
    startLive: () => act((id) => call('admin', 'setLiveStatus', { roomId: id, status: 'live' }).then(none)),
    endLive: () => act((id) => call('admin', 'setLiveStatus', { roomId: id, status: 'ended' }).then(none)),
    pushGoods: (productId) => act((id) => call('admin', 'pushGoods', { roomId: id, productId }).then(none)),
    dropCoupon: (couponId) => act((id) => call('admin', 'dropCoupon', { roomId: id, couponId }).then(none)),
    awardTopSharers: (couponId) => act((id) => call('admin', 'awardTopSharers', { roomId: id, couponId }).then(none)),
    issueToViewers: (couponId) => act((id) => call('admin', 'issueRoomCoupon', { roomId: id, couponId }).then(none)),
    commitLottery: (lottery) => act((id) => call('admin', 'commitLottery', { ...lottery, roomId: id }).then(none)),
    drawLottery: () =>
      act(async (id) => {
        const { items } = await call('live', 'lotteries', { roomId: id })
        const open = items.find((l) => l.status === 'committed')
        if (!open) return { drawn: false }
        await call('admin', 'drawLottery', { lotteryId: open.lotteryId })
        return { drawn: true }
      }),
  }
})
