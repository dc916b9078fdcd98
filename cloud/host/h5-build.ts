/**
 * The H5 storefront's first build, run by `npm start` in the background while the API already
 * serves (cloud/host/background-build.ts: a line when it starts and ends, its output only on failure).
 */
import { spawn } from 'node:child_process'
import path from 'node:path'
import { followBuild, hasIndex, noBuild, type BackgroundBuild, type BuildState } from './background-build'

export type H5State = BuildState

/** The state of a build this host does not make: served once `h5Dir` holds one (npm run build:h5 by hand). */
export const existingBuild = (h5Dir: string): (() => H5State) => noBuild(h5Dir).state

/**
 * Starts the build unless `h5Dir` already holds one or `BUILD_H5=0`. The builder is
 * `taro build --type h5` (production, into dist/h5), or the shell command in `H5_BUILD_COMMAND`,
 * run with `H5_DIR` in its environment.
 */
export function startH5Build(opts: { root: string; h5Dir: string; env: NodeJS.ProcessEnv; log: (m: string) => void }): BackgroundBuild {
  const { root, h5Dir, env, log } = opts
  if (hasIndex(h5Dir) || env.BUILD_H5 === '0') return noBuild(h5Dir)
  if (!env.H5_BUILD_COMMAND && path.resolve(h5Dir) !== path.join(root, 'dist', 'h5')) {
    // taro builds into dist/h5 (config/index.ts): another H5_DIR is a build made elsewhere.
    log(`no H5 build in ${h5Dir}; not building one there (taro builds into dist/h5)`)
    return noBuild(h5Dir)
  }
  const childEnv = { ...env, NODE_ENV: 'production', H5_DIR: h5Dir }
  const child = env.H5_BUILD_COMMAND
    ? spawn('/bin/sh', ['-c', env.H5_BUILD_COMMAND], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, [path.join(root, 'node_modules', '@tarojs', 'cli', 'bin', 'taro'), 'build', '--type', 'h5'], {
        cwd: root,
        env: childEnv,
        stdio: ['ignore', 'pipe', 'pipe'],
      })
  return followBuild({
    what: 'storefront page',
    dir: h5Dir,
    child,
    log,
    startLine: 'building the storefront page (first start only); the API is served meanwhile…',
  })
}
