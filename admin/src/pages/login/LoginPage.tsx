/**
 * 扫码登录: shows the ticket's code, polls every 1.5 s, and follows the phone — 已扫码 while the
 * staff member is asked on their phone, in once they confirm; 已取消, 二维码已过期 or 已使用 offer
 * 刷新二维码. The pending code survives a reload of the tab (sessionStorage, pending-ticket.ts); a new
 * code asked while one is pending withdraws it on the server, so the phone can no longer confirm it.
 * Sent here by a 401 (`expired=1`), the page says the sign-in ended or the role changed.
 */
import { CheckCircleFilled, ExclamationCircleFilled, ReloadOutlined } from '@ant-design/icons'
import { Alert, Button, Card, Spin, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { TicketStatus } from '../../../../cloud/contract'
import { ApiError, call, messageOf, pollLogin } from '../../api'
import { startSession } from '../../session'
import { clearPending, loadPending, savePending, type PendingTicket } from './pending-ticket'

const POLL_MS = 1500

type View = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ticket'; ticket: PendingTicket; status: TicketStatus }

const ENDED: Partial<Record<TicketStatus, string>> = {
  rejected: '已取消登录',
  expired: '二维码已过期',
  used: '二维码已使用',
}

/** Shown when a 401 sent the console here: the session ended or the staff member's role changed. */
export const EXPIRED_NOTICE = '登录已失效或权限已变更，请重新扫码登录'

const store = () => window.sessionStorage

export default function LoginPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const generation = useRef(0)
  const [expiredNotice] = useState(() => new URLSearchParams(window.location.search).get('expired') === '1')

  const fresh = useCallback(async () => {
    const mine = ++generation.current
    setView({ kind: 'loading' })
    // The code shown until now, if still pending, is withdrawn with this call.
    const pending = loadPending(store(), Date.now())
    try {
      const ticket = await call('auth', 'consoleTicket', pending ? { replaces: { ticket: pending.ticket, secret: pending.secret } } : {})
      savePending(store(), ticket)
      if (generation.current === mine) setView({ kind: 'ticket', ticket, status: 'waiting' })
    } catch (err) {
      if (generation.current === mine) setView({ kind: 'error', message: messageOf(err) })
    }
  }, [])

  useEffect(() => {
    // A reload resumes the code still pending; otherwise a new one.
    const pending = loadPending(store(), Date.now())
    if (pending) setView({ kind: 'ticket', ticket: pending, status: 'waiting' })
    else void fresh()
    const counter = generation
    // Leaving the page: answers still on their way are dropped.
    return () => {
      counter.current++
    }
  }, [fresh])

  useEffect(() => {
    // An ended code is no longer pending: a reload shows a new one.
    if (view.kind === 'ticket' && ENDED[view.status]) clearPending(store())
  }, [view])

  const ticket = view.kind === 'ticket' ? view.ticket : null
  const status = view.kind === 'ticket' ? view.status : null
  useEffect(() => {
    if (!ticket || !status || ENDED[status]) return
    const mine = generation.current
    const timer = window.setTimeout(async () => {
      if (Date.parse(ticket.expiresAt) <= Date.now()) {
        setView({ kind: 'ticket', ticket, status: 'expired' })
        return
      }
      try {
        const answer = await pollLogin(ticket.ticket, ticket.secret)
        if (generation.current !== mine) return
        if (answer.status === 'confirmed' && answer.session) {
          clearPending(store())
          startSession(answer.session)
          return
        }
        // A poll that failed once (network) just tries again: the same status re-arms the timer.
        setView({ kind: 'ticket', ticket, status: answer.status })
      } catch (err) {
        if (generation.current !== mine) return
        // The kept code is unknown to the server (pruned, or another host's): a new one.
        if (err instanceof ApiError && err.code === 'NOT_FOUND') {
          clearPending(store())
          void fresh()
          return
        }
        setView({ kind: 'ticket', ticket, status: status === 'waiting' ? 'waiting' : status })
      }
    }, POLL_MS)
    return () => window.clearTimeout(timer)
  }, [ticket, status, view, fresh])

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f4f0' }}>
      <Card style={{ width: 420, textAlign: 'center', boxShadow: '0 8px 30px rgba(0,0,0,0.06)' }}>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          好茶小铺 · 商家后台
        </Typography.Title>
        {expiredNotice ? (
          <Alert type="warning" showIcon title={EXPIRED_NOTICE} data-testid="login-expired" style={{ marginTop: 12, textAlign: 'left' }} />
        ) : null}
        <Typography.Paragraph style={{ fontSize: 16, marginTop: 12 }}>请使用微信扫码登录商家后台</Typography.Paragraph>
        <div style={{ position: 'relative', width: 260, height: 260, margin: '8px auto 16px' }}>
          {view.kind === 'loading' ? (
            <div style={{ paddingTop: 110 }}>
              <Spin />
            </div>
          ) : null}
          {view.kind === 'error' ? (
            <div style={{ paddingTop: 80 }}>
              <Typography.Paragraph type="danger">{view.message}</Typography.Paragraph>
              <Button icon={<ReloadOutlined />} onClick={() => void fresh()}>
                刷新二维码
              </Button>
            </div>
          ) : null}
          {view.kind === 'ticket' ? (
            <>
              <img
                src={view.ticket.codeImage}
                alt="登录二维码"
                data-testid="login-code"
                data-scene={view.ticket.scene}
                data-page={view.ticket.page}
                width={260}
                height={260}
                style={{ display: 'block', opacity: view.status === 'waiting' ? 1 : 0.12, imageRendering: 'pixelated' }}
              />
              {view.status !== 'waiting' ? (
                <div
                  style={{
                    position: 'absolute',
                    inset: 0,
                    display: 'flex',
                    flexDirection: 'column',
                    alignItems: 'center',
                    justifyContent: 'center',
                    gap: 12,
                  }}
                >
                  {view.status === 'scanned' || view.status === 'confirmed' ? (
                    <>
                      <CheckCircleFilled style={{ fontSize: 44, color: '#2f7d32' }} />
                      <Typography.Text strong>
                        {view.status === 'confirmed' ? '已确认，正在进入…' : '已扫码，请在手机上确认'}
                      </Typography.Text>
                    </>
                  ) : (
                    <>
                      <ExclamationCircleFilled style={{ fontSize: 44, color: '#faad14' }} />
                      <Typography.Text strong>{ENDED[view.status]}</Typography.Text>
                      <Button type="primary" icon={<ReloadOutlined />} onClick={() => void fresh()}>
                        刷新二维码
                      </Button>
                    </>
                  )}
                </div>
              ) : null}
            </>
          ) : null}
        </div>
        {view.kind === 'ticket' && (view.status === 'waiting' || view.status === 'scanned') ? (
          <Button type="link" size="small" icon={<ReloadOutlined />} onClick={() => void fresh()} style={{ marginBottom: 8 }}>
            刷新二维码
          </Button>
        ) : null}
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          仅店主和已授权的员工可以登录。二维码几分钟内有效，只能使用一次。
        </Typography.Paragraph>
      </Card>
    </div>
  )
}
