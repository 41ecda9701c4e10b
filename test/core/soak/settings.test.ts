/**
 * Resolving a soak's settings: input (or flag), then the reference SOAK_*
 * environment variable, then the prod_soak.sh default; durations take units;
 * the layers and perf snapshots inherit the soak's threads, timeouts and
 * metrics directory.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import type { SettingSource } from '../../../src/core/shared/setting-reader.js'
import { resolveSoakSettings, type SoakSettings } from '../../../src/core/soak/settings.js'

let cwd: string

beforeAll(() => {
  cwd = mkdtempSync(join(tmpdir(), 'soak-settings-'))
})

afterAll(() => {
  rmSync(cwd, { recursive: true, force: true })
})

/** A source like action inputs: every unset input reads as ''. */
function inputs(values: Record<string, string> = {}): SettingSource {
  // An unset input reads as its action.yml default: '' for most, 'auto' for features.
  const defaults: Record<string, string> = { features: 'auto' }
  return {
    get: name => values[name] ?? defaults[name] ?? '',
    describe: name => `input '${name}'`
  }
}

function resolve(
  values: Record<string, string> = {},
  env: NodeJS.ProcessEnv = {}
): Promise<SoakSettings> {
  return resolveSoakSettings(inputs(values), env, cwd)
}

/** The message of the InputError the settings are rejected with. */
async function rejection(
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): Promise<string> {
  try {
    await resolve(values, env)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('expected the settings to be rejected')
}

describe('defaults', () => {
  it('with nothing set, the soak is prod_soak.sh with its defaults', async () => {
    const s = await resolve()
    expect(s).toMatchObject({
      durationSecs: 21600,
      maxCycles: 0,
      chaosEvery: 3,
      perfEvery: 1,
      pauseSecs: 5,
      failFast: false,
      postCheck: true,
      driftPct: 10,
      driftAction: 'warn',
      driftWarmup: 1,
      metricsDir: join(cwd, 'target/prod_soak')
    })
    expect(s.deadlineSecs).toBeUndefined()
    expect(s.test.threads).toBe(8)
    expect(s.test.timeouts).toEqual({ build: 1800, fast: 300, stress: 900, chaos: 600 })
    expect(s.test.features).toBe('failpoints')
    expect(s.test.workingDirectory).toBe(cwd)
  })

  it('puts the metrics directory under the working directory', async () => {
    mkdirSync(join(cwd, 'crate'), { recursive: true })
    const s = await resolve({ 'working-directory': 'crate' })
    expect(s.metricsDir).toBe(join(cwd, 'crate/target/prod_soak'))
    expect(s.test.workingDirectory).toBe(join(cwd, 'crate'))
    expect(s.perf.workingDirectory).toBe(join(cwd, 'crate'))
  })

  it('keeps an absolute metrics directory as it is', async () => {
    expect((await resolve({ 'metrics-dir': '/var/soak' })).metricsDir).toBe('/var/soak')
  })
})

describe('precedence: input, then SOAK_* environment variable, then default', () => {
  const ENV = {
    SOAK_DURATION_SECS: '600',
    SOAK_DEADLINE_SECS: '550',
    SOAK_THREADS: '2',
    SOAK_STRESS_TIMEOUT: '90',
    SOAK_CHAOS_TIMEOUT: '80',
    SOAK_FAST_TIMEOUT: '70',
    SOAK_CHAOS_EVERY: '2',
    SOAK_PERF_EVERY: '4',
    SOAK_CYCLE_PAUSE_SECS: '1',
    SOAK_METRICS_DIR: 'out/soak'
  }

  it('takes every reference environment variable when the input is unset', async () => {
    const s = await resolve({}, ENV)
    expect([s.durationSecs, s.deadlineSecs, s.chaosEvery, s.perfEvery, s.pauseSecs]).toEqual([
      600, 550, 2, 4, 1
    ])
    expect(s.test.threads).toBe(2)
    expect(s.test.timeouts).toMatchObject({ stress: 90, chaos: 80, fast: 70 })
    expect(s.metricsDir).toBe(join(cwd, 'out/soak'))
  })

  it('lets an input win over the environment variable', async () => {
    const s = await resolve(
      {
        duration: '30',
        deadline: '20',
        threads: '3',
        'stress-timeout': '11',
        'chaos-timeout': '12',
        'fast-timeout': '13',
        'chaos-every': '5',
        'perf-every': '6',
        'cycle-pause': '0',
        'metrics-dir': 'mine'
      },
      ENV
    )
    expect([s.durationSecs, s.deadlineSecs, s.chaosEvery, s.perfEvery, s.pauseSecs]).toEqual([
      30, 20, 5, 6, 0
    ])
    expect(s.test.threads).toBe(3)
    expect(s.test.timeouts).toMatchObject({ stress: 11, chaos: 12, fast: 13 })
    expect(s.metricsDir).toBe(join(cwd, 'mine'))
  })

  it('reads the soak-only settings from inputs', async () => {
    const s = await resolve({
      'max-cycles': '7',
      'fail-fast': 'true',
      'post-check': 'false',
      'drift-threshold': '2.5',
      'drift-action': 'fail',
      'drift-warmup': '0'
    })
    expect(s).toMatchObject({
      maxCycles: 7,
      failFast: true,
      postCheck: false,
      driftPct: 2.5,
      driftAction: 'fail',
      driftWarmup: 0
    })
  })
})

describe('durations', () => {
  it('accept plain seconds, and s, m and h units, for duration, deadline and pause', async () => {
    const s = await resolve({ duration: '1.5h', deadline: '25m', 'cycle-pause': '90s' })
    expect([s.durationSecs, s.deadlineSecs, s.pauseSecs]).toEqual([5400, 1500, 90])
    expect((await resolve({ duration: '90' })).durationSecs).toBe(90)
    expect((await resolve({}, { SOAK_DURATION_SECS: '5h' })).durationSecs).toBe(18000)
  })

  it('accept the compound durations people write: 5h30m, 1h 30m', async () => {
    const s = await resolve({ duration: '5h30m', deadline: '5h 40m', 'cycle-pause': '1m 30s' })
    expect([s.durationSecs, s.deadlineSecs, s.pauseSecs]).toEqual([19800, 20400, 90])
  })

  it('accept durations for the timeouts too, plain seconds as before', async () => {
    const s = await resolve({
      'stress-timeout': '15m',
      'chaos-timeout': '10m',
      'fast-timeout': '300'
    })
    expect([s.test.timeouts.stress, s.test.timeouts.chaos, s.test.timeouts.fast]).toEqual([
      900, 600, 300
    ])
  })

  it('reject a duration that is not one, naming the input and showing an example', async () => {
    const message = await rejection({ duration: 'abc' })
    expect(message).toBe(
      "Invalid input 'duration': 'abc'. Expected seconds (1 to 1728000) or a duration with units, e.g. '90', '25m', '5h30m' or '1h 30m'."
    )
  })

  it('reject a zero duration or deadline, and name an environment variable that is bad', async () => {
    expect(await rejection({ duration: '0' })).toMatch(/^Invalid input 'duration': '0'/)
    expect(await rejection({ deadline: '0m' })).toMatch(/^Invalid input 'deadline': '0m'/)
    expect(await rejection({}, { SOAK_DURATION_SECS: '6 hourz' })).toMatch(
      /^Invalid environment variable SOAK_DURATION_SECS: '6 hourz'\. .*e\.g\. '90'/
    )
  })

  it('reject a deadline beyond 20 days, which a timer could not wait for', async () => {
    expect((await resolve({ deadline: '480h' })).deadlineSecs).toBe(1_728_000)
    expect(await rejection({ deadline: '600h' })).toMatch(
      /^Invalid input 'deadline': '600h'\. Expected seconds \(1 to 1728000\)/
    )
  })

  it('accept a pause of 0 but not a negative one', async () => {
    expect((await resolve({ 'cycle-pause': '0' })).pauseSecs).toBe(0)
    expect(await rejection({ 'cycle-pause': '-1' })).toMatch(/^Invalid input 'cycle-pause': '-1'/)
  })
})

describe('validation', () => {
  it('accepts an "every" of 0, which disables that step', async () => {
    const s = await resolve({ 'chaos-every': '0', 'perf-every': '0' })
    expect([s.chaosEvery, s.perfEvery]).toEqual([0, 0])
  })

  it('rejects a bad count or timeout naming the input and the accepted range', async () => {
    expect(await rejection({ threads: '0' })).toBe(
      "Invalid input 'threads': '0'. Expected a whole number from 1 to 1024."
    )
    expect(await rejection({ 'chaos-every': 'often' })).toMatch(
      /^Invalid input 'chaos-every': 'often'\. Expected a whole number from 0 to/
    )
    expect(await rejection({}, { SOAK_STRESS_TIMEOUT: '15 mins later' })).toMatch(
      /^Invalid environment variable SOAK_STRESS_TIMEOUT: '15 mins later'\. Expected seconds \(1 to 86400\)/
    )
  })

  it('accepts drift-action warn or fail only', async () => {
    expect(await rejection({ 'drift-action': 'error' })).toBe(
      "Invalid input 'drift-action': 'error'. Expected one of: warn, fail."
    )
  })

  it('rejects a fail-fast that is not true or false', async () => {
    expect(await rejection({ 'fail-fast': 'yes' })).toBe(
      "Invalid input 'fail-fast': 'yes'. Expected true or false (True, TRUE, False and FALSE also work, as in GitHub boolean inputs)."
    )
  })
})

describe('the layers and the perf snapshots', () => {
  it('run the perf snapshots in snapshot mode into <metrics>/perf', async () => {
    const s = await resolve({ 'metrics-dir': 'm', bench: 'speed', 'bench-args': '--noplot -q' })
    expect(s.perf.mode).toBe('snapshot')
    expect(s.perf.outDir).toBe(join(cwd, 'm/perf'))
    expect(s.perf.bench).toBe('speed')
    expect(s.perf.benchArgs).toEqual(['--noplot', '-q'])
  })

  it('measure wall time unless perf-metric, SOAK_PERF_METRIC or MACE_PERF_METRIC says instructions', async () => {
    expect((await resolve()).perf.metric).toBe('walltime')
    for (const s of [
      await resolve({ 'perf-metric': 'instructions', bench: 'iai' }),
      await resolve({}, { SOAK_PERF_METRIC: 'instructions' }),
      await resolve({}, { MACE_PERF_METRIC: 'instructions' })
    ]) {
      expect(s.perf).toMatchObject({ metric: 'instructions', mode: 'snapshot', benchArgs: [] })
    }
    const s = await resolve({ 'perf-metric': 'walltime' }, { MACE_PERF_METRIC: 'instructions' })
    expect(s.perf.metric).toBe('walltime')
  })

  it('reject an unknown perf metric, naming the soak input', async () => {
    expect(await rejection({ 'perf-metric': 'cycles' })).toBe(
      "Invalid input 'perf-metric': 'cycles'. Expected one of: walltime, instructions."
    )
    expect(await rejection({}, { SOAK_PERF_METRIC: 'ns' })).toBe(
      "Invalid environment variable SOAK_PERF_METRIC: 'ns'. Expected one of: walltime, instructions."
    )
  })

  it('leave the perf output directory to MACE_PERF_OUT_DIR when it is set', async () => {
    const s = await resolve({}, { MACE_PERF_OUT_DIR: 'target/perf_gate_soak' })
    expect(s.perf.outDir).toBe(join(cwd, 'target/perf_gate_soak'))
  })

  it("give the layers the soak's threads and timeouts, not action-test's defaults", async () => {
    const s = await resolve({ threads: '4', 'stress-timeout': '100' })
    expect(s.test.threads).toBe(4)
    expect(s.test.timeouts.stress).toBe(100)
    expect(s.test.timeouts.chaos).toBe(600)
  })

  it("pass action-test's inputs on to the layers and read its environment variables", async () => {
    const s = await resolve(
      { features: 'failpoints, extra_check', 'stress-cases': 'stress:stress_put', env: 'A=1' },
      { CHAOS_RETRY: '2', BUILD_TIMEOUT: '99' }
    )
    expect(s.test.features).toBe('failpoints,extra_check')
    expect(s.test.inline.stressCases).toHaveLength(1)
    expect(s.test.env).toEqual({ A: '1' })
    expect(s.test.chaosAttempts).toBe(2)
    expect(s.test.timeouts.build).toBe(99)
  })

  it('read the perf threshold file for the snapshot settings', async () => {
    mkdirSync(join(cwd, 'scripts'), { recursive: true })
    writeFileSync(
      join(cwd, 'scripts/perf_thresholds.env'),
      ': "${MACE_PERF_BENCH_ARGS:=--noplot --sample-size 10}"\n'
    )
    try {
      expect((await resolve()).perf.benchArgs).toEqual(['--noplot', '--sample-size', '10'])
    } finally {
      rmSync(join(cwd, 'scripts'), { recursive: true, force: true })
    }
  })
})
