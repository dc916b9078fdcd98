/**
 * `npm run deploy:cloud`: bundles each cloud function into cloud/deploy/out/{name}/ for CloudBase
 * (project.config.json's cloudfunctionRoot). Each folder holds index.js (the handler, core, db layer
 * and pg in one file, `exports.main`) and a package.json that lets CloudBase install wx-server-sdk.
 * Upload a folder from WeChat DevTools ("上传并部署：云端安装依赖") or with the CloudBase CLI.
 */
import fs from 'node:fs'
import path from 'node:path'
import { build } from 'esbuild'
import { handlers } from '../functions'

export const OUT_DIR = path.join(__dirname, 'out')

/** The functions that are not API handlers: their entry, and the triggers CloudBase should attach. */
const SPECIAL: Record<string, { entry: string; config?: object }> = {
  payCallback: { entry: `import { payCallbackMain } from './cloudbase'\nexport const main = payCallbackMain\n` },
  jobs: {
    entry: `import { jobsMain } from './cloudbase'\nexport const main = jobsMain\n`,
    // Every minute (CloudBase cron: second minute hour day month weekday year).
    config: { triggers: [{ name: 'everyMinute', type: 'timer', config: '0 * * * * * *' }] },
  },
}

export const ALL_FUNCTIONS = [...Object.keys(handlers), ...Object.keys(SPECIAL)]

export async function buildCloudFunctions(names = ALL_FUNCTIONS): Promise<string[]> {
  const sdkManifest = path.join(__dirname, '..', '..', 'node_modules', 'wx-server-sdk', 'package.json')
  const wxSdkVersion = (JSON.parse(fs.readFileSync(sdkManifest, 'utf8')) as { version: string }).version
  for (const name of names) {
    const dir = path.join(OUT_DIR, name)
    fs.rmSync(dir, { recursive: true, force: true })
    fs.mkdirSync(dir, { recursive: true })
    await build({
      stdin: {
        contents:
          SPECIAL[name]?.entry ??
          `import { handler } from './${name}'\nimport { cloudMain } from './cloudbase'\nexport const main = cloudMain(handler)\n`,
        resolveDir: path.join(__dirname, '..', 'functions'),
        sourcefile: `${name}.cloud.ts`,
        loader: 'ts',
      },
      bundle: true,
      platform: 'node',
      target: 'node16',
      format: 'cjs',
      outfile: path.join(dir, 'index.js'),
      // Installed by CloudBase from package.json; pg's optional native binding is never used.
      external: ['wx-server-sdk', 'pg-native'],
      legalComments: 'none',
      minifySyntax: true,
      minifyWhitespace: true,
      logLevel: 'warning',
    })
    // Every function may send subscribe messages or check content (text and avatars): all openapi calls.
    const config = {
      permissions: {
        openapi: [
          'subscribeMessage.send',
          'security.msgSecCheck',
          'security.imgSecCheck',
          'riskControl.getUserRiskRank',
          'wxacode.getUnlimited',
          'phonenumber.getPhoneNumber',
        ],
      },
      ...SPECIAL[name]?.config,
    }
    fs.writeFileSync(path.join(dir, 'config.json'), `${JSON.stringify(config, null, 2)}\n`)
    fs.writeFileSync(
      path.join(dir, 'package.json'),
      `${JSON.stringify({ name, version: '1.0.0', private: true, main: 'index.js', dependencies: { 'wx-server-sdk': `~${wxSdkVersion}` } }, null, 2)}\n`,
    )
  }
  return names
}

if (path.resolve(process.argv[1] ?? '') === __filename) {
  buildCloudFunctions().then(
    (names) => console.log(`cloud functions bundled into ${path.relative(process.cwd(), OUT_DIR)}/: ${names.join(', ')}`),
    (err) => {
      console.error(err)
      process.exit(1)
    },
  )
}
