/**
 * 扫码登录: shows the ticket's code, polls every 1.5 s, and follows the phone — 已扫码 while the
 * staff member is asked on their phone, in once they confirm; 已取消, 二维码已过期 or 已使用 offer
 * 刷新二维码.
 */
import { CheckCircleFilled, ExclamationCircleFilled, ReloadOutlined } from '@ant-design/icons'
import { Button, Card, Spin, Typography } from 'antd'
import { useCallback, useEffect, useRef, useState } from 'react'
import type { ConsoleTicket, TicketStatus } from '../../../../cloud/contract'
import { call, messageOf, pollLogin } from '../../api'
import { startSession } from '../../session'

const POLL_MS = 1500

type View = { kind: 'loading' } | { kind: 'error'; message: string } | { kind: 'ticket'; ticket: ConsoleTicket; status: TicketStatus }

const ENDED: Partial<Record<TicketStatus, string>> = {
  rejected: '已取消登录',
  expired: '二维码已过期',
  used: '二维码已使用',
}

export default function LoginPage() {
  const [view, setView] = useState<View>({ kind: 'loading' })
  const generation = useRef(0)

  const fresh = useCallback(async () => {
    const mine = ++generation.current
    setView({ kind: 'loading' })
    try {
      const ticket = await call('auth', 'consoleTicket', {})
      if (generation.current === mine) setView({ kind: 'ticket', ticket, status: 'waiting' })
    } catch (err) {
      if (generation.current === mine) setView({ kind: 'error', message: messageOf(err) })
    }
  }, [])

  useEffect(() => {
    void fresh()
    const counter = generation
    // Leaving the page: answers still on their way are dropped.
    return () => {
      counter.current++
    }
  }, [fresh])

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
          startSession(answer.session)
          return
        }
        // A poll that failed once (network) just tries again: the same status re-arms the timer.
        setView({ kind: 'ticket', ticket, status: answer.status })
      } catch {
        if (generation.current === mine) setView({ kind: 'ticket', ticket, status: status === 'waiting' ? 'waiting' : status })
      }
    }, POLL_MS)
    return () => window.clearTimeout(timer)
  }, [ticket, status, view])

  return (
    <div style={{ minHeight: '100vh', display: 'flex', alignItems: 'center', justifyContent: 'center', background: '#f0f4f0' }}>
      <Card style={{ width: 420, textAlign: 'center', boxShadow: '0 8px 30px rgba(0,0,0,0.06)' }}>
        <Typography.Title level={3} style={{ marginBottom: 4 }}>
          好茶小铺 · 商家后台
        </Typography.Title>
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
        <Typography.Paragraph type="secondary" style={{ fontSize: 12, marginBottom: 0 }}>
          仅店主和已授权的员工可以登录。二维码几分钟内有效，只能使用一次。
        </Typography.Paragraph>
      </Card>
    </div>
  )
}
