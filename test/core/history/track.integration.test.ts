/**
 * `mace-actions perf track` on the real fixture: six runs over six commits
 * of a default branch, the fourth of which makes two cases of the gungraun
 * bench do 10 % more work. Instruction counts do not move with load, so the
 * result is exact: once the new level has lasted three points, track.json
 * names exactly those two cases at the fourth commit; a run after it finds the
 * same shifts and does not call them new; the history stays a few small files;
 * its page draws one chart per case in headless Chromium, from the disk.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { beforeAll, describe, expect, it } from 'vitest'
import historyTrackSchema from '../../../schemas/history-track.schema.json' with { type: 'json' }
import { main } from '../../../src/cli/main.js'
import type { TrackResult } from '../../../src/core/history/results.js'
import { checkDocument } from '../../../src/core/shared/document-check.js'
import { IAI_CASES } from '../../../scripts/bench/fixture-variants.js'
import { attributes, openFile, scrollThrough, screenshot } from '../../harness/browser.js'
import {
  IAI_BENCH,
  PERF_REPO,
  perfRepo,
  QUICK_BENCH_ARGS,
  TRACK_SLOW_CASES,
  TRACK_SLOW_PCT,
  warmPerfRepo
} from '../../harness/perf-repo.js'

const SCREENSHOTS = resolve(import.meta.dirname, '../../..', '.tmp', 'screenshots')

/** Runs `mace-actions perf track` on the fixture at `tag`; returns the exit code and track.json. */
async function track(
  tag: `track${number}`,
  historyDir: string,
  outDir: string
): Promise<{ code: number; result: TrackResult; out: string }> {
  const repo = perfRepo(tag as 'track1')
  const out = new PassThrough()
  const chunks: Buffer[] = []
  out.on('data', (c: Buffer) => chunks.push(c))
  const args = ['perf', 'track', '--metric', 'instructions', '--bench', IAI_BENCH]
  const code = await main([...args, '--history-dir', historyDir, '--out-dir', outDir, '--quiet'], {
    env: process.env,
    cwd: repo,
    out,
    err: out
  })
  const text = readFileSync(join(outDir, 'track.json'), 'utf8')
  const result = checkDocument<TrackResult>(text, 'track.json', {
    name: 'perf track results document (track.json)',
    schemaFile: 'schemas/history-track.schema.json',
    schema: historyTrackSchema,
    tool: 'mace-actions perf',
    schemaVersion: 1
  })
  return { code, result, out: Buffer.concat(chunks).toString('utf8') }
}

const shaOf = (tag: string): string =>
  execFileSync('git', ['rev-parse', `${tag}^{commit}`], { cwd: PERF_REPO, encoding: 'utf8' }).trim()

describe('perf track over six commits, the fourth slowing two cases', () => {
  const historyDir = mkdtempSync(join(tmpdir(), 'mace-history-'))
  const outDir = mkdtempSync(join(tmpdir(), 'mace-track-out-'))
  const results: TrackResult[] = []

  beforeAll(async () => {
    await warmPerfRepo()
    for (const n of [1, 2, 3, 4, 5, 6]) {
      const { code, result, out } = await track(`track${n}`, historyDir, outDir)
      expect(code, out).toBe(0)
      results.push(result)
    }
  })

  it('adds one point per run, each of all eight cases at its commit', () => {
    expect(results.map(r => r.passed)).toEqual(Array(6).fill(true))
    for (const [i, r] of results.entries()) {
      expect(r.added).toHaveLength(1)
      expect(r.added[0]!.commit).toBe(shaOf(`track${i + 1}`))
      expect(Object.keys(r.added[0]!.cases).sort()).toEqual([...IAI_CASES].sort())
      expect(r.seriesPoints).toBe(i + 1)
      expect(r.fingerprint.metric).toBe('instructions')
    }
    expect(results[0]!.newSeries?.change).toBe('the first point of this series in the history')
    expect(results.slice(1).every(r => r.newSeries === undefined)).toBe(true)
  })

  it('names no shift until the new level has lasted three points', () => {
    for (const r of results.slice(0, 5)) expect(r.shifts).toEqual([])
  })

  it('then names exactly the two slowed cases, at the fourth commit', () => {
    const { shifts } = results[5]!
    expect(shifts.map(s => s.id).sort()).toEqual([...TRACK_SLOW_CASES].sort())
    for (const s of shifts) {
      expect(s.firstCommit).toBe(shaOf('track4'))
      expect(s.lastCommitBefore).toBe(shaOf('track3'))
      expect(s.new).toBe(true)
      expect([s.pointsBefore, s.pointsAfter]).toEqual([3, 3])
      // 10 % more operations; the setup callgrind does not count keeps it near 10 %.
      expect(s.delta_pct).toBeGreaterThan(TRACK_SLOW_PCT * 0.9)
      expect(s.delta_pct).toBeLessThan(TRACK_SLOW_PCT * 1.3)
      expect(s.after).toBeGreaterThan(s.before)
    }
  })

  it('does not call the same shifts new on the next run', async () => {
    const again = await track('track6', historyDir, outDir)
    expect(again.code).toBe(0)
    expect(again.result.shifts.map(s => [s.id, s.firstCommit, s.new]).sort()).toEqual(
      [...TRACK_SLOW_CASES].sort().map(id => [id, shaOf('track4'), false])
    )
    expect(again.out).toContain('shifts (2):')
  })

  it('leaves a bounded history: one month file, the page, and little else', () => {
    const files = readdirSync(historyDir, { recursive: true, withFileTypes: true })
      .filter(e => e.isFile())
      .map(e => join(e.parentPath, e.name).slice(historyDir.length + 1))
      .sort()
    const month = files.filter(f => /^perf\/iai\/instructions\/\d{4}-\d{2}\.jsonl$/.test(f))
    expect(month).toHaveLength(1)
    expect(files).toEqual(
      [
        '.nojekyll',
        'README.md',
        'data.js',
        'history.json',
        'index.html',
        month[0]!,
        'perf/iai/instructions/shifts.json'
      ].sort()
    )
    const lines = readFileSync(join(historyDir, month[0]!), 'utf8').trim().split('\n')
    expect(lines).toHaveLength(7)
    const bytes = files.reduce((n, f) => n + statSync(join(historyDir, f)).size, 0)
    expect(bytes).toBeLessThan(64 * 1024)
  })

  it('keeps the snapshot and fails, saying why, when the history cannot be written', async () => {
    const repo = perfRepo('track1')
    const out = mkdtempSync(join(tmpdir(), 'mace-track-out-'))
    const sink = new PassThrough()
    sink.resume()
    // No remote named origin here: the branch cannot be fetched nor pushed.
    const code = await main(
      [
        'perf',
        'track',
        '--metric',
        'instructions',
        '--bench',
        IAI_BENCH,
        '--history-branch',
        'mace-actions-data',
        '--out-dir',
        out,
        '--quiet'
      ],
      { env: process.env, cwd: repo, out: sink, err: sink }
    )
    expect(code).toBe(1)
    const result = JSON.parse(readFileSync(join(out, 'track.json'), 'utf8')) as TrackResult
    expect(result.passed).toBe(false)
    expect(result.added).toEqual([])
    expect(result.reasons[0]).toMatch(
      /^The point could not be written to the history: git ls-remote/
    )
    const snapshot = JSON.parse(readFileSync(join(out, 'snapshot.json'), 'utf8')) as {
      count: number
    }
    expect(snapshot.count).toBe(IAI_CASES.length)
  })

  it('has a page that draws one chart per case in Chromium, offline, with the shifts marked', async () => {
    const opened = await openFile(join(historyDir, 'index.html'))
    try {
      await scrollThrough(opened.page)
      expect(opened.errors).toEqual([])
      expect(opened.remoteRequests).toEqual([])
      expect(await opened.page.locator('.case').count()).toBe(IAI_CASES.length)
      expect(await opened.page.locator('.case[data-drawn="true"]').count()).toBe(IAI_CASES.length)
      for (const d of await attributes(opened.page.locator('path.line'), 'd')) {
        expect(d.split('L')).toHaveLength(7)
      }
      const marked = await attributes(
        opened.page.locator('.case:has(text.shift-label)'),
        'data-case'
      )
      expect(marked.sort()).toEqual([...TRACK_SLOW_CASES].sort())
      await screenshot(opened.page, join(SCREENSHOTS, 'history-track-fixture.png'))
    } finally {
      await opened.close()
    }
  })
})

describe('perf track on wall time', () => {
  beforeAll(warmPerfRepo)

  it("adds each Criterion case's median with its confidence interval", async () => {
    const repo = perfRepo('track1')
    const historyDir = mkdtempSync(join(tmpdir(), 'mace-history-'))
    const outDir = mkdtempSync(join(tmpdir(), 'mace-track-out-'))
    const sink = new PassThrough()
    sink.resume()
    const code = await main(
      [
        'perf',
        'track',
        `--bench-args=${QUICK_BENCH_ARGS} Put/`,
        '--history-dir',
        historyDir,
        '--out-dir',
        outDir,
        '--quiet'
      ],
      { env: { ...process.env, MINI_KV_BENCH_QUICK: '1' }, cwd: repo, out: sink, err: sink }
    )
    expect(code).toBe(0)
    const result = JSON.parse(readFileSync(join(outDir, 'track.json'), 'utf8')) as TrackResult
    expect(result.fingerprint.metric).toBe('walltime')
    expect(result.rule.shiftPct).toBe(5)
    const cases = Object.entries(result.added[0]!.cases)
    expect(cases.length).toBeGreaterThan(0)
    for (const [id, figure] of cases) {
      expect(id).toMatch(/^Put\//)
      expect(Array.isArray(figure), id).toBe(true)
      const [value, low, high] = figure as [number, number, number]
      expect(low).toBeLessThanOrEqual(value)
      expect(high).toBeGreaterThanOrEqual(value)
      expect(low).toBeGreaterThan(0)
    }
    expect(readFileSync(join(historyDir, 'data.js'), 'utf8')).toContain('"metric":"walltime"')
  })
})
