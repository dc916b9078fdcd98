import { createHash } from 'node:crypto'
import { AVATAR_MAX_BYTES, type UserUpdateProfileInput, type UserView } from '../../contract'
import { userView } from '../auth/auth.service'
import type { AuthedCtx } from '../context'
import { fail } from '../errors'
import { limitKeys, PROFILE_ATTEMPTS, PROFILE_EDITS, take } from '../limits'
import type { UploadedImage } from '../services.ports'

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
/** A PNG's first chunk: IHDR, 13 bytes long. */
const PNG_IHDR = Buffer.from([0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52])
/** A PNG's last chunk: IEND, empty, with its fixed CRC. */
const PNG_IEND = Buffer.from([0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82])

/**
 * Whether the bytes have the whole shape of the image they say, checked cheaply at both ends: a JPEG
 * starts FF D8 FF (SOI and a marker) and ends FF D9 (EOI); a PNG starts with its signature and the
 * IHDR chunk and ends with the IEND chunk. A file that only starts like an image (FF D8 FF followed
 * by a web page) is not one.
 */
function looksWhole(bytes: Buffer, mime: UploadedImage['mime']): boolean {
  if (mime === 'image/jpeg')
    return (
      bytes.length >= 5 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff && bytes.at(-2) === 0xff && bytes.at(-1) === 0xd9
    )
  return (
    bytes.length >= PNG_SIGNATURE.length + 25 + PNG_IEND.length &&
    bytes.subarray(0, 8).equals(PNG_SIGNATURE) &&
    bytes.subarray(8, 16).equals(PNG_IHDR) &&
    bytes.subarray(-PNG_IEND.length).equals(PNG_IEND)
  )
}

/** The image an upload carries, when its bytes are the whole JPEG or PNG it says and small enough; else null. */
export function imageOf(upload: NonNullable<UserUpdateProfileInput['avatar']>): UploadedImage | null {
  const bytes = Buffer.from(upload.base64, 'base64')
  if (bytes.length === 0 || bytes.length > AVATAR_MAX_BYTES) return null
  if (!looksWhole(bytes, upload.mime)) return null
  return { bytes, mime: upload.mime }
}

/**
 * Sets the caller's nickname and/or avatar. Both are shown to other shoppers (comments, invites,
 * the share leaderboard), so each passes WeChat's check first — the nickname msgSecCheck as a
 * profile field, the avatar the image check — and a refusal of either changes nothing. Attempts are
 * rate-limited per user (PROFILE_ATTEMPTS, since each costs WeChat's check quota), and saved edits
 * more tightly (PROFILE_EDITS), counted only once the checks pass.
 */
export async function updateProfile(ctx: AuthedCtx, input: UserUpdateProfileInput): Promise<{ user: UserView }> {
  const { userId, openid } = ctx.caller
  const current = await ctx.repos.users.byId(userId)
  if (!current) return fail('UNAUTHENTICATED')
  const image = input.avatar ? imageOf(input.avatar) : null
  if (input.avatar && !image) {
    const size = Buffer.byteLength(input.avatar.base64, 'base64')
    const message = size === 0 || size > AVATAR_MAX_BYTES ? '头像须为不超过 40 KB 的 JPG 或 PNG 图片' : '头像图片数据有误'
    return fail('VALIDATION_FAILED', message, [{ path: 'avatar', message }])
  }
  // Every attempt that may reach WeChat's checks counts against the generous attempt limit; only an
  // edit that passes them uses up the edit limit, so refused names don't lock the shopper out.
  if ((await take(ctx, limitKeys.profileAttempt(userId), PROFILE_ATTEMPTS)) === 0) fail('RATE_LIMITED', '修改太频繁，请稍后再试')

  const nickname = input.nickname !== undefined && input.nickname !== current.nickname ? input.nickname : undefined
  if (nickname !== undefined && !(await ctx.contentCheck.check(nickname, openid, 'profile'))) {
    fail('CONTENT_REJECTED', '昵称含有不适宜的内容，请换一个', [{ path: 'nickname', message: '昵称含有不适宜的内容，请换一个' }])
  }
  if (image && !(await ctx.media.check(image, openid))) {
    fail('CONTENT_REJECTED', '头像图片未通过安全检测，请换一张', [{ path: 'avatar', message: '头像图片未通过安全检测，请换一张' }])
  }
  if ((await take(ctx, limitKeys.profile(userId), PROFILE_EDITS)) === 0) fail('RATE_LIMITED', '修改太频繁，请稍后再试')
  const avatarUrl = image
    ? await ctx.avatars.put(userId, image, createHash('sha256').update(image.bytes).digest('hex').slice(0, 32))
    : undefined
  const user = await ctx.repos.users.updateProfile(userId, { nickname, avatarUrl })
  if (!user) return fail('UNAUTHENTICATED')
  return { user: await userView(ctx, user) }
}
