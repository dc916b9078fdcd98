import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { contract } from '../../cloud/contract'

// docs/api.md is the reference a client developer reads: every function's every action has its
// entry there (named `fn.action`), so an action added to the contract without its docs fails here.
test('docs/api.md documents every action of the contract', () => {
  const doc = readFileSync(join(__dirname, '../../docs/api.md'), 'utf8')
  const undocumented = Object.entries(contract).flatMap(([fn, actions]) =>
    Object.keys(actions)
      .map((action) => `${fn}.${action}`)
      .filter((name) => !doc.includes(`\`${name}\``)),
  )
  expect(undocumented).toEqual([])
})
