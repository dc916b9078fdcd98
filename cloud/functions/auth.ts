import * as auth from '../core/auth/auth.service'
import { defineHandler } from './define'

export const handler = defineHandler('auth', {
  devLogin: { access: 'public', run: auth.devLogin },
  login: { access: 'public', run: auth.login },
  me: { access: 'user', run: auth.me },
})
