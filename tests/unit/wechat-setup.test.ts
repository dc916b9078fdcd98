/**
 * docs/wechat-setup.md is checked against what the code uses: every privacy API, request method,
 * live component, 客服 button and payment call in src/, every subscribe-message kind (with its
 * fields), openapi permission and content-security call in cloud/ must be on that page, and an API
 * that WeChat refuses without `requiredPrivateInfos` must be declared there (in src/app.config.ts,
 * and in dist/weapp/app.json when built). Driven by the code: a new use fails here until the page
 * says what the merchant must set up for it.
 */
import fs from 'node:fs'
import path from 'node:path'

const ROOT = path.resolve(__dirname, '..', '..')
const DOC = path.join(ROOT, 'docs', 'wechat-setup.md')

function filesUnder(dir: string, ext: RegExp): string[] {
  if (!fs.existsSync(dir)) return []
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name)
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'out' ? [] : filesUnder(p, ext)
    return ext.test(e.name) ? [p] : []
  })
}

/** The code of every file under `dir`, comments removed (a mention in a comment is not a use). */
function codeUnder(dir: string): string {
  return filesUnder(path.join(ROOT, dir), /\.(ts|tsx)$/)
    .map((f) => stripComments(fs.readFileSync(f, 'utf8')))
    .join(FILE_BREAK)
}

/**
 * Between two files of `codeUnder`'s text: scanners that pair quotes read each file alone, so one
 * file's quote inside a regex (/["']/) can't pair with the next file's strings.
 */
const FILE_BREAK = '\n\u241e\n'

/** Drops // and /* *\/ comments, leaving strings (where a `//` of a URL lives) alone. */
export function stripComments(code: string): string {
  return code.replace(/('(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*"|`(?:[^`\\]|\\.)*`)|\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, (_m, str) => str ?? '')
}

/** The privacy APIs of WeChat's 用户隐私保护指引, as code names them, with the guide's entry each needs. */
export const PRIVACY_APIS: Array<{ api: string; uses: RegExp; entry: string }> = [
  { api: 'chooseAddress', uses: /\b(?:Taro|wx)\.chooseAddress\b/, entry: '地址' },
  { api: 'chooseAvatar', uses: /open-?[tT]ype=\{?\s*["']chooseAvatar["']/, entry: '用户信息（微信昵称、头像）' },
  { api: 'nickname', uses: /\btype=\{?\s*["']nickname["']/, entry: '用户信息（微信昵称、头像）' },
  { api: 'getPhoneNumber', uses: /open-?[tT]ype=\{?\s*["']getPhoneNumber["']/, entry: '手机号' },
  { api: 'getRealtimePhoneNumber', uses: /open-?[tT]ype=\{?\s*["']getRealtimePhoneNumber["']/, entry: '手机号' },
  { api: 'saveImageToPhotosAlbum', uses: /\b(?:Taro|wx)\.saveImageToPhotosAlbum\b/, entry: '相册（仅写入）权限' },
  { api: 'saveVideoToPhotosAlbum', uses: /\b(?:Taro|wx)\.saveVideoToPhotosAlbum\b/, entry: '相册（仅写入）权限' },
  { api: 'chooseImage', uses: /\b(?:Taro|wx)\.chooseImage\b/, entry: '选中的照片或视频信息' },
  { api: 'chooseMedia', uses: /\b(?:Taro|wx)\.chooseMedia\b/, entry: '选中的照片或视频信息' },
  { api: 'chooseVideo', uses: /\b(?:Taro|wx)\.chooseVideo\b/, entry: '选中的照片或视频信息' },
  { api: 'chooseMessageFile', uses: /\b(?:Taro|wx)\.chooseMessageFile\b/, entry: '选中的文件' },
  { api: 'setClipboardData', uses: /\b(?:Taro|wx)\.setClipboardData\b/, entry: '剪切板' },
  { api: 'getClipboardData', uses: /\b(?:Taro|wx)\.getClipboardData\b/, entry: '剪切板' },
  { api: 'getLocation', uses: /\b(?:Taro|wx)\.getLocation\b/, entry: '位置信息' },
  { api: 'getFuzzyLocation', uses: /\b(?:Taro|wx)\.getFuzzyLocation\b/, entry: '位置信息' },
  { api: 'chooseLocation', uses: /\b(?:Taro|wx)\.chooseLocation\b/, entry: '选择的位置信息' },
  { api: 'choosePoi', uses: /\b(?:Taro|wx)\.choosePoi\b/, entry: '选择的位置信息' },
  { api: 'addPhoneCalendar', uses: /\b(?:Taro|wx)\.addPhone(?:Repeat)?Calendar\b/, entry: '日历（仅写入）权限' },
  { api: 'addPhoneContact', uses: /\b(?:Taro|wx)\.addPhoneContact\b/, entry: '通讯录（仅写入）权限' },
]

/** The APIs WeChat refuses unless app.json lists them in requiredPrivateInfos. */
export const REQUIRED_PRIVATE_INFOS = [
  'chooseAddress',
  'chooseLocation',
  'choosePoi',
  'getFuzzyLocation',
  'getLocation',
  'onLocationChange',
  'startLocationUpdate',
  'startLocationUpdateBackground',
]

/** What else in src/ needs something set up in the console: the words the page must hold for it. */
export const CONSOLE_FEATURES: Array<{ what: string; uses: RegExp; doc: string[] }> = [
  { what: 'Taro.request', uses: /\b(?:Taro|wx)\.request\b/, doc: ['request合法域名'] },
  { what: 'Taro.uploadFile', uses: /\b(?:Taro|wx)\.uploadFile\b/, doc: ['uploadFile合法域名'] },
  { what: 'Taro.downloadFile', uses: /\b(?:Taro|wx)\.downloadFile\b/, doc: ['downloadFile合法域名'] },
  { what: 'Taro.connectSocket', uses: /\b(?:Taro|wx)\.connectSocket\b/, doc: ['socket合法域名'] },
  { what: '<LivePlayer>', uses: /<LivePlayer\b/, doc: ['`live-player`', '社交 > 直播', '接口设置'] },
  { what: '<LivePusher>', uses: /<LivePusher\b/, doc: ['`<live-pusher>`'] },
  { what: 'openChannelsLive', uses: /\b(?:Taro|wx)\.openChannelsLive\b/, doc: ['`openChannelsLive`', '视频号', '主体'] },
  { what: 'requestPayment', uses: /\b(?:Taro|wx)\.requestPayment\b/, doc: ['`requestPayment`', '关联AppID', '商户号'] },
  { what: 'openType="contact"', uses: /open-?[tT]ype=\{?\s*["']contact["']/, doc: ['openType="contact"', '客服'] },
  { what: 'requestSubscribeMessage', uses: /\b(?:Taro|wx)\.requestSubscribeMessage\b/, doc: ['订阅消息'] },
]

/** Server-side WeChat calls that need the console or a permission. */
export const SERVER_CALLS = ['msgSecCheck', 'mediaCheckAsync', 'imgSecCheck', 'getUserRiskRank', 'getUnlimited', 'subscribeMessage']

/** The top-level keys of the object literal that starts right after `open` (an index just past its `{`). */
function objectKeys(code: string, open: number): string[] | null {
  let depth = 1
  let top = ''
  for (let i = open; i < code.length; i++) {
    const c = code[i]!
    if (c === '{' || c === '[' || c === '(') depth++
    if (c === '}' || c === ']' || c === ')') depth--
    if (depth === 0) {
      return top
        .split(',')
        .map((part) => /^\s*([A-Za-z_$][\w$]*)\s*(?::|$)/.exec(part)?.[1])
        .filter((k): k is string => Boolean(k))
    }
    if (depth === 1 && c !== '{' && c !== '[' && c !== '(') top += c
  }
  return null
}

/**
 * The subscribe-message kinds the code queues, with the fields of their data: each
 * `template: '<kind>'` and the `data: { … }` that follows it in the same call.
 */
export function subscribeTemplates(code: string): Map<string, Set<string>> {
  const found = new Map<string, Set<string>>()
  for (const file of code.split(FILE_BREAK)) {
    for (const [kind, fields] of templatesIn(file)) found.set(kind, new Set([...(found.get(kind) ?? []), ...fields]))
  }
  return found
}

function templatesIn(code: string): Map<string, Set<string>> {
  // String contents could hold braces or commas: blank them, keeping the quotes and the kind names.
  const plain = code.replace(/(['"`])((?:(?!\1)[^\\]|\\.)*)\1/g, (m, q: string, body: string) =>
    /^[a-z][a-z0-9_]*$/.test(body) ? m : `${q}${' '.repeat(body.length)}${q}`,
  )
  const found = new Map<string, Set<string>>()
  for (const m of plain.matchAll(/\btemplate:\s*['"]([a-z][a-z0-9_]*)['"]/g)) {
    const after = plain.slice(m.index! + m[0].length)
    const data = /^[^}]*?\bdata:\s*\{/.exec(after)
    const fields = found.get(m[1]!) ?? new Set<string>()
    if (data) for (const k of objectKeys(after, data[0].length) ?? []) fields.add(k)
    found.set(m[1]!, fields)
  }
  return found
}

/** The requiredPrivateInfos an app config declares (app.config.ts source or app.json). */
export function declaredPrivateInfos(config: string): string[] {
  const list = /["']?requiredPrivateInfos["']?\s*:\s*\[([^\]]*)\]/.exec(config)?.[1] ?? ''
  return [...list.matchAll(/["']([A-Za-z]+)["']/g)].map((m) => m[1]!)
}

/** The rows of a markdown table in the section whose heading contains `heading`. */
function section(doc: string, heading: string): string {
  const start = doc.split('\n## ').find((s) => s.split('\n')[0]!.includes(heading))
  return start ?? ''
}

/** Everything the page fails to cover, as messages; empty when it covers what the code uses. */
export function problems(doc: string, usage: { src: string; cloud: string; appConfig: string; appJson?: string }): string[] {
  const out: string[] = []
  const privacy = section(doc, '用户隐私保护指引')
  if (!privacy) out.push('no 用户隐私保护指引 section')
  for (const p of PRIVACY_APIS.filter((a) => a.uses.test(usage.src))) {
    const row = privacy.split('\n').find((line) => line.startsWith('|') && line.includes(`\`${p.api}\``))
    if (!row) out.push(`src/ uses ${p.api}: no row for \`${p.api}\` in the privacy guide section`)
    else if (!row.includes(p.entry)) out.push(`the privacy row of ${p.api} does not name its entry ${p.entry}`)
    else if (/\bnot used\b/.test(row)) out.push(`the privacy row of ${p.api} says "not used", but src/ uses it`)
  }
  for (const api of REQUIRED_PRIVATE_INFOS.filter((a) => new RegExp(`\\b(?:Taro|wx)\\.${a}\\b`).test(usage.src))) {
    if (!declaredPrivateInfos(usage.appConfig).includes(api))
      out.push(`src/ calls ${api}, which src/app.config.ts lacks in requiredPrivateInfos`)
    if (usage.appJson !== undefined && !declaredPrivateInfos(usage.appJson).includes(api)) {
      out.push(`src/ calls ${api}, which dist/weapp/app.json lacks in requiredPrivateInfos (rebuild the weapp)`)
    }
  }
  for (const f of CONSOLE_FEATURES.filter((x) => x.uses.test(usage.src))) {
    for (const words of f.doc.filter((w) => !doc.includes(w))) out.push(`src/ uses ${f.what}: the page does not mention ${words}`)
  }
  for (const env of new Set([...usage.src.matchAll(/process\.env\.(TARO_APP_\w*TEMPLATE\w*)/g)].map((m) => m[1]!))) {
    if (!doc.includes(`\`${env}\``)) out.push(`src/ reads ${env}: the page does not say what to set it to`)
  }

  const subscribe = section(doc, '订阅消息')
  if (!subscribe) out.push('no 订阅消息 section')
  for (const [kind, fields] of subscribeTemplates(usage.cloud)) {
    const row = subscribe.split('\n').find((line) => line.startsWith(`| \`${kind}\``))
    if (!row) {
      out.push(`cloud/ sends the subscribe message ${kind}: no row for it in the 订阅消息 section`)
      continue
    }
    for (const field of fields) if (!row.includes(`\`${field}\``)) out.push(`the ${kind} row does not map its field \`${field}\``)
  }

  for (const call of SERVER_CALLS.filter((c) => new RegExp(`\\b${c}\\b`).test(usage.cloud))) {
    if (!doc.includes(call)) out.push(`cloud/ calls ${call}: the page does not mention it`)
  }
  for (const list of usage.cloud.matchAll(/openapi:\s*\[([^\]]*)\]/g)) {
    for (const perm of [...list[1]!.matchAll(/['"]([\w.]+)['"]/g)].map((m) => m[1]!)) {
      if (!doc.includes(`\`${perm}\``)) out.push(`the cloud functions ask for the openapi permission ${perm}: the page does not list it`)
    }
  }
  return out
}

describe('the scanners find what code uses (so the page check can fail)', () => {
  test('privacy APIs in calls and JSX, not in comments', () => {
    const src = stripComments(`
      // Taro.saveImageToPhotosAlbum would need the album entry
      const a = await Taro.chooseAddress()
      return <Button openType="chooseAvatar" onChooseAvatar={f}><Input type="nickname" /></Button>
      const url = 'https://example.com/x' // a URL is not a comment
    `)
    const used = PRIVACY_APIS.filter((p) => p.uses.test(src)).map((p) => p.api)
    expect(used).toEqual(['chooseAddress', 'chooseAvatar', 'nickname'])
    expect(src).toContain("'https://example.com/x'")
  })

  test('subscribe kinds with their data fields, nested values and strings included', () => {
    const code = `
      await ctx.repos.outbox.enqueue('live_start', s.userId, \`live_start:\${room.id}\`, {
        template: 'live_start',
        page: \`packages/live/room/index?id=\${room.id}\`,
        data: { title: room.title.slice(0, 20), status: '直播已开始，{快来}看看吧, 好' },
      })
      notify({ template: 'order_shipped', page: 'x', data: { carrier: pick({ a: 1, b: 2 }), trackingNo, at: fmt(d) } })
    `
    const t = subscribeTemplates(code)
    expect([...t.keys()]).toEqual(['live_start', 'order_shipped'])
    expect([...t.get('live_start')!]).toEqual(['title', 'status'])
    expect([...t.get('order_shipped')!]).toEqual(['carrier', 'trackingNo', 'at'])
  })

  test('a page that misses a use is reported, naming what to add', () => {
    const doc = '## 3. 用户隐私保护指引\n| `chooseAddress` | 收货地址 | 地址 | x |\n## 4. 订阅消息\n| `live_start` | x | x | `title` |\n'
    const found = problems(doc, {
      src: 'Taro.chooseAddress(); Taro.setClipboardData({ data })',
      cloud:
        "x({ template: 'live_start', data: { title: t, status: s } }); y({ template: 'coupon_expiring', data: { title: t } }); msgSecCheck(",
      appConfig: 'defineAppConfig({ pages: [] })',
      appJson: '{"requiredPrivateInfos":["chooseAddress"]}',
    })
    expect(found).toEqual([
      'src/ uses setClipboardData: no row for `setClipboardData` in the privacy guide section',
      'src/ calls chooseAddress, which src/app.config.ts lacks in requiredPrivateInfos',
      'the live_start row does not map its field `status`',
      'cloud/ sends the subscribe message coupon_expiring: no row for it in the 订阅消息 section',
      'cloud/ calls msgSecCheck: the page does not mention it',
    ])
  })
})

describe('docs/wechat-setup.md covers what the code uses', () => {
  const doc = fs.readFileSync(DOC, 'utf8')
  const src = codeUnder('src')
  const cloud = codeUnder('cloud')
  const appConfig = fs.readFileSync(path.join(ROOT, 'src', 'app.config.ts'), 'utf8')
  const appJsonPath = path.join(ROOT, 'dist', 'weapp', 'app.json')
  const appJson = fs.existsSync(appJsonPath) ? fs.readFileSync(appJsonPath, 'utf8') : undefined

  test('the code is what the scanners expect to read', () => {
    // Guards against a scan of nothing: the shop's own uses today.
    expect(src).toMatch(/Taro\.chooseAddress/)
    expect(subscribeTemplates(cloud).get('live_start')).toEqual(new Set(['title', 'status']))
  })

  test('every privacy API, request method, live component, template, openapi and content check used is on the page', () => {
    expect(problems(doc, { src, cloud, appConfig, appJson })).toEqual([])
  })
})
