import * as profile from '../core/user/profile.service'
import { defineHandler } from './define'

export const handler = defineHandler('user', {
  updateProfile: { access: 'user', run: profile.updateProfile },
})
