/**
 * `npm run build:admin`: the merchant's console (admin/) bundled by esbuild into dist/admin/ —
 * index.html plus hashed, minified ES modules under assets/, production React, each page its own
 * chunk (dynamic import) so the first load carries only the shell and ECharts only 概览.
 * Prints the sizes. `ADMIN_DIR` moves the output (the host's default is dist/admin).
 */
import fs from 'node:fs'
import path from 'node:path'
import zlib from 'node:zlib'
import { build, type Metafile, type Plugin } from 'esbuild'

const ROOT = path.resolve(__dirname, '..')

/**
 * `import { Table, Tag } from 'antd'` read as `import Table from 'antd/es/table'` and so on (what
 * babel-plugin-import does for webpack): through antd's one index every component would be reachable
 * from the entry, and esbuild would put all of them in the first load; one module per component
 * lets each page's chunk carry the components only it uses.
 */
export const antdPerComponent: Plugin = {
  name: 'antd-per-component',
  setup(b) {
    b.onLoad({ filter: /[\\/]admin[\\/]src[\\/].*\.tsx?$/ }, async (args) => {
      const source = await fs.promises.readFile(args.path, 'utf8')
      const contents = source.replace(/import\s*\{([^}]*)\}\s*from\s*'antd'/g, (_all, names: string) =>
        names
          .split(',')
          .map((n) => n.trim())
          .filter((n) => n && !n.startsWith('type '))
          .map((n) => {
            const [name, alias] = n.split(/\s+as\s+/) as [string, string | undefined]
            const folder = name.replace(/([a-z0-9])([A-Z])/g, '$1-$2').toLowerCase()
            return `import ${alias ?? name} from 'antd/es/${folder}'`
          })
          .join(';'),
      )
      return { contents, loader: args.path.endsWith('.tsx') ? 'tsx' : 'ts' }
    })
  },
}

export interface AdminBuildReport {
  outDir: string
  /** The entry chunk and every chunk it imports statically: what the first page load fetches, in bytes. */
  firstLoadBytes: number
  /** The same, brotli-compressed as the host serves it to browsers that accept it. */
  firstLoadBrotliBytes: number
  /** Every JS file together, in bytes. */
  totalBytes: number
  files: Array<{ file: string; bytes: number }>
}

export async function buildAdmin(
  outDir = path.resolve(ROOT, process.env.ADMIN_DIR || path.join('dist', 'admin')),
): Promise<AdminBuildReport> {
  // Built into a sibling folder and swapped in, so a host serving the old build never sees half a new one.
  const staging = `${outDir}.building-${process.pid}`
  fs.rmSync(staging, { recursive: true, force: true })
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: { main: path.join(ROOT, 'admin', 'src', 'main.tsx') },
    outdir: path.join(staging, 'assets'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome100', 'safari15', 'firefox100', 'edge100'],
    minify: true,
    sourcemap: false,
    jsx: 'automatic',
    entryNames: '[name]-[hash]',
    chunkNames: 'chunks/[name]-[hash]',
    assetNames: 'media/[name]-[hash]',
    define: { 'process.env.NODE_ENV': '"production"' },
    legalComments: 'none',
    metafile: true,
    tsconfig: path.join(ROOT, 'tsconfig.json'),
    logLevel: 'warning',
    plugins: [antdPerComponent],
  })
  const outputs = Object.entries(result.metafile.outputs)
  const entry = outputs.find(([, o]) => o.entryPoint?.endsWith(path.join('admin', 'src', 'main.tsx')))
  if (!entry) throw new Error('esbuild produced no entry chunk for admin/src/main.tsx')
  const entryFile = path.relative(path.join(staging, 'assets'), path.resolve(ROOT, entry[0])).split(path.sep).join('/')
  const template = fs.readFileSync(path.join(ROOT, 'admin', 'index.html'), 'utf8')
  if (!template.includes('<!-- entry -->')) throw new Error('admin/index.html lost its <!-- entry --> marker')
  const html = template.replace('<!-- entry -->', `<script type="module" src="/admin/assets/${entryFile}"></script>`)
  fs.writeFileSync(path.join(staging, 'index.html'), html)

  // Pre-compressed copies next to each chunk: the host serves .br / .gz to browsers that accept them.
  const brotli = new Map<string, number>()
  for (const [file] of outputs) {
    const abs = path.resolve(ROOT, file)
    const bytes = fs.readFileSync(abs)
    const br = zlib.brotliCompressSync(bytes, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 10 } })
    fs.writeFileSync(`${abs}.br`, br)
    fs.writeFileSync(`${abs}.gz`, zlib.gzipSync(bytes, { level: 9 }))
    brotli.set(file, br.length)
  }
  const firstLoad = staticClosure(result.metafile, entry[0])

  const old = `${outDir}.old-${process.pid}`
  if (fs.existsSync(outDir)) fs.renameSync(outDir, old)
  fs.renameSync(staging, outDir)
  fs.rmSync(old, { recursive: true, force: true })

  const files = outputs
    .map(([file, o]) => ({ file: path.relative(staging, path.resolve(ROOT, file)).split(path.sep).join('/'), bytes: o.bytes }))
    .sort((a, b) => b.bytes - a.bytes)
  return {
    outDir,
    firstLoadBytes: [...firstLoad].reduce((sum, f) => sum + result.metafile.outputs[f]!.bytes, 0),
    firstLoadBrotliBytes: [...firstLoad].reduce((sum, f) => sum + (brotli.get(f) ?? 0), 0),
    totalBytes: files.reduce((sum, f) => sum + f.bytes, 0),
    files,
  }
}

/** An output and every output it imports statically (not the pages it loads on demand). */
function staticClosure(meta: Metafile, start: string): Set<string> {
  const seen = new Set<string>()
  const visit = (f: string) => {
    if (seen.has(f)) return
    seen.add(f)
    for (const i of meta.outputs[f]?.imports ?? []) if (i.kind === 'import-statement') visit(i.path)
  }
  visit(start)
  return seen
}

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`

if (path.resolve(process.argv[1] ?? '') === __filename) {
  const started = Date.now()
  buildAdmin()
    .then((r) => {
      console.log(`console built into ${path.relative(ROOT, r.outDir) || r.outDir} in ${((Date.now() - started) / 1000).toFixed(1)} s`)
      console.log(
        `  first load ${kib(r.firstLoadBytes)} (${kib(r.firstLoadBrotliBytes)} brotli), all JS ${kib(r.totalBytes)} in ${r.files.length} files`,
      )
      for (const f of r.files.slice(0, 8)) console.log(`  ${kib(f.bytes).padStart(10)}  ${f.file}`)
    })
    .catch((err) => {
      console.error(err instanceof Error ? err.message : err)
      process.exit(1)
    })
}
