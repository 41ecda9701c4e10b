/**
 * The settings of a test run, resolved once from one source (action inputs or
 * CLI flags), then the reference environment variables, then defaults.
 */
import { isAbsolute, resolve } from 'node:path'
import { InputError } from '../shared/errors.js'
import { featureOrigins, withFeatureFlags } from '../cargo/feature-flags.js'
import {
  settingReader,
  splitArgs,
  type RawSetting,
  type SettingSource
} from '../shared/setting-reader.js'
import type { PlanCase } from './plan.js'
import { splitCaseShorthand } from './case-shorthand.js'
import { parseShard, type Shard } from './shard.js'

/** Test modes: `all` runs fast, then stress, then chaos. */
export const TEST_MODES = ['fast', 'stress', 'chaos', 'all'] as const
export type TestMode = (typeof TEST_MODES)[number]

/** Everything a test run needs, validated. */
export interface TestSettings {
  mode: TestMode
  /** `--test-threads=N`. */
  threads: number
  /** Main feature list (`--features`), `''` for the crate's default features only. */
  features: string
  /**
   * True when `features` is the reference default (`failpoints`), not chosen
   * by the user: the run keeps it only when the crate declares that feature.
   */
  featuresFromDefault: boolean
  /**
   * Run the library's doc tests (`cargo test --doc`) in the fast layer, beside the
   * other fast targets, when a package the run tests has a library with doc tests.
   */
  docTests: boolean
  /**
   * `--all-features` / `--no-default-features` for every cargo command (inputs
   * `all-features`, `no-default-features`); already in `cargoArgs` when set.
   */
  allFeatures: boolean
  noDefaultFeatures: boolean
  /** Per-command timeouts, seconds. */
  timeouts: { build: number; fast: number; stress: number; chaos: number }
  /** Attempts per chaos case (1 = no retry). */
  chaosAttempts: number
  /** Pause between chaos attempts, ms. */
  retryPauseMs: number
  /** SIGTERM → SIGKILL grace when a command times out, ms. */
  killGraceMs: number
  /** Plan file, absolute. */
  planFile?: string
  /** Inline plan pieces; when any is set, they form the plan. */
  inline: { fastTargets?: string[]; stressCases?: PlanCase[]; chaosCases?: PlanCase[] }
  /** Extra environment for every command. */
  env: Record<string, string>
  /** Directory cargo runs in, absolute. */
  workingDirectory: string
  /** Repository root, absolute: annotations are relative to it. */
  repoRoot: string
  /** Extra cargo arguments placed after `cargo test`, e.g. `--release --locked`. */
  cargoArgs: string[]
  /** Where results, logs and JUnit go, absolute. */
  outputDir: string
  /** How the layers run: `cargo test` as the reference does, or cargo-nextest (one process per test). */
  runner: TestRunner
  /** The share of a job matrix this run is; absent, the whole plan runs. */
  shard?: Shard
  /** A nextest archive to run from instead of building (`cargo nextest archive`), absolute. */
  archiveFile?: string
  /** How the user named each setting checked on disk: e.g. `input 'output-dir'`. */
  origins: {
    workingDirectory: string
    outputDir: string
    runner: string
    cargoArgs: string
    archiveFile?: string
    /** Where `all-features`, `no-default-features` and `features` were set, when they were. */
    allFeatures?: string
    noDefaultFeatures?: string
    features?: string
  }
  /**
   * The settings the user gave (input, flag or environment variable), by name, with
   * where each came from: under `runner: nextest` these win over the crate's own
   * `.config/nextest.toml`; the others are our defaults, beneath the crate's.
   */
  given: Partial<Record<GivenSetting, string>>
  /** The profile of the crate's nextest config to run under, when named (`nextest-profile`). */
  nextestProfile?: { name: string; from: string }
  /** A results.json or JUnit file of an earlier run: shards are dealt by its times. */
  shardTimings?: { file: string; from: string }
}

/** The settings that, when given, override a crate's nextest configuration. */
export const GIVEN_SETTINGS = [
  'threads',
  'fast-timeout',
  'stress-timeout',
  'chaos-timeout',
  'chaos-attempts'
] as const
export type GivenSetting = (typeof GIVEN_SETTINGS)[number]

/** The engines a test run can use. */
export const TEST_RUNNERS = ['cargo', 'nextest'] as const
export type TestRunner = (typeof TEST_RUNNERS)[number]

/** The `features` value that asks for the reference default when the crate declares it. */
export const AUTO_FEATURES = 'auto'

/** The reference's default feature list. */
export const REFERENCE_FEATURES = 'failpoints'

export type { SettingSource }

/** Reference environment variables that stand in for a setting. */
const ENV_FALLBACKS: Record<string, string> = {
  features: 'FEATURES',
  'fast-timeout': 'FAST_TIMEOUT',
  'stress-timeout': 'STRESS_TIMEOUT',
  'chaos-timeout': 'CHAOS_TIMEOUT',
  'chaos-attempts': 'CHAOS_RETRY',
  'build-timeout': 'BUILD_TIMEOUT',
  plan: 'MACE_TEST_PLAN',
  // nextest's own variable for its profile, so a job that sets it gets it.
  'nextest-profile': 'NEXTEST_PROFILE'
}

/**
 * The reference script's defaults for the stress knobs (its `: "${KEY:=512}"`
 * lines). The script does not export them, so its tests see them only when
 * the job exports them, as mace-kv's CI job does; we always pass them.
 */
export const STRESS_ENV_DEFAULTS: Record<string, string> = {
  MACE_PROD_BUCKET_STRESS_ROUNDS: '512',
  MACE_PROD_BUCKET_CHURN_ROUNDS: '128',
  MACE_PROD_BUCKET_CHURN_WORKERS: '2',
  MACE_PROD_EVICTOR_STRESS_ROUNDS: '512'
}

/**
 * The environment of every cargo command, lowest precedence first: the
 * stress knobs' reference defaults, the plan file's `env:`, the process
 * environment, then the `env` input (`--env`). A plan's values are defaults,
 * as the reference script's `: "${KEY:=VALUE}"` lines are: a variable the job
 * already sets wins.
 */
export function commandEnv(
  processEnv: NodeJS.ProcessEnv,
  planEnv: Record<string, string>,
  inputEnv: Record<string, string>
): NodeJS.ProcessEnv {
  return { ...STRESS_ENV_DEFAULTS, ...planEnv, ...processEnv, ...inputEnv }
}

/** Resolves and validates all settings; throws InputError naming the bad one. */
export function resolveTestSettings(
  source: SettingSource,
  env: NodeJS.ProcessEnv,
  cwd: string,
  repoRoot?: string
): TestSettings {
  const reader = settingReader(source, ENV_FALLBACKS, env)
  const { read, int } = reader
  const mode = reader.choice('mode', TEST_MODES, 'fast')
  const wd = read('working-directory')
  const workingDirectory = resolve(cwd, wd?.value ?? '.')
  const features = resolveFeatures(source, env)
  const allFeatures = reader.bool('all-features', false)
  const noDefaultFeatures = reader.bool('no-default-features', false)
  const plan = read('plan')
  const outputDir = read('output-dir')?.value
  const runner = reader.choice('runner', TEST_RUNNERS, 'cargo')
  const shard = read('shard')
  const archive = read('archive-file')
  // NEXTEST_PROFILE set for other steps of a job does not concern runner cargo.
  const profile =
    runner === 'nextest' || source.get('nextest-profile')?.trim()
      ? read('nextest-profile')
      : undefined
  const timings = read('shard-timings')
  if (archive && runner !== 'nextest') {
    throw new InputError(
      `Invalid ${archive.from}: '${archive.value}' needs runner 'nextest' (a nextest archive is run by cargo-nextest). Set runner: nextest, or leave archive-file empty.`
    )
  }
  checkRunnerOnly(runner, profile, shard, timings)
  return {
    mode,
    threads: int('threads', 8, 1, 1024),
    ...features,
    docTests: reader.bool('doc-tests', true),
    allFeatures,
    noDefaultFeatures,
    timeouts: {
      build: reader.duration('build-timeout', 1800, 1, 86400),
      fast: reader.duration('fast-timeout', 300, 1, 86400),
      stress: reader.duration('stress-timeout', 600, 1, 86400),
      chaos: reader.duration('chaos-timeout', 300, 1, 86400)
    },
    chaosAttempts: int('chaos-attempts', 3, 1, 100),
    retryPauseMs: 1000,
    killGraceMs: reader.duration('kill-grace', 5, 0, 600) * 1000,
    ...(plan ? { planFile: resolve(workingDirectory, plan.value) } : {}),
    inline: {
      ...optional('fastTargets', listOf(read('fast-targets'), parseTarget)),
      ...optional('stressCases', listOf(read('stress-cases'), parseCase)),
      ...optional('chaosCases', listOf(read('chaos-cases'), parseCase))
    },
    env: parseEnvMap(read('env')),
    workingDirectory,
    repoRoot: repoRoot ?? workingDirectory,
    cargoArgs: withFeatureFlags(cargoArgs(read('cargo-args')), { allFeatures, noDefaultFeatures }),
    outputDir: outputDir
      ? isAbsolute(outputDir)
        ? outputDir
        : resolve(workingDirectory, outputDir)
      : resolve(workingDirectory, 'target', 'mace-actions', 'test'),
    runner,
    ...(shard ? { shard: parseShard(shard.value, shard.from) } : {}),
    ...(archive ? { archiveFile: resolve(workingDirectory, archive.value) } : {}),
    origins: {
      workingDirectory: wd?.from ?? `${source.describe('working-directory')} (default '.')`,
      outputDir: read('output-dir')?.from ?? `${source.describe('output-dir')} (default)`,
      runner: read('runner')?.from ?? `${source.describe('runner')} (default)`,
      cargoArgs: read('cargo-args')?.from ?? source.describe('cargo-args'),
      ...featureOrigins(source, { allFeatures, noDefaultFeatures }, AUTO_FEATURES),
      ...(archive ? { archiveFile: archive.from } : {})
    },
    given: givenSettings(read),
    ...(profile ? { nextestProfile: { name: nextestProfile(profile), from: profile.from } } : {}),
    ...(timings
      ? { shardTimings: { file: resolve(workingDirectory, timings.value), from: timings.from } }
      : {})
  }
}

/** Inputs that mean something only with runner nextest, or with a shard. */
function checkRunnerOnly(
  runner: TestRunner,
  profile: RawSetting | undefined,
  shard: RawSetting | undefined,
  timings: RawSetting | undefined
): void {
  if (profile && runner !== 'nextest') {
    throw new InputError(
      `Invalid ${profile.from}: '${profile.value}' needs runner 'nextest' (a profile of the crate's .config/nextest.toml is cargo-nextest's). Set runner: nextest, or leave nextest-profile empty.`
    )
  }
  if (timings && !shard) {
    throw new InputError(
      `Invalid ${timings.from}: '${timings.value}' without a shard: the earlier run's times only say how to deal tests to the shards of a matrix. Set shard (e.g. '\${{ matrix.shard }}/4'), or leave shard-timings empty.`
    )
  }
}

/** Which of `GIVEN_SETTINGS` the user set, and where. */
function givenSettings(
  read: (name: string) => RawSetting | undefined
): Partial<Record<GivenSetting, string>> {
  const given: Partial<Record<GivenSetting, string>> = {}
  for (const name of GIVEN_SETTINGS) {
    const raw = read(name)
    if (raw) given[name] = raw.from
  }
  return given
}

/** A nextest profile name, as its config's `[profile.NAME]` tables allow. */
function nextestProfile(raw: RawSetting): string {
  if (!/^[A-Za-z0-9_-]+$/.test(raw.value)) {
    throw new InputError(
      `Invalid ${raw.from}: '${raw.value}'. Expected the name of a profile of the crate's .config/nextest.toml (letters, digits, '-' and '_'), e.g. 'ci' or 'default'.`
    )
  }
  return raw.value
}

/**
 * `features`: an explicitly empty value means no extra features; unset or
 * `auto` (action.yml's default) falls back to `FEATURES`, then to the
 * reference default, kept only if the crate declares it.
 */
function resolveFeatures(
  source: SettingSource,
  env: NodeJS.ProcessEnv
): Pick<TestSettings, 'features' | 'featuresFromDefault'> {
  const given = source.get('features')
  if (given !== undefined && given.trim() === '')
    return { features: '', featuresFromDefault: false }
  const fromSource = given?.trim() === AUTO_FEATURES ? undefined : given?.trim()
  const fromEnv = env.FEATURES?.trim() === '' ? undefined : env.FEATURES?.trim()
  const raw: RawSetting | undefined =
    fromSource !== undefined
      ? { value: fromSource, from: source.describe('features') }
      : fromEnv !== undefined
        ? { value: fromEnv, from: 'environment variable FEATURES' }
        : undefined
  if (!raw || raw.value === AUTO_FEATURES) {
    return { features: REFERENCE_FEATURES, featuresFromDefault: true }
  }
  if (!/^[A-Za-z0-9_/-]+( *, *[A-Za-z0-9_/-]+)*$/.test(raw.value)) {
    throw new InputError(
      `Invalid ${raw.from}: '${raw.value}'. Expected a comma-separated list of cargo feature names (e.g. 'failpoints,extra_check'), '${AUTO_FEATURES}' (failpoints when the crate declares it), or an empty value for none.`
    )
  }
  return { features: raw.value.replace(/ *, */g, ','), featuresFromDefault: false }
}

function optional<K extends string, V>(key: K, value: V | undefined): Partial<Record<K, V>> {
  return value === undefined ? {} : ({ [key]: value } as Record<K, V>)
}

/**
 * The items of a list input, each once: a repeat would run twice and report
 * one failure id twice, and is more often a copy of a line where another case
 * was meant than a wish to run it twice, so it is refused, not dropped.
 * @throws InputError naming the input and the repeated item.
 */
function listOf<T>(
  raw: { value: string; from: string } | undefined,
  parse: (item: string, from: string) => T
): T[] | undefined {
  if (!raw) return undefined
  const items = raw.value
    .split(/[\n,]/)
    .map(s => s.trim())
    .filter(s => s !== '')
  const parsed = items.map(s => parse(s, raw.from))
  const keys = parsed.map(p => JSON.stringify(p))
  const repeat = keys.findIndex((k, i) => keys.indexOf(k) !== i)
  if (repeat !== -1) {
    throw new InputError(
      `Invalid ${raw.from}: '${items[repeat]}' is listed twice. Expected each once: a repeat would run twice under one failure id (if another was meant, name that one).`
    )
  }
  return parsed
}

function parseTarget(item: string, from: string): string {
  if (/\s/.test(item) || item === 'bin:') {
    throw new InputError(
      `Invalid ${from}: '${item}'. Expected cargo test targets: an integration test name, 'lib' or 'bin:NAME'.`
    )
  }
  return item
}

function parseCase(item: string, from: string): PlanCase {
  const c = splitCaseShorthand(item)
  if (!c) {
    throw new InputError(
      `Invalid ${from}: '${item}'. Expected 'target:test' (e.g. 'stress:stress_bucket_rounds'), one per line or comma-separated.`
    )
  }
  return c
}

/** `KEY=VALUE` lines into a map; values may hold commas (`RUSTFLAGS`), so lines only. */
function parseEnvMap(raw: { value: string; from: string } | undefined): Record<string, string> {
  const out: Record<string, string> = {}
  if (!raw) return out
  for (const line of raw.value.split('\n')) {
    const t = line.trim()
    if (t === '' || t.startsWith('#')) continue
    const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.*)$/.exec(t)
    if (!m) {
      throw new InputError(
        `Invalid ${raw.from}: line '${t}'. Expected one KEY=VALUE per line, e.g. 'MACE_PROD_BUCKET_STRESS_ROUNDS=64'.`
      )
    }
    out[m[1]!] = m[2]!
  }
  return out
}

/**
 * Splits extra cargo arguments as a shell would: on whitespace, with quoted
 * parts (`--features="a b"`) joining the word they touch.
 */
/** Cargo arguments: shell-style words, and never `--` (test binary arguments are ours). */
function cargoArgs(raw: RawSetting | undefined): string[] {
  const args = splitArgs(raw)
  if (raw && args.includes('--')) {
    throw new InputError(
      `Invalid ${raw.from}: '--' is not allowed. These arguments go to cargo; test binary arguments are set by the action. Expected cargo arguments only, e.g. '--release --locked'.`
    )
  }
  return args
}
