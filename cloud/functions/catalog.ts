import * as catalog from '../core/catalog/catalog.service'
import * as plays from '../core/catalog/plays.service'
import { defineHandler } from './define'

export const handler = defineHandler('catalog', {
  list: { access: 'user', run: catalog.list },
  get: { access: 'user', run: catalog.get },
  home: { access: 'user', run: catalog.home },
  search: { access: 'user', run: catalog.search },
  /** The home strip's open 拼团 and 砍价: public, anyone may look. */
  plays: { access: 'public', run: plays.plays },
})
