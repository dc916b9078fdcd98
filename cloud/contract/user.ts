import { z } from 'zod'
import { UserView } from './auth'

/** A nickname a shopper chooses: 1-20 characters after trimming, shown to others once the content check passes. */
export const Nickname = z.string().trim().min(1, '请填写昵称').max(20, '昵称 1-20 字')

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

export const userActions = {
  /** Sets the caller's nickname and/or avatar, each only after WeChat's content check passes it. */
  updateProfile: { input: UserUpdateProfileInput, output: z.object({ user: UserView }) },
}
