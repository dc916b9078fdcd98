/**
 * The local stand-in for wx.login + code2Session. It behaves like WeChat where it matters: a code is
 * minted for one openid (WeChat does it on the phone; here `POST /api/sandbox/wx-login`), is
 * single-use, expires after 5 minutes, and an unknown, used or expired code is refused with the
 * errcode WeChat would answer, mapped exactly as the real adapter maps it. Codes live in PostgreSQL
 * (`sandbox_login_codes`, the database's clock) so every instance of the host agrees on them.
 */
import { randomBytes } from 'node:crypto'
import type { LoginProvider } from '../../core/services.ports'
import type { Database } from '../../db/database'
import { code2SessionResult } from './wechat'

export const SANDBOX_LOGIN_PATH = '/api/sandbox/wx-login'
export const LOGIN_CODE_TTL_SECONDS = 300

export interface SandboxLogin extends LoginProvider {
  /** A fresh code for `openid`, as wx.login gives the user on the phone. */
  mint(openid: string): Promise<string>
}

/**
 * `db` is a pool of the sandbox's own: code2Session runs inside a call's transaction and must never
 * wait for the pool that transaction is holding.
 */
export function sandboxLogin(db: Database): SandboxLogin {
  return {
    async mint(openid) {
      const code = randomBytes(24).toString('base64url')
      // Codes an hour past their expiry are forgotten, so minting never grows the table without bound.
      await db.pool.query(`DELETE FROM sandbox_login_codes WHERE expires_at < now() - interval '1 hour'`)
      await db.pool.query('INSERT INTO sandbox_login_codes (code, openid, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))', [
        code,
        openid,
        LOGIN_CODE_TTL_SECONDS,
      ])
      return code
    },
    async code2Session(code) {
      // One conditional update takes the code: of racing uses, exactly one gets the openid.
      const taken = await db.pool.query<{ openid: string }>(
        'UPDATE sandbox_login_codes SET used_at = now() WHERE code = $1 AND used_at IS NULL AND expires_at > now() RETURNING openid',
        [code],
      )
      if (taken.rows[0]) return code2SessionResult({ openid: taken.rows[0].openid })
      const used = await db.pool.query('SELECT 1 FROM sandbox_login_codes WHERE code = $1 AND used_at IS NOT NULL', [code])
      return used.rowCount
        ? code2SessionResult({ errcode: 40163, errmsg: 'code been used' })
        : code2SessionResult({ errcode: 40029, errmsg: 'invalid code' })
    },
  }
}
