/**
 * The perf gate on a bench shaped like mace-kv 0.0.28's (test/crates/knob_bench):
 * its budget comes from env knobs that scripts/perf_thresholds.env sets, and
 * is set per group in code, which Criterion prefers to the command-line flags.
 * Real git, real cargo and real Criterion, with the file's quick profile.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { writePerfReports } from '../../../src/core/perf/reports.js'
import type { WalltimeSnapshotResult } from '../../../src/core/perf/results.js'
import { runPerfCompare, runPerfSnapshot } from '../../../src/core/perf/run.js'
import { resolvePerfSettings, type PerfSettings } from '../../../src/core/perf/settings.js'
import {
  compiledCrate,
  KNOB_CASES,
  knobRepo,
  SLOW_KNOB_CASE,
  warmKnobRepo,
  type KnobRepoTag
} from '../../harness/knob-repo.js'

/** Settings as flags would give them (the threshold file does the rest), with an output dir of its own. */
async function settings(tag: KnobRepoTag, flags: Record<string, string>): Promise<PerfSettings> {
  const repo = knobRepo(tag)
  const all: Record<string, string> = {
    'base-ref': 'base',
    'out-dir': mkdtempSync(join(tmpdir(), 'mace-knob-')),
    'min-base-ns': '0',
    ...flags
  }
  return resolvePerfSettings({ get: n => all[n], describe: n => `flag --${n}` }, {}, repo, repo)
}

const quick = { logger: silentLogger }

describe("the perf gate on a bench shaped like mace-kv's (knobs from the threshold file, budget set in code)", () => {
  beforeAll(warmKnobRepo)

  it("hands every key of the threshold file to the bench: a snapshot measures the file's quick profile", async () => {
    const s = await settings('base', { mode: 'snapshot' })
    const result = (await runPerfSnapshot(s, quick)) as WalltimeSnapshotResult
    // MACE_BENCH_ITEMS=2000 names the cases; MACE_BENCH_QUICK=1 gives 10 samples, and
    // MACE_BENCH_MEASURE_SECS=0.2 the time (without them: 100 000 items, 100 samples, 15 s).
    expect(result.cases.map(c => c.id)).toEqual(KNOB_CASES)
    for (const c of result.cases) {
      expect(c.sampleCount).toBe(10)
      expect(c.measuredNs! / 1e9).toBeLessThan(1)
    }
    expect(result.benchEnv).toEqual({
      MACE_PERF_REGRESS_PCT: { from: 'scripts/perf_thresholds.env:3', value: '20' },
      MACE_PERF_MIN_COMPARE_CASES: { from: 'scripts/perf_thresholds.env:4', value: '3' },
      MACE_BENCH_QUICK: { from: 'scripts/perf_thresholds.env:5', value: '1' },
      MACE_BENCH_ITEMS: { from: 'scripts/perf_thresholds.env:6', value: '2000' },
      MACE_BENCH_MEASURE_SECS: { from: 'scripts/perf_thresholds.env:7', value: '0.2' }
    })
  })

  it('lets a variable set in the environment win over the file, as set -a; source does', async () => {
    const s = await settings('base', { mode: 'snapshot' })
    const result = await runPerfSnapshot(s, {
      ...quick,
      env: { ...process.env, MACE_BENCH_ITEMS: '500' }
    })
    expect(result.cases.map(c => c.id)).toEqual([
      'Get/items/500',
      'Insert/items/500',
      'Scan/items/500'
    ])
    expect(result.benchEnv?.MACE_BENCH_ITEMS).toEqual({ from: 'environment' })
  })

  it("plans duet rounds to fit 1.5 × the reference's measuring time, since the flags cannot split this bench's budget, and says so", async () => {
    const s = await settings('aa', {})
    const result = await runPerfCompare(s, quick)
    expect(result.cases.map(c => c.id).sort()).toEqual(KNOB_CASES)
    expect(result.pairing?.mode).toBe('duet')
    const cost = result.cost!
    // The rounds asked for a fifth of Criterion's defaults (20 samples, 1 s); the bench ran its own.
    expect(cost.requested).toEqual({ warmUpSeconds: 0.6, measurementSeconds: 1, sampleSize: 20 })
    expect(cost.observed?.samples).toEqual({ low: 10, high: 10 })
    expect(cost.budgetHonoured).toBe(false)
    expect(cost.timeBudgetMs).toBeCloseTo(1.5 * cost.referenceMs!, 6)
    // A duet round costs about one side's run: more than the one round a sequential plan fits.
    console.log(
      `knob_bench A/A duet: ${cost.roundsRun} rounds + ${cost.remeasureRoundsRun} extra, measuring ${cost.measuringMs} ms, reference (estimated) ${cost.referenceMs} ms, ratio ${(cost.measuringMs / cost.referenceMs!).toFixed(2)}, stopped by ${cost.stoppedBy}, round ms ${cost.roundMs.join(' ')}, paired rounds per case ${result.cases.map(c => `${c.id} ${Math.min(c.baseRounds.length, c.headRounds.length)}`).join(', ')}, cut: ${cost.cut ?? 'none'}`
    )
    // 1.5 × buys 3 duet rounds, the fewest that give a case an interval: every case gets them.
    expect(cost.roundsRun).toBeGreaterThanOrEqual(3)
    for (const c of result.cases) {
      expect(Math.min(c.baseRounds.length, c.headRounds.length), c.id).toBeGreaterThanOrEqual(3)
      expect(c.ci, c.id).toBeDefined()
    }
    expect(cost.cut ?? '').not.toMatch(/paired rounds, the fewest/)
    expect(cost.measuringMs).toBeLessThan(1.5 * cost.referenceMs! * 1.25)
    expect(result.warnings?.[0]).toMatch(
      /^The bench sets its own Criterion budget: Criterion ran 10 samples over [\d.–]+ s per case where 20 over 1 s were asked .*The rounds were planned to fit the time budget of .*, 1\.5 × the reference's measuring time \(the default\), estimated from round 1/
    )
    const reports = writePerfReports(result)
    expect(reports.summary).toContain('- **Measuring** ')
    expect(reports.summary).toContain(
      'the bench sets its own Criterion budget\\; rounds planned to fit'
    )
    expect(reports.summary).toContain('**Warnings**')
  })

  it('plans one sequential round where a duet fits several: a round of both sides is the whole reference', async () => {
    const s = await settings('aa', { pairing: 'sequential' })
    const result = await runPerfCompare(s, quick)
    const cost = result.cost!
    expect(result.pairing).toEqual({ mode: 'sequential' })
    // Its processes' wall times: the round less the moments between them.
    expect(cost.referenceMs).toBeLessThanOrEqual(cost.roundMs[0]!)
    expect(cost.referenceMs).toBeGreaterThan(cost.roundMs[0]! - 100)
    expect(cost.roundsRun).toBe(1)
    expect(cost.cut).toMatch(/^4 of 5 rounds left out to fit the time budget of /)
    // One round gives no interval: every case is inconclusive, and the compare not judged.
    expect(result.outcome).toBe('not-judged')
  })

  it('builds an A/A compare (base and head one commit) once, and measures that binary as both sides', async () => {
    const s = await settings('aa', {
      'base-ref': 'HEAD',
      gate: 'threshold',
      'case-thresholds': 'Insert/**=30\nSacn/**=10'
    })
    const result = await runPerfCompare(s, quick)
    expect(result.sameTree).toBe(true)
    expect(result.baseSha).toBe(result.headSha)
    expect(existsSync(join(s.outDir, 'logs', 'head.build.log'))).toBe(true)
    expect(existsSync(join(s.outDir, 'logs', 'base.build.log'))).toBe(false)
    expect(result.counts.compared).toBe(3)
    // A case-thresholds pattern that matched no compared case is a warning everywhere it shows.
    const warning = `case-thresholds: the pattern 'Sacn/**' matched no compared case`
    expect(result.warnings).toEqual([expect.stringContaining(warning)])
    const reports = writePerfReports(result)
    expect(reports.console).toContain(`warnings:\n  - ${warning}`)
    expect(reports.summary).toContain("the pattern \\'Sacn\\/\\*\\*\\' matched no compared case")
    const onDisk = JSON.parse(readFileSync(join(s.outDir, 'compare.json'), 'utf8')) as {
      warnings: string[]
    }
    expect(onDisk.warnings).toEqual(result.warnings)
  })

  it("never measures the base's binary as the head, rebuilding the crate of whichever side did not build last", async () => {
    const flags = { gate: 'threshold', 'compare-filters': 'Get', 'min-compare-cases': '1' }
    for (const run of ['first', 'second']) {
      const s = await settings('slow', flags)
      const result = await runPerfCompare(s, quick)
      // The head does four times the lookups, compiled in: only its own binary shows that.
      const slow = result.cases.find(c => c.id === SLOW_KNOB_CASE)!
      expect(slow.verdict, run).toBe('regressed')
      expect(slow.delta_pct, run).toBeGreaterThan(100)
      expect(compiledCrate(join(s.outDir, 'logs', 'base.build.log')), run).toBe(true)
      // The base built last in the shared target dir: by mtimes alone cargo could take its
      // artifacts as fresh for the head, so the head's crate is rebuilt (its dependencies are not).
      if (run === 'second') {
        expect(compiledCrate(join(s.outDir, 'logs', 'head.build.log'))).toBe(true)
      }
    }
  })

  it('says a compare whose every case is inconclusive judged nothing, and fails it under inconclusive: fail', async () => {
    // One round gives no interval (three are needed): the 4× slower case is inconclusive. The
    // bench's own budget (0.9 s measuring, a quarter of it warming up) passes a 1 s time budget
    // in one round, so the time budget drops the other planned rounds.
    const s = await settings('slow', {
      'compare-filters': 'Get',
      'min-compare-cases': '1',
      'time-budget': '1s',
      inconclusive: 'fail'
    })
    const env = { ...process.env, MACE_BENCH_MEASURE_SECS: '0.9' }
    const result = await runPerfCompare(s, { ...quick, env })
    expect(result.counts).toMatchObject({ compared: 1, inconclusive: 1 })
    expect(result.cost).toMatchObject({ plannedRounds: 5, roundsRun: 1 })
    expect(result.passed).toBe(false)
    const reports = writePerfReports(result)
    expect(reports.summary.split('\n')[0]).toBe(
      '### ❌ perf gate failed: 1 of 1 compared case could not be judged; no case had the 3 paired rounds an interval needs'
    )
    expect(reports.console).not.toContain('no case regressed')
    expect(reports.console).toMatch(
      /^measuring: .* in 1 round, 4 of 5 planned rounds dropped: the time budget of 1\.0s \(flag --time-budget\) left no room for them/m
    )
  })
})
