/**
 * The first `npm start`, which builds the H5 app: the API (health included) answers while the
 * build runs, the page says it is being built and reloads itself, and the storefront arrives when
 * the build is done. The build's own output stays out of the log unless it fails. The builder is
 * a small shell script (H5_BUILD_COMMAND) that the test lets finish, not a real webpack build.
 */
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import { sleep } from '../helpers/host'
import { startStack, type Stack } from '../helpers/stack'

const dirs: string[] = []
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })))
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-h5-'))
  dirs.push(d)
  return d
}

/** A builder that prints progress-bar noise, records its pid, waits for `go`, then writes the app (or fails). */
function builder(work: string, outcome: 'builds' | 'fails'): string {
  const finish =
    outcome === 'builds'
      ? `mkdir -p "$H5_DIR" && printf '<!doctype html><title>好茶小铺</title><div id="app">built</div>' > "$H5_DIR/index.html"`
      : `echo 'ERROR in ./src/app.ts: Module not found' >&2; exit 2`
  return [
    `echo $$ > "${work}/pid"`,
    `printf 'Webpack \\033[32m█\\033[39m building (10%%)\\r'`,
    `printf 'NOISY-PROGRESS-LINE\\n'`,
    `while [ ! -e "${work}/go" ]; do sleep 0.05; done`,
    finish,
  ].join('; ')
}

const page = (stack: Stack) =>
  fetch(stack.url, { headers: { 'accept-encoding': 'identity' } }).then(async (r) => ({
    status: r.status,
    headers: r.headers,
    body: await r.text(),
  }))

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms
  for (;;) {
    const got = await probe()
    if (got !== undefined) return got
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await sleep(100)
  }
}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

test('the API and health answer while the H5 build runs; the page says so, then the storefront arrives', async () => {
  const work = tempDir()
  const h5Dir = path.join(work, 'h5')
  const stack = await startStack({ seed: true, env: { BUILD_H5: '1', H5_DIR: h5Dir, H5_BUILD_COMMAND: builder(work, 'builds') } })
  try {
    // startStack returned on a healthy /api/health, and the build is still waiting for its go.
    expect(fs.existsSync(path.join(h5Dir, 'index.html'))).toBe(false)
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200)
    const { token } = await stack.login('o_early_bird')
    const list = await stack.ok('catalog', { action: 'list', limit: 5 }, token)
    expect(list.items.length).toBeGreaterThan(0)

    const building = await page(stack)
    expect(building.status).toBe(503)
    expect(building.headers.get('retry-after')).toBe('5')
    expect(building.headers.get('cache-control')).toBe('no-store')
    expect(building.body).toContain('正在构建商城页面，请稍候…')
    expect(building.body).toContain('<meta http-equiv="refresh" content="5">')
    // Any other page path waits the same way; unknown API paths are still the API's.
    expect((await fetch(`${stack.url}/js/app.12345678.js`)).status).toBe(503)
    expect((await fetch(`${stack.url}/api/nothing`)).status).toBe(404)

    // One line says a build is under way; the builder's own output is not printed.
    expect(stack.output()).toContain('building the storefront page (first start only); the API is served meanwhile…')
    expect(stack.output()).toContain('the storefront page follows when its build is done')
    expect(stack.output()).not.toContain('NOISY-PROGRESS-LINE')
    expect(stack.output()).not.toContain('\x1b[')

    fs.writeFileSync(path.join(work, 'go'), '')
    const served = await waitFor('the storefront', async () => {
      const p = await page(stack)
      return p.status === 200 ? p : undefined
    })
    expect(served.body).toContain('<div id="app">built</div>')
    expect(served.headers.get('cache-control')).toBe('no-cache')
    expect(stack.output()).toMatch(/\[weshop\] storefront page built in \d+ s/)
    expect(stack.output()).toContain(`storefront ready: ${stack.url}`)
    expect(stack.output()).not.toContain('NOISY-PROGRESS-LINE')
  } finally {
    await stack.stop()
  }
}, 90_000)

test('a failed build is reported with its output, the page says so, and the API keeps serving', async () => {
  const work = tempDir()
  const stack = await startStack({
    env: { BUILD_H5: '1', H5_DIR: path.join(work, 'h5'), H5_BUILD_COMMAND: builder(work, 'fails') },
  })
  try {
    fs.writeFileSync(path.join(work, 'go'), '')
    const failed = await waitFor('the failure page', async () => {
      const p = await page(stack)
      return p.status === 500 ? p : undefined
    })
    expect(failed.body).toContain('商城页面构建失败')
    expect(failed.body).not.toContain('http-equiv="refresh"')
    const out = stack.output()
    expect(out).toMatch(/the storefront page could not be built \(exit status 2\) after \d+ s/)
    // Now the build's output is shown, readable: the error, the progress line without its escapes.
    expect(out).toContain('ERROR in ./src/app.ts: Module not found')
    expect(out).toContain('NOISY-PROGRESS-LINE')
    expect(out).not.toContain('\x1b[')
    expect((await fetch(`${stack.url}/api/health`)).status).toBe(200)
    expect((await stack.call('auth', { action: 'devLogin', openid: 'o_after_failure' })).status).toBe(200)
  } finally {
    await stack.stop()
  }
}, 90_000)

test('stopping the host during the build stops the build too', async () => {
  const work = tempDir()
  const stack = await startStack({
    env: { BUILD_H5: '1', H5_DIR: path.join(work, 'h5'), H5_BUILD_COMMAND: builder(work, 'builds') },
  })
  const pidFile = path.join(work, 'pid')
  const pid = Number(
    await waitFor('the builder pid', async () =>
      fs.existsSync(pidFile) ? fs.readFileSync(pidFile, 'utf8').trim() || undefined : undefined,
    ),
  )
  expect(alive(pid)).toBe(true)
  await stack.stop()
  await waitFor('the builder to exit', async () => (alive(pid) ? undefined : true), 5_000)
  expect(fs.existsSync(path.join(work, 'h5', 'index.html'))).toBe(false)
}, 90_000)
