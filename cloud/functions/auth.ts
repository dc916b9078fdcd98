import { AuthDevLoginInput, AuthMeInput } from '../contract'
import * as auth from '../core/auth/auth.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('auth', {
  devLogin: action({ input: AuthDevLoginInput, access: 'public', run: auth.devLogin }),
  me: action({ input: AuthMeInput, access: 'user', run: auth.me }),
})
