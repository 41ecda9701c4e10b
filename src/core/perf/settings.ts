/**
 * Settings of a perf run: input or flag, then the reference environment
 * variable, then the threshold file, then the default (SPEC §1 "Perf gate").
 */
import { existsSync } from 'node:fs'
import { isAbsolute, resolve } from 'node:path'
import { parseCaseThresholds } from './judge/case-thresholds.js'
import { checkCompareFilters, splitCompareFilters } from './compare-filters.js'
import { DURATION_EXAMPLES, parseDuration } from '../shared/duration.js'
import { InputError } from '../shared/errors.js'
import { MIN_PAIRED_ROUNDS } from './verdict-rules.js'
import type { GateKind, InconclusiveAction, Pairing, PerfMetric } from './results.js'
import type { CaseThreshold } from './judge/verdict.js'
import {
  settingReader,
  splitArgs,
  type SettingReader,
  type SettingSource
} from '../shared/setting-reader.js'
import { loadThresholdFile, type ThresholdFile } from './judge/threshold-file.js'
import { benchCargoArgs } from './bench-features.js'

/** Perf modes. */
export const PERF_MODES = ['snapshot', 'compare'] as const
export type PerfMode = (typeof PERF_MODES)[number]

/** What a perf run measures (`metric`): Criterion wall time, or gungraun instruction counts. */
export const PERF_METRICS: readonly PerfMetric[] = ['walltime', 'instructions']

/** The default threshold (%) of each metric: instruction counts do not move with load. */
export const DEFAULT_REGRESS_PCT: Record<PerfMetric, number> = { walltime: 20, instructions: 1 }

/** What a compare with an inconclusive case does to the step (`inconclusive`, `all-inconclusive`). */
export const INCONCLUSIVE_ACTIONS: readonly InconclusiveAction[] = ['pass', 'fail']

/** How a round pairs base and head (`pairing`). */
export const PAIRINGS: readonly Pairing[] = ['duet', 'sequential']

/** The default pairing of the noise-aware gate (docs/benchmarks.md says why). */
export const DEFAULT_PAIRING: Pairing = 'duet'

/**
 * The reference's limits, which the threshold gate (and a threshold file or the user) applies:
 * the noise-aware gate judges each case on its own noise, so it skips nothing by default.
 */
export const REFERENCE_LIMITS = { minBaseNs: 10000, minCompareCases: 6 }

/**
 * The measuring time a compare's rounds are planned to fit: a duration, or a factor of the
 * reference's measuring time (one plain run per side, measured).
 */
export type TimeBudget =
  | { kind: 'seconds'; seconds: number; from: string }
  | { kind: 'factor'; factor: number; from: string }

/** The default time budget: 1.5 × the reference's measuring time. */
export const DEFAULT_TIME_BUDGET_FACTOR = 1.5

/** When to post the sticky PR comment. */
export const COMMENT_MODES = ['always', 'on-regression', 'never'] as const
export type CommentMode = (typeof COMMENT_MODES)[number]

/** Everything a perf run needs, validated. */
export interface PerfSettings {
  mode: PerfMode
  /** `walltime` (Criterion, the reference) or `instructions` (gungraun under Valgrind). */
  metric: PerfMetric
  /** Bench target (`cargo bench --bench NAME`): Criterion for walltime, gungraun for instructions. */
  bench: string
  /** Arguments after `--`: for Criterion (walltime) or for gungraun-runner (instructions). */
  benchArgs: string[]
  /**
   * Each is its own run in compare mode; empty = all cases. As written (`\,` already a comma):
   * `=ID` an exact case id; else a Criterion regex for walltime (compare-filters.ts), a gungraun
   * filter for instructions (see `gungraunFilter`).
   */
  compareFilters: string[]
  /** Where compareFilters came from, e.g. "input 'compare-filters'", for errors found later. */
  compareFiltersFrom: string
  baseRef: string
  /** True when baseRef came from the pull_request event (merge base used). */
  baseFromEvent: boolean
  /** Always `threshold` for instructions. */
  gate: GateKind
  /** Planned rounds per side (1 for the reference rule and for instructions). */
  rounds: number
  /**
   * Most extra rounds for the undecided cases (inconclusive, or regressed and not yet measured
   * again), run only while the time budget allows (0 = none).
   */
  remeasureRounds: number
  /** Wall time, noise-aware: `duet` (both sides at once, per case) or `sequential` rounds. */
  pairing: Pairing
  /** Noise-aware rounds share one run's Criterion budget (each gets a `rounds`-th). */
  splitBudget: boolean
  /**
   * What the rounds' measuring may cost: a duration caps it always; a factor of the reference's
   * measuring time applies when the bench sets its own budget (split-budget cannot divide it).
   */
  timeBudget: TimeBudget
  /** What a compare with a case it could not judge does to the step (wall time). */
  inconclusive: InconclusiveAction
  regressPct: number
  caseThresholds: CaseThreshold[]
  maxRegressCases: number
  minCompareCases: number
  /** Where minCompareCases came from: e.g. "input 'min-compare-cases'", or the gate's default. */
  minCompareCasesFrom: string
  minBaseNs: number
  /** Share compiled dependencies between base and head (one target dir). */
  shareBuild: boolean
  buildTimeoutSeconds: number
  /** Seconds per Criterion process. */
  runTimeoutSeconds: number
  workingDirectory: string
  repoRoot: string
  cargoArgs: string[]
  outDir: string
  /** Snapshot file (MACE_PERF_OUTPUT). */
  output: string
  thresholdFile: string
  /** The threshold file's keys, passed on to the builds and bench processes (env wins). */
  thresholdValues: ThresholdFile
  /** How the user named each path, for errors found on disk: e.g. `input 'out-dir'`. */
  origins: { workingDirectory: string; outDir: string; output: string }
}

const ENV: Record<string, string> = {
  'threshold-file': 'MACE_PERF_THRESHOLD_FILE',
  'bench-args': 'MACE_PERF_BENCH_ARGS',
  bench: 'MACE_PERF_BENCH',
  'out-dir': 'MACE_PERF_OUT_DIR',
  output: 'MACE_PERF_OUTPUT',
  'base-ref': 'MACE_PERF_BASE_REF',
  'compare-filters': 'MACE_PERF_COMPARE_FILTERS',
  'regress-pct': 'MACE_PERF_REGRESS_PCT',
  'max-regress-cases': 'MACE_PERF_MAX_REGRESS_CASES',
  'min-compare-cases': 'MACE_PERF_MIN_COMPARE_CASES',
  'min-base-ns': 'MACE_PERF_MIN_BASE_NS',
  gate: 'MACE_PERF_GATE',
  rounds: 'MACE_PERF_ROUNDS',
  'remeasure-rounds': 'MACE_PERF_REMEASURE_ROUNDS',
  'case-thresholds': 'MACE_PERF_CASE_THRESHOLDS',
  'share-build': 'MACE_PERF_SHARE_BUILD',
  'split-budget': 'MACE_PERF_SPLIT_BUDGET',
  'time-budget': 'MACE_PERF_TIME_BUDGET',
  inconclusive: 'MACE_PERF_INCONCLUSIVE',
  'all-inconclusive': 'MACE_PERF_ALL_INCONCLUSIVE',
  pairing: 'MACE_PERF_PAIRING',
  metric: 'MACE_PERF_METRIC'
}

/** Inputs from the event that change defaults (the PR's base). */
export interface PerfEventContext {
  /** The pull request's base commit, on `pull_request` events. */
  pullRequestBaseSha?: string
}

/** Resolves and validates; throws InputError naming the bad setting. */
export async function resolvePerfSettings(
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repoRoot: string | undefined,
  event: PerfEventContext = {}
): Promise<PerfSettings> {
  const bare = settingReader(source, ENV, env)
  const workingDirectory = resolve(cwd, bare.string('working-directory', '.'))
  const fileSetting = bare.read('threshold-file')
  const thresholdFile = resolve(
    workingDirectory,
    fileSetting?.value ?? 'scripts/perf_thresholds.env'
  )
  if (fileSetting && !existsSync(thresholdFile)) {
    throw new InputError(
      `Invalid ${fileSetting.from}: '${fileSetting.value}' does not exist (looked for ${thresholdFile}). Point it at a KEY=VALUE threshold file, or leave it unset.`
    )
  }
  const values = await loadThresholdFile(thresholdFile)
  const r = settingReader(source, ENV, env, { path: thresholdFile, values })
  const mode = r.choice('mode', PERF_MODES, 'compare')
  const metric = r.choice('metric', PERF_METRICS, 'walltime')
  const walltime = metric === 'walltime'
  // Instruction counts are one deterministic run per side: the reference rule is the right one.
  const gate = walltime
    ? r.choice('gate', ['noise-aware', 'threshold'] as const, 'noise-aware')
    : 'threshold'
  const outDir = absolute(workingDirectory, r.string('out-dir', 'target/perf_gate'))
  const baseInput = r.read('base-ref')
  const thresholds = r.read('case-thresholds')
  const regressPct = r.number('regress-pct', DEFAULT_REGRESS_PCT[metric], 0, 10000)
  const benchArgs = r.read('bench-args')
  return {
    mode,
    metric,
    bench: r.string('bench', 'perf'),
    benchArgs: benchArgs
      ? walltime
        ? splitArgs(benchArgs, 'Criterion arguments', '--noplot --measurement-time 2')
        : splitArgs(benchArgs, 'gungraun-runner arguments', '--nocapture')
      : walltime
        ? ['--noplot']
        : [],
    compareFilters: compareFilters(r, walltime),
    compareFiltersFrom: origin(r, source, 'compare-filters'),
    baseRef: baseInput?.value ?? event.pullRequestBaseSha ?? 'origin/master',
    baseFromEvent: !baseInput && event.pullRequestBaseSha !== undefined,
    gate,
    ...roundsOf(r, gate, walltime),
    splitBudget: r.bool('split-budget', true),
    timeBudget: timeBudget(r),
    inconclusive: inconclusiveAction(r),
    regressPct,
    caseThresholds: thresholds ? parseCaseThresholds(thresholds.value, thresholds.from) : [],
    maxRegressCases: r.int('max-regress-cases', 0, 0, 1_000_000),
    ...limits(r, gate, walltime),
    shareBuild: r.bool('share-build', true),
    buildTimeoutSeconds: r.duration('build-timeout', 1800, 1, 86400),
    runTimeoutSeconds: r.duration('run-timeout', 1800, 1, 86400),
    workingDirectory,
    repoRoot: repoRoot ?? workingDirectory,
    cargoArgs: benchCargoArgs(r),
    outDir,
    output: absolute(workingDirectory, r.string('output', `${outDir}/head_snapshot.json`)),
    thresholdFile,
    thresholdValues: values,
    origins: {
      workingDirectory: origin(r, source, 'working-directory'),
      outDir: origin(r, source, 'out-dir'),
      output: origin(r, source, 'output')
    }
  }
}

/**
 * `compare-filters`: comma-separated (`\,` a comma inside one), `=ID` an exact id, checked as
 * Criterion regexes for wall time (compare-filters.ts).
 */
function compareFilters(r: SettingReader, walltime: boolean): string[] {
  const raw = r.read('compare-filters')
  if (!raw) return []
  const filters = splitCompareFilters(raw.value)
  checkCompareFilters(filters, raw.from, walltime)
  return filters
}

/**
 * `time-budget`: a duration with its unit (`90s`, `10m`) or a factor of the reference's measuring
 * time (`1.5x`); default 1.5x. A plain number is refused: `2` could mean either.
 * @throws InputError naming the input and the value, with both forms.
 */
function timeBudget(r: SettingReader): TimeBudget {
  const raw = r.read('time-budget')
  if (!raw) return { kind: 'factor', factor: DEFAULT_TIME_BUDGET_FACTOR, from: 'default' }
  if (/^\d+(?:\.\d+)?$/.test(raw.value.trim())) {
    throw new InputError(
      `Invalid ${raw.from}: '${raw.value}' has no unit. Write '${raw.value.trim()}x' for ` +
        `${raw.value.trim()} × the reference's measuring time, or a duration with its unit ` +
        `(e.g. '${raw.value.trim()}s', '${raw.value.trim()}m').`
    )
  }
  const factor = /^(\d+(?:\.\d+)?)\s*[x×]$/i.exec(raw.value)
  if (factor && Number(factor[1]) >= 1 && Number(factor[1]) <= 100) {
    return { kind: 'factor', factor: Number(factor[1]), from: raw.from }
  }
  const seconds = factor ? undefined : parseDuration(raw.value)
  if (seconds !== undefined && seconds >= 1 && seconds <= 7 * 86400) {
    return { kind: 'seconds', seconds, from: raw.from }
  }
  throw new InputError(
    `Invalid ${raw.from}: '${raw.value}'. Expected a factor of the reference's measuring time ` +
      `from 1x to 100x (e.g. '1.5x'), or a duration of 1 s to 7 days (${DURATION_EXAMPLES}).`
  )
}

/** Planned rounds, extra rounds and pairing: the reference's one run per side for the threshold gate. */
function roundsOf(
  r: SettingReader,
  gate: GateKind,
  walltime: boolean
): Pick<PerfSettings, 'rounds' | 'remeasureRounds' | 'pairing'> {
  if (!walltime) return { rounds: 1, remeasureRounds: 0, pairing: 'sequential' }
  const reference = gate === 'threshold'
  const rounds = r.int('rounds', reference ? 1 : 5, 1, 100)
  const remeasureRounds = r.int('remeasure-rounds', reference ? 0 : 10, 0, 100)
  if (!reference && rounds + remeasureRounds < MIN_PAIRED_ROUNDS) {
    const named = (name: string, value: number): string =>
      `${name} ${value} (${r.read(name)?.from ?? 'default'})`
    throw new InputError(
      `Invalid ${named('rounds', rounds)} with ${named('remeasure-rounds', remeasureRounds)}: ` +
        `the noise-aware gate needs at least ${MIN_PAIRED_ROUNDS} paired rounds in all ` +
        `(rounds + remeasure-rounds) to give a case an interval, so these settings could never ` +
        `judge one. Expected rounds (1 to 100) and remeasure-rounds (0 to 100) adding up to ` +
        `${MIN_PAIRED_ROUNDS} or more, or gate threshold.`
    )
  }
  return {
    rounds,
    remeasureRounds,
    pairing: reference ? 'sequential' : r.choice('pairing', PAIRINGS, DEFAULT_PAIRING)
  }
}

/**
 * min-compare-cases and min-base-ns: the reference's 6 and 10000 ns for the threshold gate (and
 * instructions, which skip nothing), none by default for the noise-aware gate, which judges each
 * case on its own noise; a threshold file or the user's value applies either way.
 */
function limits(
  r: SettingReader,
  gate: GateKind,
  walltime: boolean
): Pick<PerfSettings, 'minCompareCases' | 'minCompareCasesFrom' | 'minBaseNs'> {
  const reference = gate === 'threshold' || !walltime
  const given = r.read('min-compare-cases')
  return {
    minCompareCases: r.int(
      'min-compare-cases',
      reference ? REFERENCE_LIMITS.minCompareCases : 1,
      0,
      1_000_000
    ),
    minCompareCasesFrom:
      given?.from ??
      (reference ? `the default of gate ${gate}` : 'the default of the noise-aware gate'),
    minBaseNs: walltime
      ? r.number('min-base-ns', gate === 'threshold' ? REFERENCE_LIMITS.minBaseNs : 0, 0, 1e15)
      : 0
  }
}

/**
 * `inconclusive` (pass or fail), or its old name `all-inconclusive`; both set differently is an
 * error naming both.
 */
function inconclusiveAction(r: SettingReader): InconclusiveAction {
  const now = r.read('inconclusive')
  const old = r.read('all-inconclusive')
  if (now && old && now.value !== old.value) {
    throw new InputError(
      `Invalid ${old.from}: '${old.value}' disagrees with ${now.from}: '${now.value}'. ` +
        'all-inconclusive is the old name of inconclusive: set one of them (pass or fail).'
    )
  }
  return now
    ? r.choice('inconclusive', INCONCLUSIVE_ACTIONS, 'pass')
    : r.choice('all-inconclusive', INCONCLUSIVE_ACTIONS, 'pass')
}

/** Where a path setting came from, or which input's default it is. */
function origin(r: SettingReader, source: SettingSource, name: string): string {
  return r.read(name)?.from ?? `${source.describe(name)} (default)`
}

function absolute(base: string, path: string): string {
  return isAbsolute(path) ? path : resolve(base, path)
}
