/**
 * The instruction metric on the real fixture crate: its gungraun bench `iai`
 * run under the real Valgrind and gungraun-runner, base against head in a real
 * git worktree. Counts do not move with load, so these tests assert exact
 * verdicts: an A/A compare passes with every case unchanged, and a head doing
 * 1 % more work in one case fails on that case alone.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../../src/core/shared/errors.js'
import { silentLogger } from '../../../../src/core/shared/logger.js'
import { gungraunTarget } from '../../../../src/core/perf/measure/gungraun-setup.js'
import { renderPerfConsole } from '../../../../src/core/perf/render/console.js'
import { runPerfCompare, runPerfSnapshot } from '../../../../src/core/perf/run.js'
import { resolvePerfSettings, type PerfSettings } from '../../../../src/core/perf/settings.js'
import {
  IAI_BENCH,
  perfRepo,
  SLOW1_CASE,
  warmPerfRepo,
  worktrees,
  type PerfRepoTag
} from '../../../harness/perf-repo.js'

/** Settings as flags would give them: metric instructions on the `iai` bench, defaults otherwise. */
async function settings(
  tag: PerfRepoTag,
  flags: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {}
): Promise<PerfSettings> {
  const repo = perfRepo(tag)
  const all: Record<string, string> = {
    metric: 'instructions',
    bench: IAI_BENCH,
    'base-ref': 'base',
    'out-dir': mkdtempSync(join(tmpdir(), 'mace-instr-')),
    ...flags
  }
  return resolvePerfSettings({ get: n => all[n], describe: n => `flag --${n}` }, env, repo, repo)
}

const deps = (env: NodeJS.ProcessEnv = {}): Parameters<typeof runPerfCompare>[1] => ({
  logger: silentLogger,
  env: { ...process.env, ...env }
})

describe('perf gate on instruction counts of the fixture', () => {
  beforeAll(warmPerfRepo)

  it('passes an A/A compare with every case unchanged, at the default 1 % threshold', async () => {
    const s = await settings('aa')
    expect(s.regressPct).toBe(1)
    const result = await runPerfCompare(s, deps())
    expect(result.reasons).toEqual([])
    expect(result.passed).toBe(true)
    expect(result.metric).toBe('instructions')
    expect(result.rounds).toBe(1)
    expect(result.counts.compared).toBe(8)
    expect(result.cases.map(c => c.verdict)).toEqual(Array(8).fill('unchanged'))
    for (const c of result.cases) {
      expect(c.baseInstructions).toBeGreaterThan(100_000)
      expect(c.baseNs).toBeUndefined()
      // The same code built in two places: the counts agree to far below the threshold.
      expect(Math.abs(c.delta_pct!)).toBeLessThan(0.1)
      expect(c.callgrind?.EstimatedCycles?.base).toBeGreaterThan(0)
    }
    const text = renderPerfConsole(result)
    expect(text).toContain('perf compare (instructions): PASS')
    expect(text).toMatch(/UNCHANGED +iai::store::open::k16_v16_100 +[\d,]+ +[\d,]+ +/)
    expect(text).toContain('threshold gate on instructions, one run per side, threshold 1 %')
    expect(worktrees()).toHaveLength(1)
  })

  it('fails a head doing 1 % more work in one case, naming that case alone', async () => {
    const s = await settings('slow1')
    const result = await runPerfCompare(s, deps())
    expect(result.passed).toBe(false)
    expect(result.cases.filter(c => c.verdict === 'regressed').map(c => c.id)).toEqual([SLOW1_CASE])
    const slow = result.cases[0]!
    expect(slow.id).toBe(SLOW1_CASE)
    expect(slow.delta_pct).toBeGreaterThan(1)
    expect(slow.delta_pct).toBeLessThan(1.5)
    expect(slow.headInstructions! - slow.baseInstructions!).toBeGreaterThan(0)
    expect(slow.reason).toMatch(/^\+1\.\d\d% is above the 1% threshold$/)
    expect(result.reasons.join(' ')).toContain(SLOW1_CASE)
    expect(renderPerfConsole(result)).toContain(`REGRESSED  ${SLOW1_CASE}`)
  })

  it('writes the summary files in the reference shape, saying their unit is instructions', async () => {
    const s = await settings('aa', { 'compare-filters': 'put,*::get::*' })
    const result = await runPerfCompare(s, deps())
    // `put` has no wildcard, so it matches ids containing it; `*::get::*` goes to gungraun as is.
    expect(result.cases.map(c => c.id).sort()).toEqual([
      'iai::store::get::k100_v1024_1000',
      'iai::store::get::k16_v16_1000',
      'iai::store::put::k100_v1024_100',
      'iai::store::put::k16_v16_1000'
    ])
    expect(result.counts.compared).toBe(4)
    const file = JSON.parse(readFileSync(join(s.outDir, 'base_summary.json'), 'utf8')) as {
      count: number
      unit: string
      cases: Record<string, { median_ns: number; mean_ns: number }>
    }
    expect(file.unit).toBe('instructions')
    expect(file.count).toBe(4)
    const put = file.cases['iai::store::put::k16_v16_1000']!
    const compared = result.cases.find(c => c.id === 'iai::store::put::k16_v16_1000')!
    expect(put).toEqual({
      median_ns: compared.baseInstructions,
      mean_ns: compared.baseInstructions
    })
    expect(readFileSync(join(s.outDir, 'head.bench.log'), 'utf8')).toContain('Instructions:')
  })

  it('takes a snapshot of the counts with their p50 and p95', async () => {
    const s = await settings('aa', { mode: 'snapshot' })
    const result = await runPerfSnapshot(s, deps())
    expect(result.passed).toBe(true)
    expect(result.metric).toBe('instructions')
    expect(result.count).toBe(8)
    const file = JSON.parse(readFileSync(s.output, 'utf8')) as Record<string, unknown>
    expect(file).toMatchObject({ count: 8, unit: 'instructions', p50: result.p50, p95: result.p95 })
    expect(renderPerfConsole(result)).toContain('instructions (of the counts)')
  })

  it("hands the threshold file's keys to the gungraun bench: a knob the file sets shapes the counts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mace-thresholds-')), 'perf_thresholds.env')
    // Twice the puts in one case, set the way a maintainer sets a bench knob in this file.
    writeFileSync(file, `MINI_KV_BENCH_SLOW='${SLOW1_CASE}=100'\n`)
    const plain = await runPerfSnapshot(await settings('aa', { mode: 'snapshot' }), deps())
    const s = await settings('aa', { mode: 'snapshot', 'threshold-file': file })
    const knobbed = await runPerfSnapshot(s, deps())
    const count = (r: typeof plain, id: string): number =>
      r.metric === 'instructions' ? r.cases.find(c => c.id === id)!.instructions : NaN
    expect(count(knobbed, SLOW1_CASE) / count(plain, SLOW1_CASE)).toBeGreaterThan(1.5)
    const other = 'iai::store::get::k16_v16_1000'
    // Counts are exact, not immutable: a case the knob does not name moves by far less than 0.1 %.
    expect(Math.abs(count(knobbed, other) / count(plain, other) - 1)).toBeLessThan(0.001)
    expect(knobbed.benchEnv).toEqual({
      MINI_KV_BENCH_SLOW: { from: `${file}:1`, value: `${SLOW1_CASE}=100` }
    })
  })
})

describe('perf gate on instruction counts refuses what it cannot run, naming the fix', () => {
  beforeAll(warmPerfRepo)

  it('without Valgrind', async () => {
    const env = { GUNGRAUN_VALGRIND_BIN: '/nonexistent/valgrind' }
    const s = await settings('aa', {}, env)
    await expect(runPerfCompare(s, deps(env))).rejects.toThrow(
      /Valgrind does not run .*not found.*apt-get install -y valgrind/
    )
  })

  it('with a gungraun-runner of another version than the crate’s gungraun', async () => {
    // A runner that says it is 0.19.4, standing where GUNGRAUN_RUNNER points the bench binary.
    const dir = mkdtempSync(join(tmpdir(), 'mace-runner-'))
    const runner = join(dir, 'gungraun-runner')
    writeFileSync(runner, '#!/bin/sh\necho "gungraun-runner 0.19.4"\n')
    chmodSync(runner, 0o755)
    const env = { GUNGRAUN_RUNNER: runner }
    const s = await settings('aa', {}, env)
    await expect(runPerfCompare(s, deps(env))).rejects.toThrow(
      /gungraun-runner 0\.19\.4 .*is not the version of the crate's gungraun 0\.20\.0.*cargo install gungraun-runner --version 0\.20\.0 --locked/
    )
    const missing = { GUNGRAUN_RUNNER: join(dir, 'nothing-here') }
    await expect(runPerfCompare(s, deps(missing))).rejects.toThrow(
      /does not run \(not found\).*cargo install gungraun-runner --version 0\.20\.0 --locked/
    )
  })

  it('with a bench target that is not a gungraun bench', async () => {
    const s = await settings('aa', { bench: 'perf' })
    const run = runPerfCompare(s, deps())
    await expect(run).rejects.toThrow(InputError)
    await expect(run).rejects.toThrow(
      /^Invalid input 'bench' .*: 'perf' \(.*benches\/perf\.rs\) is a Criterion bench .*; input 'metric' .* is instructions, .* Accepted: set input 'metric' .* to walltime, or name another bench\.$/
    )
    expect(worktrees()).toHaveLength(1)
  })

  it('with a bench target whose package does not depend on gungraun', async () => {
    const crate = mkdtempSync(join(tmpdir(), 'mace-nogungraun-'))
    mkdirSync(join(crate, 'src'))
    mkdirSync(join(crate, 'benches'))
    writeFileSync(
      join(crate, 'Cargo.toml'),
      '[package]\nname = "plain"\nversion = "0.1.0"\nedition = "2021"\n\n' +
        '[[bench]]\nname = "b"\nharness = false\n\n[workspace]\n'
    )
    writeFileSync(join(crate, 'src', 'lib.rs'), '')
    writeFileSync(join(crate, 'benches', 'b.rs'), 'fn main() {}\n')
    await expect(gungraunTarget(crate, process.env, 'b')).rejects.toThrow(
      /Invalid bench 'b' for metric instructions: its package plain does not depend on gungraun/
    )
    await expect(gungraunTarget(crate, process.env, 'nope')).rejects.toThrow(
      /no bench target of that name .*\(bench targets: b\)/
    )
  })

  it('when gungraun wrote no summary (a filter matching no benchmark)', async () => {
    const s = await settings('aa', { 'compare-filters': 'no_such_case' })
    await expect(runPerfCompare(s, deps())).rejects.toThrow(
      /gungraun wrote no benchmark summary for the base of bench 'iai': check that the filters no_such_case match benchmarks/
    )
    expect(worktrees()).toHaveLength(1)
  })
})
