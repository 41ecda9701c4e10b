/**
 * The history's files: a point is one line of its month's file, the cap folds
 * the oldest months into one squashed point per month and runner, lines that
 * do not match the schema are reported and kept, never used nor deleted, and
 * the settings refuse what cannot be meant.
 */
import { execFileSync } from 'node:child_process'
import { appendFileSync, existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { capSeries, squashPoints } from '../../../src/core/history/squash.js'
import { valueOf, type SeriesKey } from '../../../src/core/history/point.js'
import { resolveHistorySettings, commitUrlTemplate } from '../../../src/core/history/settings.js'
import { appendPoint, readSeries } from '../../../src/core/history/store.js'
import { InputError } from '../../../src/core/shared/errors.js'
import type { SettingSource } from '../../../src/core/shared/setting-reader.js'
import { synthPoints } from '../../../scripts/bench/history-series.js'

const KEY: SeriesKey = { part: 'perf', bench: 'perf', metric: 'walltime' }
const FOLDER = 'perf/perf/walltime'

describe('the history files', () => {
  it('keep one line per point in the file of its measuring month, read back in commit order', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mace-store-'))
    const points = synthPoints({ cases: 2, days: 40, noise: 0.02, seed: 1 })
    for (const p of [...points].reverse()) appendPoint(dir, KEY, p)
    expect(readdirSync(join(dir, FOLDER)).sort()).toEqual(['2026-01.jsonl', '2026-02.jsonl'])
    const read = readSeries(dir, KEY)
    expect(read.points.map(p => p.commit)).toEqual(points.map(p => p.commit))
    expect(read.unreadable).toEqual([])
  })

  it('fold the oldest months past the cap, one squashed point per month and runner', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mace-store-'))
    // January to April, the runner changing on 20 January.
    const points = synthPoints({ cases: 2, days: 120, noise: 0.02, seed: 2, runnerChangeDay: 19 })
    for (const p of points) appendPoint(dir, KEY, p)
    const outcome = capSeries(dir, KEY, 40)
    // 120 points: January (31), February (28) and March (31) go, leaving April's 30 ≤ 40.
    expect(outcome.squashedMonths).toEqual(['2026-01.jsonl', '2026-02.jsonl', '2026-03.jsonl'])
    const read = readSeries(dir, KEY)
    const squashed = read.points.filter(p => p.squashed)
    // January had two runners; February and March one each.
    expect(squashed.map(p => p.squashed!.points)).toEqual([19, 12, 28, 31])
    expect(read.points.filter(p => !p.squashed)).toHaveLength(points.length - 90)
    const january = points
      .slice(0, 19)
      .map(p => valueOf(p.cases['Put/K16-V16/0']!))
      .sort((a, b) => a - b)
    expect(valueOf(squashed[0]!.cases['Put/K16-V16/0']!)).toBeCloseTo(january[9]!, 0)
    expect(squashed[0]!.squashed!.firstCommit).toBe(points[0]!.commit)
    expect(existsSync(join(dir, FOLDER, '2026-01.jsonl'))).toBe(false)
  })

  it('squash points that are squashed already with their weight', () => {
    const points = synthPoints({ cases: 1, days: 6, noise: 0.02, seed: 3 })
    const once = squashPoints(points.slice(0, 3))
    const twice = squashPoints([...once, ...points.slice(3)])
    expect(twice).toHaveLength(1)
    expect(twice[0]!.squashed).toMatchObject({
      points: 6,
      firstCommit: points[0]!.commit,
      lastCommit: points[5]!.commit
    })
  })

  it('report a line that does not match the schema, and keep it when its month is folded', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mace-store-'))
    const points = synthPoints({ cases: 1, days: 70, noise: 0.02, seed: 4 })
    for (const p of points) appendPoint(dir, KEY, p)
    appendFileSync(join(dir, FOLDER, '2026-01.jsonl'), '{"commit": 42}\nnot json\n')
    const read = readSeries(dir, KEY)
    expect(read.points).toHaveLength(70)
    expect(read.unreadable.map(u => [u.file, u.line])).toEqual([
      [`${FOLDER}/2026-01.jsonl`, 32],
      [`${FOLDER}/2026-01.jsonl`, 33]
    ])
    expect(read.unreadable[0]!.reason).toMatch(/history-point\.schema\.json/)
    capSeries(dir, KEY, 30)
    const kept = readFileSync(join(dir, FOLDER, 'unreadable.jsonl'), 'utf8')
      .trim()
      .split('\n')
    expect(kept.map(l => (JSON.parse(l) as { text: string }).text)).toEqual([
      '{"commit": 42}',
      'not json'
    ])
  })
})

describe('the history settings', () => {
  const source = (values: Record<string, string>): SettingSource => ({
    get: (n: string) => values[n],
    describe: (n: string) => `flag --${n}`
  })
  const defaults = { repoRoot: tmpdir(), metric: 'walltime' as const, env: {} }

  it('take a directory or a branch, not both and not neither', () => {
    expect(resolveHistorySettings(source({ 'history-dir': 'h' }), '/w', defaults).location).toEqual(
      {
        kind: 'directory',
        dir: '/w/h'
      }
    )
    expect(() =>
      resolveHistorySettings(source({ 'history-dir': 'h', 'history-branch': 'b' }), '/w', defaults)
    ).toThrow(/both are set/)
    expect(() => resolveHistorySettings(source({}), '/w', defaults)).toThrow(InputError)
    expect(
      resolveHistorySettings(source({}), '/w', { ...defaults, branch: 'mace-actions-data' })
        .location
    ).toMatchObject({
      kind: 'branch',
      branch: 'mace-actions-data',
      remote: 'origin'
    })
  })

  it('refuse a branch name git does not take, naming the input', () => {
    expect(() =>
      resolveHistorySettings(source({ 'history-branch': 'a..b' }), '/w', defaults)
    ).toThrow("Invalid flag --history-branch: 'a..b' is not a branch name git takes.")
    expect(() =>
      resolveHistorySettings(source({ 'history-branch': '-x' }), '/w', defaults)
    ).toThrow(InputError)
  })

  it('default the smallest shift per metric and bound the cap', () => {
    expect(resolveHistorySettings(source({ 'history-dir': 'h' }), '/w', defaults).shiftPct).toBe(5)
    const counts = resolveHistorySettings(source({ 'history-dir': 'h' }), '/w', {
      ...defaults,
      metric: 'instructions'
    })
    expect(counts.shiftPct).toBe(1)
    expect(() =>
      resolveHistorySettings(
        source({ 'history-dir': 'h', 'history-max-points': '5' }),
        '/w',
        defaults
      )
    ).toThrow("Invalid flag --history-max-points: '5'. Expected a whole number from 30 to 100000.")
  })

  it("link commits to the workflow's repository, else to the origin's web address", () => {
    expect(commitUrlTemplate({ GITHUB_REPOSITORY: 'o/r' }, tmpdir())).toBe(
      'https://github.com/o/r/commit/{sha}'
    )
    const repo = mkdtempSync(join(tmpdir(), 'mace-origin-'))
    execFileSync('git', ['init', '-q', repo])
    expect(commitUrlTemplate({}, repo)).toBeUndefined()
    for (const [url, expected] of [
      ['git@github.com:mace/mace-kv.git', 'https://github.com/mace/mace-kv/commit/{sha}'],
      ['https://github.com/mace/mace-kv.git', 'https://github.com/mace/mace-kv/commit/{sha}'],
      ['https://token@gitlab.example/g/p', 'https://gitlab.example/g/p/commit/{sha}'],
      ['/srv/git/local.git', undefined]
    ] as const) {
      const verb = execFileSync('git', ['remote'], { cwd: repo, encoding: 'utf8' }).trim()
        ? 'set-url'
        : 'add'
      execFileSync('git', ['remote', verb, 'origin', url], { cwd: repo })
      expect(commitUrlTemplate({}, repo)).toBe(expected)
    }
  })
})
