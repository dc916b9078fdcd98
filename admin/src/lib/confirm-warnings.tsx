/**
 * The CONFIRM_REQUIRED round trip of the console's writes (coupons, the 9.9 deal, flash sales, room
 * coupons): a write answered with warnings lists them in a confirm dialog; going ahead sends the same
 * input again with their codes in `confirm`.
 */
import type { App } from 'antd'
import type { Warning } from '../../../cloud/contract'
import { ApiError } from '../api'

/** The warnings of a CONFIRM_REQUIRED answer. */
export function warningsOf(err: unknown): Warning[] | null {
  if (!(err instanceof ApiError) || err.code !== 'CONFIRM_REQUIRED') return null
  const w = (err.details as { warnings?: unknown } | undefined)?.warnings
  return Array.isArray(w) ? (w as Warning[]) : []
}

export type Modal = ReturnType<typeof App.useApp>['modal']

/** Shows the warnings and answers whether the merchant goes ahead. */
export function confirmWarnings(modal: Modal, warnings: Warning[], okText: string): Promise<boolean> {
  return new Promise((resolve) => {
    modal.confirm({
      title: '请确认以下提醒',
      content: (
        <ul style={{ paddingLeft: 18, margin: '8px 0 0' }} data-testid="confirm-warnings">
          {warnings.map((w) => (
            <li key={w.code}>{w.message}</li>
          ))}
        </ul>
      ),
      okText,
      cancelText: '返回修改',
      onOk: () => resolve(true),
      onCancel: () => resolve(false),
    })
  })
}

/**
 * Sends a write; when the server answers CONFIRM_REQUIRED, lists its warnings in a dialog and, if the
 * merchant goes ahead, sends the same input again with their codes in `confirm`. Null when they went back.
 */
export async function sendConfirmed<T>(
  modal: Modal,
  okText: string,
  send: (confirm: string[] | undefined) => Promise<T>,
): Promise<T | null> {
  let confirm: string[] | undefined
  for (;;) {
    try {
      return await send(confirm)
    } catch (err) {
      const warnings = warningsOf(err)
      if (!warnings) throw err
      if (!(await confirmWarnings(modal, warnings, okText))) return null
      confirm = [...new Set([...(confirm ?? []), ...warnings.map((w) => w.code)])]
    }
  }
}
