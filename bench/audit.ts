/**
 * The mini-program audit section: runs bench/audit/weapp.audit.ts under jest (miniprogram-simulate
 * needs its jsdom environment) against the bench's PostgreSQL, then judges each page's figures
 * against WeChat's audit limits.
 */
import { spawnSync } from 'node:child_process'
import fs from 'node:fs'
import os from 'node:os'
import path from 'node:path'
import type { PageFigures } from './audit/weapp.audit'
import { bin, kb, ROOT } from './lib'

export const LIMITS = { setDataBytes: 256 * 1024, callsPerSecond: 20, nodes: 1000, depth: 30 }

export interface AuditResult {
  columns: string[]
  rows: string[][]
  failures: string[]
}

export function runAudit(databaseUrl: string): AuditResult {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'weshop-audit-')), 'audit.json')
  const r = spawnSync(bin('jest'), ['--config', 'bench/jest.config.js'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, TEST_DATABASE_URL: databaseUrl, AUDIT_OUT: out },
    encoding: 'utf8',
  })
  if (r.status !== 0 || !fs.existsSync(out)) throw new Error(`the mini-program audit failed:\n${r.stdout}\n${r.stderr}`)
  const pages = JSON.parse(fs.readFileSync(out, 'utf8')) as PageFigures[]
  const failures: string[] = []
  const rows = pages.map((p) => {
    const over: string[] = []
    const largest = Math.max(p.load.maxBytes, p.live.maxBytes)
    if (largest > LIMITS.setDataBytes) over.push(`setData ${kb(largest)} > 256 KB`)
    if (p.peakPerSecond > LIMITS.callsPerSecond) over.push(`${p.peakPerSecond} calls/s > 20`)
    if (p.nodes >= LIMITS.nodes) over.push(`${p.nodes} nodes ≥ 1000`)
    if (p.depth >= LIMITS.depth) over.push(`depth ${p.depth} ≥ 30`)
    failures.push(...over.map((o) => `${p.label}: ${o}`))
    return [
      p.label,
      `${p.load.calls} (${kb(p.load.totalBytes)})`,
      kb(p.load.maxBytes),
      String(p.live.calls),
      p.live.calls ? kb(p.live.maxBytes) : '–',
      String(p.peakPerSecond),
      String(p.nodes),
      String(p.depth),
      over.length ? `✖ ${over.join('; ')}` : '✔',
    ]
  })
  return {
    columns: [
      'page',
      'load: setData calls (bytes)',
      'load: largest',
      'live 10 s: calls',
      'live: largest',
      'peak calls/s',
      'nodes',
      'depth',
      'limits',
    ],
    rows,
    failures,
  }
}
