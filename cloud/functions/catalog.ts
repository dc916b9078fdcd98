import { CatalogGetInput, CatalogHomeInput, CatalogListInput } from '../contract'
import * as catalog from '../core/catalog/catalog.service'
import { action, defineHandler } from './define'

export const handler = defineHandler('catalog', {
  list: action({ input: CatalogListInput, access: 'user', run: catalog.list }),
  get: action({ input: CatalogGetInput, access: 'user', run: catalog.get }),
  home: action({ input: CatalogHomeInput, access: 'user', run: (ctx) => catalog.home(ctx) }),
})
