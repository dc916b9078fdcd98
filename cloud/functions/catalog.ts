import * as catalog from '../core/catalog/catalog.service'
import { defineHandler } from './define'

export const handler = defineHandler('catalog', {
  list: { access: 'user', run: catalog.list },
  get: { access: 'user', run: catalog.get },
  home: { access: 'user', run: catalog.home },
  search: { access: 'user', run: catalog.search },
})
