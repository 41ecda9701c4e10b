/**
 * Settings of a soak (SPEC §1 "Soak"): input or flag, then the reference
 * SOAK_* environment variable, then the default. The test layers and the perf
 * snapshots each cycle runs take their own settings from the same source, so a
 * soak accepts the plan, features and bench inputs of action-test and
 * action-perf under the same names.
 */
import { isAbsolute, resolve } from 'node:path'
import { resolvePerfSettings, type PerfSettings } from '../perf/settings.js'
import { settingReader, type SettingReader, type SettingSource } from '../shared/setting-reader.js'
import { resolveTestSettings, type TestSettings } from '../layers/settings.js'
import { resolveHistorySettings, type HistorySettings } from '../history/settings.js'

/** What a drift above the threshold does to the verdict. */
export const DRIFT_ACTIONS = ['warn', 'fail'] as const
export type DriftAction = (typeof DRIFT_ACTIONS)[number]

/** Everything a soak needs, validated. */
export interface SoakSettings {
  /** Cycles start while less than this has elapsed (SOAK_DURATION_SECS). */
  durationSecs: number
  /** Hard stop for the loop, seconds after the start: a running cycle is stopped there. */
  deadlineSecs?: number
  /** Stop after this many cycles (0 = no limit). */
  maxCycles: number
  /** Chaos runs in cycles divisible by this (0 = never). */
  chaosEvery: number
  /** A perf snapshot is taken in cycles divisible by this (0 = never). */
  perfEvery: number
  pauseSecs: number
  /** Stop at the first failed cycle (the reference's behaviour). */
  failFast: boolean
  /** Run the fast layer once the loop ends. */
  postCheck: boolean
  /** Fitted change over the soak, in percent, above which a series drifts. */
  driftPct: number
  driftAction: DriftAction
  /** Perf cycles left out of the trend at the start (warm caches, first compaction). */
  driftWarmup: number
  /** Absolute; CSV, snapshots, results and logs go here. */
  metricsDir: string
  /** The layers' settings: threads and timeouts are the soak's. */
  test: TestSettings
  /**
   * The snapshots' settings (mode snapshot; the output is set per cycle), their metric from
   * `perf-metric` (SOAK_PERF_METRIC): wall time, or instruction counts that load cannot move.
   */
  perf: PerfSettings
  /** Set with `history: true`: where each night's p50/p95 go (the history's `soak/` part). */
  history?: HistorySettings
  /** How the user named each setting checked on disk: e.g. `input 'metrics-dir'`. */
  origins: { metricsDir: string; bench: string; metric: string }
}

const ENV: Record<string, string> = {
  duration: 'SOAK_DURATION_SECS',
  deadline: 'SOAK_DEADLINE_SECS',
  threads: 'SOAK_THREADS',
  'stress-timeout': 'SOAK_STRESS_TIMEOUT',
  'chaos-timeout': 'SOAK_CHAOS_TIMEOUT',
  'fast-timeout': 'SOAK_FAST_TIMEOUT',
  'chaos-every': 'SOAK_CHAOS_EVERY',
  'perf-every': 'SOAK_PERF_EVERY',
  'cycle-pause': 'SOAK_CYCLE_PAUSE_SECS',
  'metrics-dir': 'SOAK_METRICS_DIR',
  'perf-metric': 'SOAK_PERF_METRIC',
  history: 'SOAK_HISTORY'
}

/** Inputs the soak passes on to the test layers under action-test's names. */
const TEST_NAMES = [
  'features',
  'plan',
  'fast-targets',
  'stress-cases',
  'chaos-cases',
  'chaos-attempts',
  'kill-grace',
  'build-timeout',
  'env',
  'cargo-args',
  'working-directory',
  'runner'
]

/** Inputs the soak passes on to the perf snapshots under action-perf's names. */
const PERF_NAMES = [
  'bench',
  'bench-args',
  'threshold-file',
  'build-timeout',
  'run-timeout',
  'cargo-args',
  'working-directory'
]

/** Resolves and validates all settings; throws InputError naming the bad one. */
export async function resolveSoakSettings(
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repoRoot?: string,
  options: { historyBranch?: string } = {}
): Promise<SoakSettings> {
  const r = settingReader(source, ENV, env)
  const durationSecs = r.duration('duration', 21600, 1, MAX_SECONDS)
  const deadlineSecs = r.read('deadline') ? r.duration('deadline', 0, 1, MAX_SECONDS) : undefined
  // action-test's own timeout variables do not apply to a soak (it has SOAK_*_TIMEOUT).
  const testEnv = {
    ...env,
    FAST_TIMEOUT: undefined,
    STRESS_TIMEOUT: undefined,
    CHAOS_TIMEOUT: undefined
  }
  const test = resolveTestSettings(only(source, TEST_NAMES), testEnv, cwd, repoRoot)
  const timeouts = {
    ...test.timeouts,
    fast: r.duration('fast-timeout', 300, 1, 86400),
    stress: r.duration('stress-timeout', 900, 1, 86400),
    chaos: r.duration('chaos-timeout', 600, 1, 86400)
  }
  const metrics = r.string('metrics-dir', 'target/prod_soak')
  const metricsDir = isAbsolute(metrics) ? metrics : resolve(test.workingDirectory, metrics)
  const perf = await soakPerfSettings(r, source, env, cwd, metricsDir, repoRoot)
  return {
    durationSecs,
    ...(deadlineSecs !== undefined ? { deadlineSecs } : {}),
    maxCycles: r.int('max-cycles', 0, 0, 1_000_000),
    chaosEvery: r.int('chaos-every', 3, 0, 1_000_000),
    perfEvery: r.int('perf-every', 1, 0, 1_000_000),
    pauseSecs: r.duration('cycle-pause', 5, 0, 86_400),
    failFast: r.bool('fail-fast', false),
    postCheck: r.bool('post-check', true),
    driftPct: r.number('drift-threshold', 10, 0, 1_000_000),
    driftAction: r.choice('drift-action', DRIFT_ACTIONS, 'warn'),
    driftWarmup: r.int('drift-warmup', 1, 0, 1_000_000),
    metricsDir,
    test: {
      ...test,
      threads: r.int('threads', 8, 1, 1024),
      timeouts,
      given: { ...test.given, ...soakGiven(r) }
    },
    perf,
    ...nightHistory(
      r,
      source,
      env,
      cwd,
      repoRoot ?? test.workingDirectory,
      perf,
      options.historyBranch
    ),
    origins: {
      metricsDir: r.read('metrics-dir')?.from ?? `${source.describe('metrics-dir')} (default)`,
      bench:
        source.get('bench')?.trim() || !env.MACE_PERF_BENCH?.trim()
          ? source.describe('bench')
          : 'environment variable MACE_PERF_BENCH',
      metric: metricOrigin(r, source, env)
    }
  }
}

/** How the user named the snapshots' metric: perf-metric, else MACE_PERF_METRIC, else the default. */
function metricOrigin(r: SettingReader, source: SettingSource, env: NodeJS.ProcessEnv): string {
  const metric = r.read('perf-metric')
  if (metric) return metric.from
  return env.MACE_PERF_METRIC?.trim()
    ? 'environment variable MACE_PERF_METRIC'
    : `${source.describe('perf-metric')} (default walltime)`
}

/**
 * The perf snapshots' settings: action-perf's, in snapshot mode, under the soak's metrics
 * directory; perf-metric (SOAK_PERF_METRIC), else action-perf's MACE_PERF_METRIC, else wall time.
 * Throws InputError naming a bad perf setting.
 */
async function soakPerfSettings(
  r: SettingReader,
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
  metricsDir: string,
  repoRoot?: string
): Promise<PerfSettings> {
  const perfSource = only(source, PERF_NAMES)
  const metric = r.read('perf-metric')
  return resolvePerfSettings(
    {
      get: name =>
        name === 'mode'
          ? 'snapshot'
          : name === 'out-dir' && !env.MACE_PERF_OUT_DIR
            ? resolve(metricsDir, 'perf')
            : name === 'metric'
              ? metric?.value
              : perfSource.get(name),
      describe: name => (name === 'metric' && metric ? metric.from : perfSource.describe(name))
    },
    env,
    cwd,
    repoRoot
  )
}

/**
 * `history` (SOAK_HISTORY): on when set, or when a history directory or branch is given; its
 * place and rule are perf track's (history-dir, history-branch, MACE_HISTORY_*).
 */
function nightHistory(
  r: SettingReader,
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repoRoot: string,
  perf: PerfSettings,
  branch: string | undefined
): { history?: HistorySettings } {
  const given = ['history-dir', 'history-branch'].some(n => (source.get(n) ?? '').trim() !== '')
  if (!r.bool('history', given)) return {}
  const defaults = { repoRoot, metric: perf.metric, env, ...(branch ? { branch } : {}) }
  return { history: resolveHistorySettings(only(source, HISTORY_NAMES), cwd, defaults) }
}

/** Inputs the soak passes on to its history under perf track's names. */
const HISTORY_NAMES = ['history-dir', 'history-branch', 'history-max-points']

/** The source, answering only the names listed (the rest read as unset). */
function only(source: SettingSource, names: readonly string[]): SettingSource {
  const known = new Set(names)
  return {
    get: name => (known.has(name) ? source.get(name) : undefined),
    describe: name => source.describe(name)
  }
}

/** 20 days: longer than any job may run, and within what a Node timer can wait (24.8 days). */
const MAX_SECONDS = 20 * 86_400

/** The soak's own threads and timeouts the user gave (they win over a crate's nextest config). */
function soakGiven(r: SettingReader): TestSettings['given'] {
  const names = ['threads', 'fast-timeout', 'stress-timeout', 'chaos-timeout'] as const
  return Object.fromEntries(
    names.flatMap(name => {
      const raw = r.read(name)
      return raw ? [[name, raw.from]] : []
    })
  )
}
