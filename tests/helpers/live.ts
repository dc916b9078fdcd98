/** What the live-room integration tests build their scenes from: rooms, users, coupons and polls, as the admin and viewers call them. */
import type { Stack } from './stack'

/** `stack` and `admin` are read at each call: tests start their stack in beforeAll, after this is made. */
export function liveKit(stack: () => Stack, admin: () => string) {
  let n = 0
  return {
    /** A room starting in an hour with the demo stream, started at once unless `upcoming`. */
    async room(status: 'upcoming' | 'live' = 'live', extra: Record<string, unknown> = {}) {
      const { roomId } = await stack().ok(
        'admin',
        {
          action: 'createLiveRoom',
          title: '秋茶品鉴直播',
          startsAt: new Date(Date.now() + 3600_000).toISOString(),
          streamUrl: '/media/demo.mp4',
          ...extra,
        },
        admin(),
      )
      if (status === 'live') await stack().ok('admin', { action: 'setLiveStatus', roomId, status: 'live' }, admin())
      return roomId as string
    },
    /** `count` new users signed in at once, each with a name of its own (and the nickname given). */
    users: (count: number, prefix: string, nickname?: (i: number) => string) =>
      Promise.all(Array.from({ length: count }, (_, i) => stack().login(`${prefix}-${n++}-${i}`, nickname?.(i)))),
    /** A ¥5 无门槛 coupon, 10 in stock, 1 each, unless `fields` say otherwise. */
    async coupon(fields: Record<string, unknown> = {}) {
      const { couponId } = await stack().ok(
        'admin',
        { action: 'createCoupon', title: '直播间券', kind: 'fixed', valueFen: 500, thresholdFen: 0, stock: 10, perUserLimit: 1, ...fields },
        admin(),
      )
      return couponId as string
    },
    sync: (roomId: string, token: string, since?: string) =>
      stack().ok('live', { action: 'sync', roomId, ...(since ? { since } : {}) }, token),
  }
}
