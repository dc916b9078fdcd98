import { z } from 'zod'
import { authConsoleActions, StaffRole } from './backoffice'
import { Id, peopleText } from './common'

export const UserView = z.object({
  id: Id,
  nickname: z.string(),
  /** The avatar the user chose (a host path or a cloud:// file id), null until they choose one. */
  avatarUrl: z.string().nullable(),
  /** Any staff role (the anchor's console and staff-only entries show for these). */
  isAdmin: z.boolean(),
  /** The staff role, null for shoppers. */
  role: StaffRole.nullable(),
  isNewCustomer: z.boolean(),
})
export type UserView = z.infer<typeof UserView>

export const AuthDevLoginInput = z.object({
  openid: z.string().min(1).max(64),
  nickname: peopleText({ empty: '请输入昵称', max: 32, tooLong: '昵称最多 32 个字', spaces: false }).optional(),
})
export type AuthDevLoginInput = z.infer<typeof AuthDevLoginInput>
export const AuthDevLoginOutput = z.object({ token: z.string(), user: UserView })
export type AuthDevLoginOutput = z.infer<typeof AuthDevLoginOutput>

/** A `wx.login` code, exchanged by the server for the caller's OPENID (self-hosted; codes are single-use, valid 5 minutes). */
export const AuthLoginInput = z.object({ code: z.string().min(1).max(128) })
export type AuthLoginInput = z.infer<typeof AuthLoginInput>

export const AuthMeInput = z.object({})
export const AuthMeOutput = z.object({ user: UserView })
export type AuthMeOutput = z.infer<typeof AuthMeOutput>

export const authActions = {
  devLogin: { input: AuthDevLoginInput, output: AuthDevLoginOutput },
  login: { input: AuthLoginInput, output: AuthDevLoginOutput },
  me: { input: AuthMeInput, output: AuthMeOutput },
  ...authConsoleActions,
}
