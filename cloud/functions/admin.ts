import { AdminCreateProductInput } from '../contract'
import * as admin from '../core/admin/admin.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('admin', {
  createProduct: action({ input: AdminCreateProductInput, access: 'admin', run: admin.createProduct }),
})
