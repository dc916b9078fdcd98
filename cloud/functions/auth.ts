import { AuthDevLoginInput, AuthLoginInput, AuthMeInput } from '../contract'
import * as auth from '../core/auth/auth.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('auth', {
  devLogin: action({ input: AuthDevLoginInput, access: 'public', run: auth.devLogin }),
  login: action({ input: AuthLoginInput, access: 'public', run: auth.login }),
  me: action({ input: AuthMeInput, access: 'user', run: auth.me }),
})
