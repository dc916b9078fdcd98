import path from 'node:path'
import { measure } from '../../scripts/size'

test('the weapp main package, with all four tab pages, stays under 640 KB; the product page is in its subpackage', () => {
  const r = measure(path.resolve(__dirname, '..', '..', 'dist', 'weapp'))
  expect(r.main).toBeLessThan(640 * 1024)
  expect(r.subpackages['packages/goods/']).toBeGreaterThan(0)
})
