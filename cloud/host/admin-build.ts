/**
 * The merchant console's first build, run by `npm start` in the background when `dist/admin` has
 * none (as h5-build.ts does for the storefront): esbuild takes a few seconds, the API serves
 * meanwhile.
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { followBuild, hasIndex, noBuild, type BackgroundBuild } from './background-build'

/** Starts `npm run build:admin` (scripts/build-admin.ts into `adminDir`) unless a build is there or `BUILD_ADMIN=0`. */
export function startAdminBuild(opts: {
  root: string
  adminDir: string
  env: NodeJS.ProcessEnv
  log: (m: string) => void
}): BackgroundBuild {
  const { root, adminDir, env, log } = opts
  if (hasIndex(adminDir) || env.BUILD_ADMIN === '0') return noBuild(adminDir)
  const child = spawn(
    process.execPath,
    [path.join(root, 'node_modules', 'tsx', 'dist', 'cli.mjs'), path.join(root, 'scripts', 'build-admin.ts')],
    { cwd: root, env: { ...env, NODE_ENV: 'production', ADMIN_DIR: adminDir }, stdio: ['ignore', 'pipe', 'pipe'] },
  )
  return followBuild({
    what: 'merchant console',
    dir: adminDir,
    child,
    log,
    startLine: 'building the merchant console (first start only)…',
  })
}
