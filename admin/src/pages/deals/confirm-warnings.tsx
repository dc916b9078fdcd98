/**
 * The CONFIRM_REQUIRED round trip of the marketing desks: a write answered with warnings shows them in
 * a confirm dialog; 仍然提交 sends the same input again with their codes in `confirm`.
 */
import type { App } from 'antd'
import { ApiError } from '../../api'

interface Warning {
  code: string
  message: string
}

export function warningsOf(err: unknown): Warning[] | null {
  if (!(err instanceof ApiError) || err.code !== 'CONFIRM_REQUIRED') return null
  const w = (err.details as { warnings?: unknown } | undefined)?.warnings
  return Array.isArray(w) ? (w as Warning[]) : []
}

/**
 * Runs `send` without confirmations, then, for each round of warnings, asks the merchant and sends again
 * with every code confirmed so far. Answers null when the merchant chose 返回修改; other errors throw.
 */
export async function sendConfirming<T>(
  modal: ReturnType<typeof App.useApp>['modal'],
  send: (confirm: string[] | undefined) => Promise<T>,
): Promise<T | null> {
  let confirm: string[] | undefined
  for (;;) {
    try {
      return await send(confirm)
    } catch (err) {
      const warnings = warningsOf(err)
      if (!warnings || warnings.length === 0) throw err
      const ok = await new Promise<boolean>((resolve) => {
        modal.confirm({
          title: '请确认以下提醒',
          width: 520,
          content: (
            <ul style={{ paddingLeft: 20, margin: '8px 0 0' }} data-testid="confirm-warnings">
              {warnings.map((w) => (
                <li key={w.code} style={{ marginBottom: 6 }}>
                  {w.message}
                </li>
              ))}
            </ul>
          ),
          okText: '仍然提交',
          cancelText: '返回修改',
          onOk: () => resolve(true),
          onCancel: () => resolve(false),
        })
      })
      if (!ok) return null
      confirm = [...new Set([...(confirm ?? []), ...warnings.map((w) => w.code)])]
    }
  }
}
