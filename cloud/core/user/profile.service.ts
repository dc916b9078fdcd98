import { createHash } from 'node:crypto'
import { AVATAR_MAX_BYTES, type UserUpdateProfileInput, type UserView } from '../../contract'
import { userView } from '../auth/auth.service'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { limitKeys, PROFILE_EDITS, take } from '../limits'
import type { UploadedImage } from '../services.ports'

const MAGIC: Record<UploadedImage['mime'], number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a],
}

/** The image an upload carries, when its bytes are the JPEG or PNG it says and small enough; else null. */
export function imageOf(upload: NonNullable<UserUpdateProfileInput['avatar']>): UploadedImage | null {
  const bytes = Buffer.from(upload.base64, 'base64')
  if (bytes.length === 0 || bytes.length > AVATAR_MAX_BYTES) return null
  const magic = MAGIC[upload.mime]
  if (bytes.length < magic.length || magic.some((b, i) => bytes[i] !== b)) return null
  return { bytes, mime: upload.mime }
}

/**
 * Sets the caller's nickname and/or avatar. Both are shown to other shoppers (comments, invites,
 * the share leaderboard), so each passes WeChat's check first — the nickname msgSecCheck as a
 * profile field, the avatar the image check — and a refusal of either changes nothing. Edits are
 * rate-limited per user, since every one costs WeChat's check quota.
 */
export async function updateProfile(ctx: AuthedCtx, input: UserUpdateProfileInput): Promise<{ user: UserView }> {
  const { userId, openid } = ctx.caller
  const current = await ctx.repos.users.byId(userId)
  if (!current) return fail('UNAUTHENTICATED')
  const image = input.avatar ? imageOf(input.avatar) : null
  if (input.avatar && !image)
    return fail('VALIDATION_FAILED', '头像须为不超过 40 KB 的 JPG 或 PNG 图片', [
      { path: 'avatar', message: '头像须为不超过 40 KB 的 JPG 或 PNG 图片' },
    ])
  if ((await take(ctx, limitKeys.profile(userId), PROFILE_EDITS)) === 0) fail('RATE_LIMITED', '修改太频繁，请稍后再试')

  const nickname = input.nickname !== undefined && input.nickname !== current.nickname ? input.nickname : undefined
  if (nickname !== undefined && !(await ctx.contentCheck.check(nickname, openid, 'profile'))) {
    fail('CONTENT_REJECTED', '昵称含有不适宜的内容，请换一个', [{ path: 'nickname', message: '昵称含有不适宜的内容，请换一个' }])
  }
  if (image && !(await ctx.media.check(image, openid))) {
    fail('CONTENT_REJECTED', '头像图片未通过安全检测，请换一张', [{ path: 'avatar', message: '头像图片未通过安全检测，请换一张' }])
  }
  const avatarUrl = image
    ? await ctx.avatars.put(userId, image, createHash('sha256').update(image.bytes).digest('hex').slice(0, 32))
    : undefined
  const user = await ctx.repos.users.updateProfile(userId, { nickname, avatarUrl })
  if (!user) return fail('UNAUTHENTICATED')
  return { user: await userView(ctx, user) }
}
