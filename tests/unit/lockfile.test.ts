import fs from 'node:fs'
import path from 'node:path'
import { missingOptionals, placeholder, resolveKey, type Lockfile } from '../../scripts/lock'

const ROOT = path.resolve(__dirname, '..', '..')
const lock = JSON.parse(fs.readFileSync(path.join(ROOT, 'package-lock.json'), 'utf8')) as Lockfile

describe('package-lock.json', () => {
  it('names every optional platform package that a locked package declares, for every platform (npm ci needs them all)', () => {
    expect(missingOptionals(lock)).toEqual([])
  })

  it('has a tarball hash for every package except optional platform builds that the registry never published', () => {
    const withoutHash = Object.entries(lock.packages)
      .filter(([key, e]) => key !== '' && !e.integrity && !e.link)
      .map(([key, e]) => ({ key, optional: e.optional, os: e.os }))
    for (const p of withoutHash) {
      expect(p.optional).toBe(true)
      expect(p.os?.length).toBeGreaterThan(0)
    }
    expect(withoutHash.map((p) => p.key).sort()).toEqual([
      'node_modules/@tarojs/binding-darwin-arm64',
      'node_modules/@tarojs/binding-darwin-x64',
      'node_modules/@tarojs/binding-linux-arm64-gnu',
      'node_modules/@tarojs/binding-win32-x64-msvc',
    ])
  })
})

describe('scripts/lock.ts', () => {
  const fixture: Lockfile = {
    packages: {
      '': { optionalDependencies: { fsevents: '2.3.3' } },
      'node_modules/a': { version: '1.0.0', dev: true, optionalDependencies: { 'a-linux': '1.0.0', 'a-darwin': '1.0.0' } },
      'node_modules/a-linux': { version: '1.0.0', optional: true, os: ['linux'] },
      'node_modules/b': { version: '1.0.0', optionalDependencies: { 'a-darwin': '2.0.0', 'a-linux': '2.0.0' } },
      'node_modules/b/node_modules/a-linux': { version: '2.0.0', optional: true, os: ['linux'] },
    },
  }

  it("resolves a dependency as Node does: the package's own node_modules first, then each ancestor's", () => {
    expect(resolveKey(fixture, 'node_modules/b', 'a-linux')).toBe('node_modules/b/node_modules/a-linux')
    expect(resolveKey(fixture, 'node_modules/a', 'a-linux')).toBe('node_modules/a-linux')
    expect(resolveKey(fixture, 'node_modules/b/node_modules/a-linux', 'a')).toBe('node_modules/a')
    expect(resolveKey(fixture, '', 'a-darwin')).toBeUndefined()
  })

  it('finds each declared optional package that no entry provides', () => {
    expect(missingOptionals(fixture)).toEqual([
      { parent: '', name: 'fsevents', spec: '2.3.3' },
      { parent: 'node_modules/a', name: 'a-darwin', spec: '1.0.0' },
      { parent: 'node_modules/b', name: 'a-darwin', spec: '2.0.0' },
    ])
  })

  it('locks an unpublished build where npm would put it, with its platform, optional, dev only under a dev parent', () => {
    const f: Lockfile = { packages: { ...fixture.packages } }
    const [k1, e1] = placeholder(f, { parent: 'node_modules/a', name: 'a-darwin', spec: '1.0.0' }, { os: ['darwin'], cpu: ['arm64'] })
    expect([k1, e1]).toEqual(['node_modules/a-darwin', { version: '1.0.0', cpu: ['arm64'], dev: true, optional: true, os: ['darwin'] }])
    f.packages[k1] = e1
    // The root place is taken by another version: nested under the package that asks for it.
    const [k2, e2] = placeholder(f, { parent: 'node_modules/b', name: 'a-darwin', spec: '2.0.0' }, { os: ['darwin'], cpu: ['x64'] })
    expect([k2, e2]).toEqual(['node_modules/b/node_modules/a-darwin', { version: '2.0.0', cpu: ['x64'], optional: true, os: ['darwin'] }])
    f.packages[k2] = e2
    expect(missingOptionals(f)).toEqual([{ parent: '', name: 'fsevents', spec: '2.3.3' }])
  })
})
