import { z } from 'zod'
import { UserView } from './auth'
import { peopleText } from './common'

/** Words only the shop's own people go by: a nickname holding one (spaces aside) could pass for staff. */
export const STAFF_WORDS = ['店长', '官方', '客服', '管理员', '小助手'] as const
export const impersonatesStaff = (nickname: string): boolean => {
  const bare = nickname.replace(/\s/g, '')
  return STAFF_WORDS.some((w) => bare.includes(w))
}

/**
 * A nickname a shopper chooses: 1-20 characters once hidden characters are dropped and the rest
 * trimmed (peopleText), never a staff title, shown to others once the content check passes.
 */
export const Nickname = peopleText({ empty: '请填写昵称', max: 20, tooLong: '昵称 1-20 字', spaces: false }).refine(
  (n) => !impersonatesStaff(n),
  '昵称不能冒充店铺工作人员',
)

/** The largest avatar image taken (bytes): the app sends a 256 px square, a few dozen KB at most. */
export const AVATAR_MAX_BYTES = 40_000
export const AVATAR_MIME = ['image/jpeg', 'image/png'] as const

/** An avatar image in the call itself, base64: small enough for one call on both CloudBase and the host. */
export const AvatarUpload = z.object({
  mime: z.enum(AVATAR_MIME, { error: '头像须为 JPG 或 PNG 图片' }),
  base64: z
    .string()
    .min(1, '请选择头像图片')
    .max(Math.ceil(AVATAR_MAX_BYTES / 3) * 4, '头像图片不能超过 40 KB')
    .regex(/^[A-Za-z0-9+/]+={0,2}$/, '头像图片数据有误'),
})
export type AvatarUpload = z.infer<typeof AvatarUpload>

export const UserUpdateProfileInput = z
  .object({ nickname: Nickname.optional(), avatar: AvatarUpload.optional() })
  .refine((p) => p.nickname !== undefined || p.avatar !== undefined, { message: '请修改昵称或头像', path: ['nickname'] })
export type UserUpdateProfileInput = z.infer<typeof UserUpdateProfileInput>

/** Subscribe messages a shopper can allow (one send per allowance, as WeChat's one-time subscriptions): 到券提醒. */
export const MessageKind = z.enum(['coupon_arrival'])
export type MessageKind = z.infer<typeof MessageKind>

export const userActions = {
  /**
   * Records that the shopper accepted `kind` in wx.requestSubscribeMessage: one more message of that
   * kind may be sent to them. `allowed` is how many they have left.
   */
  allowMessages: { input: z.object({ kind: MessageKind }), output: z.object({ allowed: z.number().int() }) },
  /** Sets the caller's nickname and/or avatar, each only after WeChat's content check passes it. */
  updateProfile: { input: UserUpdateProfileInput, output: z.object({ user: UserView }) },
}
