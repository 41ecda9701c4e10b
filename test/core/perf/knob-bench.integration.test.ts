/**
 * The perf gate on a bench shaped like mace-kv 0.0.28's (test/crates/knob_bench):
 * its budget comes from env knobs that scripts/perf_thresholds.env sets, and
 * is set per group in code, which Criterion prefers to the command-line flags.
 * Real git, real cargo and real Criterion, with the file's quick profile.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { silentLogger } from '../../../src/core/shared/logger.js'
import type { WalltimeSnapshotResult } from '../../../src/core/perf/results.js'
import { runPerfSnapshot } from '../../../src/core/perf/run.js'
import { resolvePerfSettings, type PerfSettings } from '../../../src/core/perf/settings.js'
import { KNOB_CASES, knobRepo, warmKnobRepo, type KnobRepoTag } from '../../harness/knob-repo.js'

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
    expect(result.cases.map(c => c.sampleCount)).toEqual([10, 10, 10])
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
})
