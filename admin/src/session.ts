/**
 * The console's session: who is signed in (nickname, role) and the CSRF token the call seam sends.
 * Loaded once from `GET /admin/api/session`; a 401 from any call ends it and goes back to sign-in.
 */
import { useSyncExternalStore } from 'react'
import type { ConsoleSession } from '../../cloud/contract'
import { fetchSession, logout, onUnauthenticated, setCsrfToken } from './api'
import { loginPathFor } from './lib/login-path'
import { currentPath, navigate } from './router'

export type SessionState =
  { status: 'loading' } | { status: 'signedOut' } | { status: 'error'; message: string } | { status: 'signedIn'; session: ConsoleSession }

let state: SessionState = { status: 'loading' }
const listeners = new Set<() => void>()

function set(next: SessionState): void {
  state = next
  setCsrfToken(next.status === 'signedIn' ? next.session.csrfToken : null)
  listeners.forEach((l) => l())
}

export function useSession(): SessionState {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l)
      return () => listeners.delete(l)
    },
    () => state,
  )
}

/** Asks the server who is signed in. */
export async function loadSession(): Promise<void> {
  try {
    const session = await fetchSession()
    set(session ? { status: 'signedIn', session } : { status: 'signedOut' })
  } catch (err) {
    set({ status: 'error', message: err instanceof Error ? err.message : '无法连接服务器' })
  }
}

/** A poll answered `confirmed` with the session: enter the console. */
export function startSession(session: ConsoleSession): void {
  set({ status: 'signedIn', session })
}

export async function signOut(): Promise<void> {
  try {
    await logout()
  } finally {
    set({ status: 'signedOut' })
    void navigate('/login', { replace: true, force: true })
  }
}

onUnauthenticated(() => {
  if (state.status !== 'signedIn') return
  set({ status: 'signedOut' })
  void navigate(loginPathFor(currentPath(), window.location.search), { replace: true, force: true })
})
