import { z } from 'zod'
import { Id } from './common'

export const UserView = z.object({
  id: Id,
  nickname: z.string(),
  isAdmin: z.boolean(),
  isNewCustomer: z.boolean(),
})
export type UserView = z.infer<typeof UserView>

export const AuthDevLoginInput = z.object({
  openid: z.string().min(1).max(64),
  nickname: z.string().trim().min(1).max(32).optional(),
})
export type AuthDevLoginInput = z.infer<typeof AuthDevLoginInput>
export const AuthDevLoginOutput = z.object({ token: z.string(), user: UserView })
export type AuthDevLoginOutput = z.infer<typeof AuthDevLoginOutput>

export const AuthMeInput = z.object({})
export const AuthMeOutput = z.object({ user: UserView })
export type AuthMeOutput = z.infer<typeof AuthMeOutput>

export const authActions = {
  devLogin: { input: AuthDevLoginInput, output: AuthDevLoginOutput },
  me: { input: AuthMeInput, output: AuthMeOutput },
}
