/** Defaults of the perf gate's settings and the Criterion arguments each round gets. */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { runBenchArgs } from '../../../src/core/perf/measure/rounds.js'
import { resolvePerfSettings, type PerfSettings } from '../../../src/core/perf/settings.js'

async function settings(
  given: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {}
): Promise<PerfSettings> {
  const dir = mkdtempSync(join(tmpdir(), 'mace-settings-'))
  return resolvePerfSettings({ get: n => given[n], describe: n => `--${n}` }, env, dir, dir)
}

describe('perf settings', () => {
  it('defaults the noise-aware gate to 5 rounds sharing one budget and at most 10 extra rounds', async () => {
    const s = await settings()
    expect(s).toMatchObject({
      gate: 'noise-aware',
      rounds: 5,
      remeasureRounds: 10,
      splitBudget: true
    })
  })

  it('gives the reference rule one round and no re-measuring', async () => {
    const s = await settings({ gate: 'threshold' })
    expect(s).toMatchObject({ rounds: 1, remeasureRounds: 0 })
  })

  it('refuses rounds that can never give a case an interval under the noise-aware gate, naming both settings', async () => {
    await expect(settings({ rounds: '2', 'remeasure-rounds': '0' })).rejects.toThrow(
      'Invalid rounds 2 (--rounds) with remeasure-rounds 0 (--remeasure-rounds): the noise-aware ' +
        'gate needs at least 3 paired rounds in all (rounds + remeasure-rounds) to give a case an ' +
        'interval, so these settings could never judge one. Expected rounds (1 to 100) and ' +
        'remeasure-rounds (0 to 100) adding up to 3 or more, or gate threshold.'
    )
    await expect(settings({ rounds: '1' }, { MACE_PERF_REMEASURE_ROUNDS: '1' })).rejects.toThrow(
      'Invalid rounds 1 (--rounds) with remeasure-rounds 1 (environment variable MACE_PERF_REMEASURE_ROUNDS)'
    )
    // Three in all can give an interval; the threshold gate judges one round by the reference's rule.
    expect(await settings({ rounds: '1', 'remeasure-rounds': '2' })).toMatchObject({ rounds: 1 })
    expect(await settings({ gate: 'threshold', rounds: '1' })).toMatchObject({ rounds: 1 })
  })

  it('reads MACE_PERF_SPLIT_BUDGET', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mace-settings-'))
    const s = await resolvePerfSettings(
      { get: () => undefined, describe: n => `--${n}` },
      { MACE_PERF_SPLIT_BUDGET: 'false' },
      dir,
      dir
    )
    expect(s.splitBudget).toBe(false)
  })

  it("plans rounds to 1.5 × the reference's measuring time by default, and takes a factor or a duration", async () => {
    expect((await settings()).timeBudget).toEqual({ kind: 'factor', factor: 1.5, from: 'default' })
    expect((await settings({ 'time-budget': '2x' })).timeBudget).toEqual({
      kind: 'factor',
      factor: 2,
      from: '--time-budget'
    })
    expect((await settings({}, { MACE_PERF_TIME_BUDGET: '10m' })).timeBudget).toEqual({
      kind: 'seconds',
      seconds: 600,
      from: 'environment variable MACE_PERF_TIME_BUDGET'
    })
    await expect(settings({ 'time-budget': '0.5x' })).rejects.toThrow(
      "Invalid --time-budget: '0.5x'. Expected a factor of the reference's measuring time from 1x to 100x (e.g. '1.5x'), or a duration of 1 s to 7 days"
    )
    await expect(settings({ 'time-budget': 'soon' })).rejects.toThrow(
      "Invalid --time-budget: 'soon'"
    )
  })

  it('refuses a time budget without its unit, naming both readings', async () => {
    await expect(settings({ 'time-budget': '2' })).rejects.toThrow(
      "Invalid --time-budget: '2' has no unit. Write '2x' for 2 × the reference's measuring time, or a duration with its unit (e.g. '2s', '2m')."
    )
    await expect(settings({}, { MACE_PERF_TIME_BUDGET: '90' })).rejects.toThrow(
      "Invalid environment variable MACE_PERF_TIME_BUDGET: '90' has no unit."
    )
    expect((await settings({ 'time-budget': '90s' })).timeBudget).toMatchObject({ seconds: 90 })
  })

  it('lets a compare with an inconclusive case pass the step by default, and fail when asked', async () => {
    expect((await settings()).inconclusive).toBe('pass')
    expect((await settings({ inconclusive: 'fail' })).inconclusive).toBe('fail')
    expect((await settings({}, { MACE_PERF_INCONCLUSIVE: 'fail' })).inconclusive).toBe('fail')
    await expect(settings({ inconclusive: 'maybe' })).rejects.toThrow(
      "Invalid --inconclusive: 'maybe'. Expected one of: pass, fail."
    )
  })

  it('still reads the old name all-inconclusive, and refuses the two names disagreeing', async () => {
    expect((await settings({}, { MACE_PERF_ALL_INCONCLUSIVE: 'fail' })).inconclusive).toBe('fail')
    expect((await settings({ 'all-inconclusive': 'fail' })).inconclusive).toBe('fail')
    await expect(settings({ 'all-inconclusive': 'maybe' })).rejects.toThrow(
      "Invalid --all-inconclusive: 'maybe'. Expected one of: pass, fail."
    )
    await expect(settings({ inconclusive: 'pass', 'all-inconclusive': 'fail' })).rejects.toThrow(
      "Invalid --all-inconclusive: 'fail' disagrees with --inconclusive: 'pass'"
    )
  })

  it('pairs the rounds as a duet by default, sequential when asked; the threshold gate stays sequential', async () => {
    expect((await settings()).pairing).toBe('duet')
    expect((await settings({ pairing: 'sequential' })).pairing).toBe('sequential')
    expect((await settings({ gate: 'threshold', pairing: 'duet' })).pairing).toBe('sequential')
    await expect(settings({ pairing: 'trio' })).rejects.toThrow(
      "Invalid --pairing: 'trio'. Expected one of: duet, sequential."
    )
  })

  it("judges every case on its own noise by default, and applies the reference's limits to the threshold gate or when set", async () => {
    const noiseAware = await settings()
    expect(noiseAware).toMatchObject({ minBaseNs: 0, minCompareCases: 1 })
    expect(noiseAware.minCompareCasesFrom).toBe('the default of the noise-aware gate')
    const reference = await settings({ gate: 'threshold' })
    expect(reference).toMatchObject({ minBaseNs: 10000, minCompareCases: 6 })
    const set = await settings(
      {},
      { MACE_PERF_MIN_COMPARE_CASES: '4', MACE_PERF_MIN_BASE_NS: '500' }
    )
    expect(set).toMatchObject({ minBaseNs: 500, minCompareCases: 4 })
    expect(set.minCompareCasesFrom).toBe('environment variable MACE_PERF_MIN_COMPARE_CASES')
  })

  it('takes its timeouts as seconds or as durations with units', async () => {
    const s = await settings({ 'build-timeout': '45m', 'run-timeout': '1h 30m' })
    expect([s.buildTimeoutSeconds, s.runTimeoutSeconds]).toEqual([2700, 5400])
    expect((await settings({ 'run-timeout': '600' })).runTimeoutSeconds).toBe(600)
  })
})

describe('runBenchArgs', () => {
  it('divides the budget among the noise-aware rounds', async () => {
    const s = await settings({ 'bench-args': '--noplot --measurement-time 2', rounds: '4' })
    expect(runBenchArgs(s)).toEqual([
      '--noplot',
      '--warm-up-time',
      '0.75',
      '--measurement-time',
      '0.5',
      '--sample-size',
      '25',
      '--nresamples',
      '25000'
    ])
  })

  it('passes the arguments unchanged to the reference rule and when the budget is not split', async () => {
    const args = ['--noplot', '--measurement-time', '2']
    expect(
      runBenchArgs(await settings({ 'bench-args': args.join(' '), gate: 'threshold' }))
    ).toEqual(args)
    expect(
      runBenchArgs(await settings({ 'bench-args': args.join(' '), 'split-budget': 'false' }))
    ).toEqual(args)
  })

  it('measures wall time by default, as the reference does', async () => {
    const s = await settings()
    expect(s).toMatchObject({ metric: 'walltime', regressPct: 20, benchArgs: ['--noplot'] })
  })

  it('counts instructions from --metric or MACE_PERF_METRIC: one run per side, 1 % threshold', async () => {
    for (const s of [
      await settings({ metric: 'instructions' }),
      await settings({}, { MACE_PERF_METRIC: 'instructions' })
    ]) {
      expect(s).toMatchObject({
        metric: 'instructions',
        gate: 'threshold',
        rounds: 1,
        remeasureRounds: 0,
        regressPct: 1,
        minBaseNs: 0,
        benchArgs: []
      })
    }
  })

  it('takes the given threshold and gungraun-runner arguments for instructions, ignoring wall-time knobs', async () => {
    const s = await settings({
      metric: 'instructions',
      'regress-pct': '0.5',
      'bench-args': '--nocapture',
      gate: 'noise-aware',
      rounds: '7'
    })
    expect(s).toMatchObject({
      regressPct: 0.5,
      benchArgs: ['--nocapture'],
      gate: 'threshold',
      rounds: 1
    })
  })

  it('refuses an unknown metric, naming where it came from and what is accepted', async () => {
    await expect(settings({}, { MACE_PERF_METRIC: 'cycles' })).rejects.toThrow(
      "Invalid environment variable MACE_PERF_METRIC: 'cycles'. Expected one of: walltime, instructions."
    )
  })
})
