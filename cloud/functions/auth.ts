import * as auth from '../core/auth/auth.service'
import * as consoleLogin from '../core/auth/console-login.service'
import { defineHandler } from './define'

export const handler = defineHandler('auth', {
  devLogin: { access: 'public', run: auth.devLogin },
  login: { access: 'public', run: auth.login },
  me: { access: 'user', run: auth.me },
  consoleTicket: { access: 'public', run: consoleLogin.consoleTicket },
  consoleScan: { access: 'user', run: consoleLogin.consoleScan },
  consoleConfirm: { access: 'user', run: consoleLogin.consoleConfirm },
})
