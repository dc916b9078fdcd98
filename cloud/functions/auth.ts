import * as auth from '../core/auth/auth.service'
import * as consoleLogin from '../core/auth/console-login.service'
import { defineHandler } from './define'

export const handler = defineHandler('auth', {
  devLogin: { access: 'public', run: auth.devLogin },
  login: { access: 'public', run: auth.login },
  // These three answer by the caller's role: a role just given shows at once (never a kept session).
  me: { access: 'user', freshCaller: true, run: auth.me },
  consoleTicket: { access: 'public', run: consoleLogin.consoleTicket },
  consoleScan: { access: 'user', freshCaller: true, run: consoleLogin.consoleScan },
  consoleConfirm: { access: 'user', freshCaller: true, run: consoleLogin.consoleConfirm },
})
