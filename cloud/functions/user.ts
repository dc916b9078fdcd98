import * as consent from '../core/customer/consent.service'
import * as profile from '../core/user/profile.service'
import { defineHandler } from './define'

export const handler = defineHandler('user', {
  allowMessages: { access: 'user', run: consent.allowMessages },
  updateProfile: { access: 'user', run: profile.updateProfile },
})
