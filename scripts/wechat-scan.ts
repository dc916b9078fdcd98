/**
 * `npm run scan`: WeChat DevTools' 代码质量 (code quality) scan, run on the production weapp build
 * (dist/weapp) and the project.config.json that DevTools opens. A step of `npm test`, after the
 * weapp build; it fails when any check fails.
 *
 * Why our own script: the scan exists only inside WeChat DevTools (a GUI, Windows and macOS).
 * miniprogram-ci, the npm package extracted from DevTools, documents upload, preview, npm build,
 * cloud function/cloud storage upload, a proxy and source map download — no code-quality analysis —
 * and its upload/preview calls need the AppID's 代码上传密钥 (private key), an IP whitelist and
 * WeChat's servers, none of which a test run has. So this mirrors each check of the scan's list
 * ("开发者工具中的性能扫描工具" / 代码质量 panel), with WeChat's thresholds:
 *
 *   main-package-size   代码包不包含插件大小超过 1.5 M: the main package ≤ 1.5 MB (WeChat's hard limit
 *                       is 2 MB a package, 20 MB in all); counted as scripts/size.ts does.
 *   images              图片和音频资源大小超过 200 K: every image and audio file ≤ 200 KB.
 *   main-js-for-subpackages  主包存在仅被其他分包依赖的JS: no main-package script that only
 *                       subpackages require.
 *   unused-plugins      存在无使用的插件: every plugin of app.json is used by some usingComponents.
 *   unused-components   存在无使用的组件: every usingComponents entry is used as a tag in its WXML
 *                       (or in a WXML file that it imports or includes).
 *   js-minified         未开启JS压缩: setting.minified on, and every .js/.wxs file really minified.
 *   wxml-minified       未开启WXML压缩: setting.minifyWXML on, and every .wxml file really minified.
 *   wxss-minified       未开启WXSS压缩: setting.minifyWXSS on, and every .wxss file really minified.
 *   lazy-code-loading   未启用组件按需注入: app.json has lazyCodeLoading "requiredComponents".
 *   unused-files        存在无依赖文件: every file in the package is reached from app.json (pages,
 *                       components, tab bar icons) through require(), @import, <import>/<include>,
 *                       <wxs src> or a path named in a reached file.
 *
 * "Really minified" is measured, not assumed from the settings: after dropping licence banners, a
 * file may have no line that starts with indentation and no non-licence comment.
 */
import fs from 'node:fs'
import path from 'node:path'
import { measure } from './size'

export const MAIN_WARN = 1.5 * 1024 * 1024
export const ASSET_LIMIT = 200 * 1024

export interface CheckResult {
  id: string
  title: string
  problems: string[]
}

interface AppJson {
  pages?: string[]
  subPackages?: Array<{ root: string; pages?: string[]; plugins?: Record<string, unknown> }>
  subpackages?: Array<{ root: string; pages?: string[]; plugins?: Record<string, unknown> }>
  usingComponents?: Record<string, string>
  plugins?: Record<string, unknown>
  lazyCodeLoading?: string
  tabBar?: { list?: Array<{ iconPath?: string; selectedIconPath?: string }> }
  sitemapLocation?: string
  themeLocation?: string
}

const IMAGE_OR_AUDIO = /\.(png|jpe?g|gif|webp|svg|bmp|mp3|aac|m4a|wav|ogg|silk)$/i
/** Files DevTools reads as project configuration, never packaged as code. */
const CONFIG_FILES = new Set(['project.config.json', 'project.private.config.json'])

function listFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    return e.isDirectory() ? listFiles(p) : [p]
  })
}

/** Licence banners (`/*! … *\/`, `@license`, `@preserve`) stay in minified files; nothing else may look written by hand. */
function withoutLicences(text: string): string {
  return text.replace(/\/\*[!*][\s\S]*?\*\//g, (c) => (/^\/\*!|@license|@preserve/.test(c) ? '' : c))
}

/** Why a file is not minified, or undefined when it is. */
export function notMinified(text: string, kind: 'js' | 'wxml' | 'wxss'): string | undefined {
  const body = withoutLicences(text)
  const indented = (body.match(/\n[ \t]+\S/g) ?? []).length
  if (indented > 0) return `${indented} indented line(s)`
  if (kind === 'wxml' && /<!--/.test(body)) return 'comments'
  if (kind === 'wxss' && /\/\*/.test(body)) return 'comments'
  if (body.length > 2000 && (body.match(/\n/g) ?? []).length > body.length / 200) return 'one line per statement'
  return undefined
}

export function scan(projectDir: string): CheckResult[] {
  const project = JSON.parse(fs.readFileSync(path.join(projectDir, 'project.config.json'), 'utf8')) as {
    miniprogramRoot?: string
    setting?: Record<string, unknown>
  }
  const dist = path.resolve(projectDir, project.miniprogramRoot ?? '.')
  const setting = project.setting ?? {}
  const app = JSON.parse(fs.readFileSync(path.join(dist, 'app.json'), 'utf8')) as AppJson
  const subpackages = app.subPackages ?? app.subpackages ?? []
  const roots = subpackages.map((s) => s.root.replace(/^\/|\/$/g, '') + '/')

  const all = listFiles(dist)
    .map((f) => path.relative(dist, f).split(path.sep).join('/'))
    .filter((f) => !CONFIG_FILES.has(f) && !f.endsWith('.map'))
    .sort()
  const exists = new Set(all)
  const read = (rel: string) => fs.readFileSync(path.join(dist, rel), 'utf8')
  const packageOf = (rel: string) => roots.find((r) => rel.startsWith(r)) ?? ''
  /** A path written in file `from` (relative, or absolute from the package root) as a package path. */
  const resolve = (from: string, ref: string, exts: string[] = ['']): string | undefined => {
    const base = ref.startsWith('/') ? ref.slice(1) : path.posix.join(path.posix.dirname(from), ref)
    const norm = path.posix.normalize(base)
    for (const ext of exts) if (exists.has(norm + ext)) return norm + ext
    return undefined
  }

  // The dependency graph: what each reached file names.
  const reached = new Set<string>()
  const requiredBy = new Map<string, Set<string>>()
  const queue: string[] = []
  const reach = (rel: string | undefined, from?: string) => {
    if (!rel) return
    if (from && rel.endsWith('.js')) {
      if (!requiredBy.has(rel)) requiredBy.set(rel, new Set())
      requiredBy.get(rel)!.add(from)
    }
    if (reached.has(rel)) return
    reached.add(rel)
    queue.push(rel)
  }
  const componentFiles = (base: string) => ['.js', '.json', '.wxml', '.wxss'].map((e) => base + e).filter((f) => exists.has(f))
  const reachComponent = (base: string) => componentFiles(base).forEach((f) => reach(f))

  for (const f of ['app.js', 'app.json', 'app.wxss']) if (exists.has(f)) reach(f)
  reach(app.sitemapLocation ? resolve('app.json', app.sitemapLocation) : exists.has('sitemap.json') ? 'sitemap.json' : undefined)
  if (app.themeLocation) reach(resolve('app.json', app.themeLocation))
  for (const p of app.pages ?? []) reachComponent(p)
  subpackages.forEach((s, i) => (s.pages ?? []).forEach((p) => reachComponent(roots[i] + p)))
  for (const t of app.tabBar?.list ?? []) {
    for (const icon of [t.iconPath, t.selectedIconPath]) if (icon) reach(resolve('app.json', icon))
  }

  const unusedComponents: string[] = []
  const usedPlugins = new Set<string>()
  const wxmlTags = new Map<string, Set<string>>()
  /** The tags a WXML file uses, with those of the WXML it imports or includes. */
  const tagsOf = (wxml: string, seen = new Set<string>()): Set<string> => {
    if (wxmlTags.has(wxml)) return wxmlTags.get(wxml)!
    const tags = new Set<string>()
    if (seen.has(wxml) || !exists.has(wxml)) return tags
    seen.add(wxml)
    const text = read(wxml)
    for (const m of text.matchAll(/<([A-Za-z][\w-]*)/g)) tags.add(m[1]!)
    for (const m of text.matchAll(/<(?:import|include)\s+src="([^"]+)"/g)) {
      const dep = resolve(wxml, m[1]!, ['', '.wxml'])
      if (dep) for (const t of tagsOf(dep, seen)) tags.add(t)
    }
    wxmlTags.set(wxml, tags)
    return tags
  }

  while (queue.length > 0) {
    const file = queue.shift()!
    const ext = path.posix.extname(file)
    if (ext === '.js' || ext === '.wxs') {
      for (const m of read(file).matchAll(/require\(\s*["']([^"']+)["']\s*\)/g)) reach(resolve(file, m[1]!, ['', '.js']), file)
    } else if (ext === '.wxss') {
      for (const m of read(file).matchAll(/@import\s+["']([^"']+)["']/g)) reach(resolve(file, m[1]!, ['', '.wxss']))
    } else if (ext === '.wxml') {
      for (const m of read(file).matchAll(/<(?:import|include|wxs)\s[^>]*?src="([^"{}]+)"/g)) {
        reach(resolve(file, m[1]!, ['', '.wxml', '.wxs']))
      }
    } else if (ext === '.json' && file !== 'app.json' && file !== 'sitemap.json') {
      const json = JSON.parse(read(file)) as { usingComponents?: Record<string, string>; componentGenerics?: unknown }
      const base = file.slice(0, -'.json'.length)
      const tags = tagsOf(base + '.wxml')
      for (const [tag, ref] of Object.entries(json.usingComponents ?? {})) {
        if (ref.startsWith('plugin://')) usedPlugins.add(ref.slice('plugin://'.length).split('/')[0]!)
        else
          reachComponent(
            resolve(file, ref, ['']) ??
              path.posix.normalize(ref.startsWith('/') ? ref.slice(1) : path.posix.join(path.posix.dirname(file), ref)),
          )
        if (!tags.has(tag)) unusedComponents.push(`${file}: "${tag}" is declared but ${base}.wxml never uses <${tag}>`)
      }
    }
    // Static assets named anywhere in a reached text file (image src, paths in scripts and styles).
    if (['.js', '.wxs', '.wxss', '.wxml', '.json'].includes(ext)) {
      const text = read(file)
      for (const asset of all) {
        if (!reached.has(asset) && IMAGE_OR_AUDIO.test(asset) && text.includes(path.posix.basename(asset))) {
          const rel = path.posix.relative(path.posix.dirname(file), asset)
          if (text.includes(asset) || text.includes(rel)) reach(asset)
        }
      }
    }
  }
  for (const s of subpackages) for (const p of Object.keys(s.plugins ?? {})) if (!app.plugins?.[p]) usedPlugins.add(p)

  const size = measure(dist)
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`
  const minifiedProblems = (exts: string[], kind: 'js' | 'wxml' | 'wxss', settingName: string) => {
    const problems: string[] = []
    if (setting[settingName] !== true) problems.push(`project.config.json: setting.${settingName} is not true`)
    for (const f of all.filter((x) => exts.includes(path.posix.extname(x)))) {
      const why = notMinified(read(f), kind)
      if (why) problems.push(`${f} is not minified (${why})`)
    }
    return problems
  }

  return [
    {
      id: 'main-package-size',
      title: '主包大小不超过 1.5 MB（每个包不超过 2 MB）',
      problems: [
        ...(size.main > MAIN_WARN ? [`main package is ${kb(size.main)}`] : []),
        ...Object.entries(size.subpackages)
          .filter(([, n]) => n > 2 * 1024 * 1024)
          .map(([root, n]) => `subpackage ${root} is ${kb(n)}`),
        ...(size.total > 20 * 1024 * 1024 ? [`all packages together are ${kb(size.total)}`] : []),
      ],
    },
    {
      id: 'images',
      title: '图片和音频资源不超过 200 KB',
      problems: all
        .filter((f) => IMAGE_OR_AUDIO.test(f) && fs.statSync(path.join(dist, f)).size > ASSET_LIMIT)
        .map((f) => `${f} is ${kb(fs.statSync(path.join(dist, f)).size)}`),
    },
    {
      id: 'main-js-for-subpackages',
      title: '主包没有仅被分包依赖的 JS',
      problems: [...requiredBy]
        .filter(([f, by]) => packageOf(f) === '' && [...by].every((b) => packageOf(b) !== ''))
        .map(([f, by]) => `${f} is in the main package but only ${[...by].join(', ')} require it`),
    },
    {
      id: 'unused-plugins',
      title: '没有未使用的插件',
      problems: Object.keys(app.plugins ?? {})
        .filter((p) => !usedPlugins.has(p))
        .map((p) => `app.json declares plugin "${p}" that no usingComponents uses`),
    },
    { id: 'unused-components', title: '没有未使用的组件', problems: unusedComponents },
    { id: 'js-minified', title: 'JS 已压缩', problems: minifiedProblems(['.js', '.wxs'], 'js', 'minified') },
    { id: 'wxml-minified', title: 'WXML 已压缩', problems: minifiedProblems(['.wxml'], 'wxml', 'minifyWXML') },
    { id: 'wxss-minified', title: 'WXSS 已压缩', problems: minifiedProblems(['.wxss'], 'wxss', 'minifyWXSS') },
    {
      id: 'lazy-code-loading',
      title: '已启用组件按需注入',
      problems: app.lazyCodeLoading === 'requiredComponents' ? [] : ['app.json: lazyCodeLoading is not "requiredComponents"'],
    },
    {
      id: 'unused-files',
      title: '没有无依赖文件',
      problems: all.filter((f) => !reached.has(f)).map((f) => `${f} is reached from nothing in app.json`),
    },
  ]
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const root = path.resolve(__dirname, '..')
  if (!fs.existsSync(path.join(root, 'dist', 'weapp', 'app.json'))) {
    console.error('dist/weapp is missing: run `npm run build:weapp` first')
    process.exit(1)
  }
  const results = scan(root)
  for (const r of results) {
    console.log(`${r.problems.length === 0 ? '✔' : '✖'} ${r.id}  ${r.title}`)
    for (const p of r.problems) console.log(`    ${p}`)
  }
  const failed = results.filter((r) => r.problems.length > 0).length
  console.log(
    failed === 0 ? `WeChat code scan: all ${results.length} checks pass` : `WeChat code scan: ${failed} of ${results.length} checks fail`,
  )
  process.exit(failed === 0 ? 0 : 1)
}
