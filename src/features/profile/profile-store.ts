import { create } from 'zustand'
import type { AvatarUpload, UserView } from '../../../cloud/contract'
import { call } from '../../api/call'
import { attempt, type Outcome } from '../shared/outcome'
import { useSessionStore } from '../session/session-store'

interface ProfileState {
  saving: boolean
  /** Saves what changed; the signed-in user (session store) shows it everywhere at once. */
  save: (changes: { nickname?: string; avatar?: AvatarUpload }) => Promise<Outcome<UserView>>
}

export const useProfileStore = create<ProfileState>()((set) => ({
  saving: false,
  async save(changes) {
    set({ saving: true })
    const outcome = await attempt(async () => {
      const { user } = await call('user', 'updateProfile', changes)
      useSessionStore.setState({ user, status: 'ready', error: null })
      return user
    })
    set({ saving: false })
    return outcome
  },
}))

/** Whether the user still has the name every user starts with (微信用户 + 4 characters of their openid). */
export const hasDefaultNickname = (user: Pick<UserView, 'nickname'>): boolean => /^微信用户.{4}$/.test(user.nickname)
