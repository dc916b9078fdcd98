/**
 * While a form has unsaved changes, leaving the page (a link, the back button, closing the tab)
 * asks 放弃未保存的修改？ first (router.ts setLeaveGuard). The product editor and the room editor use it.
 */
import { App } from 'antd'
import { useEffect } from 'react'
import { setLeaveGuard } from '../router'

export function useUnsavedGuard(dirty: boolean): void {
  const { modal } = App.useApp()
  useEffect(() => {
    if (!dirty) return
    return setLeaveGuard(
      () =>
        new Promise<boolean>((resolve) =>
          modal.confirm({
            title: '放弃未保存的修改？',
            content: '离开后，本页未保存的修改将会丢失。',
            okText: '放弃修改',
            okButtonProps: { danger: true },
            cancelText: '继续编辑',
            onOk: () => resolve(true),
            onCancel: () => resolve(false),
          }),
        ),
    )
  }, [dirty, modal])
}
