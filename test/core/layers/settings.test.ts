/**
 * Resolving the settings of a test run: an input or flag wins over the
 * reference environment variable, which wins over the reference default; every
 * bad value is rejected with the input's name and what would be accepted.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import {
  commandEnv,
  resolveTestSettings,
  type SettingSource,
  type TestSettings
} from '../../../src/core/layers/settings.js'

const CWD = '/work/repo'

/** A source like action inputs: an unset input reads as its action.yml default ('' for most). */
function inputs(values: Record<string, string> = {}): SettingSource {
  const defaults: Record<string, string> = { features: 'auto' }
  return {
    get: name => values[name] ?? defaults[name] ?? '',
    describe: name => `input '${name}'`
  }
}

/** A source like CLI flags: unset flags are undefined. */
function flags(values: Record<string, string> = {}): SettingSource {
  return { get: name => values[name], describe: name => `flag --${name}` }
}

function resolve(values: Record<string, string> = {}, env: NodeJS.ProcessEnv = {}): TestSettings {
  return resolveTestSettings(inputs(values), env, CWD)
}

function flagsResolve(values: Record<string, string>, env: NodeJS.ProcessEnv = {}): TestSettings {
  return resolveTestSettings(flags(values), env, CWD)
}

/** The message of the InputError the settings are rejected with. */
function rejection(
  values: Record<string, string>,
  env: NodeJS.ProcessEnv = {},
  source: (v: Record<string, string>) => SettingSource = inputs
): string {
  try {
    resolveTestSettings(source(values), env, CWD)
  } catch (error) {
    expect(error).toBeInstanceOf(InputError)
    return (error as InputError).message
  }
  throw new Error('expected the settings to be rejected')
}

describe('defaults', () => {
  it('with nothing set, a run is the reference prod_test.sh fast 8, with the doc tests', () => {
    expect(resolve()).toEqual({
      mode: 'fast',
      threads: 8,
      features: 'failpoints',
      featuresFromDefault: true,
      // prod_test.sh never ran them; `doc-tests: false` runs what it ran.
      docTests: true,
      // Neither cargo switch unless asked for; with one, cargoArgs carries it.
      allFeatures: false,
      noDefaultFeatures: false,
      timeouts: { build: 1800, fast: 300, stress: 600, chaos: 300 },
      chaosAttempts: 3,
      retryPauseMs: 1000,
      killGraceMs: 5000,
      inline: {},
      env: {},
      workingDirectory: CWD,
      repoRoot: CWD,
      cargoArgs: [],
      outputDir: '/work/repo/target/mace-actions/test',
      runner: 'cargo',
      origins: {
        workingDirectory: "input 'working-directory' (default '.')",
        outputDir: "input 'output-dir' (default)",
        runner: "input 'runner' (default)",
        cargoArgs: "input 'cargo-args'"
      },
      given: {}
    } satisfies TestSettings)
  })

  it('blank inputs, and blank environment variables, count as unset', () => {
    const s = resolve(
      { mode: '  ', threads: '' },
      { FEATURES: '', FAST_TIMEOUT: '  ', CHAOS_RETRY: '' }
    )
    expect([s.mode, s.threads, s.features, s.timeouts.fast, s.chaosAttempts]).toEqual([
      'fast',
      8,
      'failpoints',
      300,
      3
    ])
  })
})

describe('precedence: input or flag, then reference environment variable, then default', () => {
  const ENV = {
    FEATURES: 'from_env',
    FAST_TIMEOUT: '11',
    STRESS_TIMEOUT: '12',
    CHAOS_TIMEOUT: '13',
    BUILD_TIMEOUT: '14',
    CHAOS_RETRY: '5',
    MACE_TEST_PLAN: 'env-plan.yml'
  }

  it('the reference environment variables stand in for unset inputs', () => {
    const s = resolve({}, ENV)
    expect(s.features).toBe('from_env')
    expect(s.timeouts).toEqual({ build: 14, fast: 11, stress: 12, chaos: 13 })
    expect(s.chaosAttempts).toBe(5)
    expect(s.planFile).toBe('/work/repo/env-plan.yml')
  })

  it('an input wins over its environment variable', () => {
    const s = resolve(
      {
        features: 'from_input',
        'fast-timeout': '21',
        'stress-timeout': '22',
        'chaos-timeout': '23',
        'build-timeout': '24',
        'chaos-attempts': '1',
        plan: 'input-plan.yml'
      },
      ENV
    )
    expect(s.features).toBe('from_input')
    expect(s.timeouts).toEqual({ build: 24, fast: 21, stress: 22, chaos: 23 })
    expect(s.chaosAttempts).toBe(1)
    expect(s.planFile).toBe('/work/repo/input-plan.yml')
  })

  it('flags take precedence the same way inputs do', () => {
    const s = resolveTestSettings(flags({ 'chaos-timeout': '7' }), ENV, CWD)
    expect(s.timeouts.chaos).toBe(7)
    expect(s.timeouts.fast).toBe(11)
  })

  it('settings the reference script has no variable for ignore look-alike variables', () => {
    const s = resolve({}, { THREADS: '2', MODE: 'all', MACE_TEST_MODE: 'chaos' })
    expect([s.mode, s.threads]).toEqual(['fast', 8])
  })
})

describe('mode and numbers', () => {
  it.each(['fast', 'stress', 'chaos', 'all'])('mode %s is accepted', mode => {
    expect(resolve({ mode }).mode).toBe(mode)
  })

  it('an unknown mode is rejected, naming the input and the four modes', () => {
    expect(rejection({ mode: 'quick' })).toBe(
      "Invalid input 'mode': 'quick'. Expected one of: fast, stress, chaos, all."
    )
  })

  it('surrounding whitespace is ignored', () => {
    const s = resolve({ mode: ' all ', threads: ' 4 ' })
    expect([s.mode, s.threads]).toEqual(['all', 4])
  })

  it('threads, timeouts and attempts take whole numbers within their range', () => {
    const s = resolve({ threads: '1024', 'kill-grace': '0', 'chaos-attempts': '100' })
    expect([s.threads, s.killGraceMs, s.chaosAttempts]).toEqual([1024, 0, 100])
  })

  it('kill grace is given in seconds and kept in milliseconds', () => {
    expect(resolve({ 'kill-grace': '2' }).killGraceMs).toBe(2000)
  })

  it.each([
    ['threads', '0', 'from 1 to 1024'],
    ['threads', '1025', 'from 1 to 1024'],
    ['threads', '-1', 'from 1 to 1024'],
    ['threads', '2.5', 'from 1 to 1024'],
    ['threads', 'eight', 'from 1 to 1024'],
    ['chaos-attempts', '0', 'from 1 to 100']
  ])("input '%s' rejects '%s', naming the accepted range", (name, value, range) => {
    expect(rejection({ [name]: value })).toBe(
      `Invalid input '${name}': '${value}'. Expected a whole number ${range}.`
    )
  })

  it.each([
    ['fast-timeout', '0', '1 to 86400'],
    ['stress-timeout', '1e3', '1 to 86400'],
    ['chaos-timeout', '86401', '1 to 86400'],
    ['build-timeout', '30x', '1 to 86400'],
    ['kill-grace', '601', '0 to 600']
  ])("duration input '%s' rejects '%s', naming the accepted range", (name, value, range) => {
    expect(rejection({ [name]: value })).toBe(
      `Invalid input '${name}': '${value}'. Expected seconds (${range}) or a duration with units, e.g. '90', '25m', '5h30m' or '1h 30m'.`
    )
  })

  it('timeouts take durations with units, as the soak does', () => {
    const s = resolve({ 'build-timeout': '30m', 'stress-timeout': '1h 30m', 'kill-grace': '10s' })
    expect([s.timeouts.build, s.timeouts.stress, s.killGraceMs]).toEqual([1800, 5400, 10000])
  })

  it('a bad value from an environment variable names the variable', () => {
    expect(rejection({}, { CHAOS_RETRY: 'three' })).toBe(
      "Invalid environment variable CHAOS_RETRY: 'three'. Expected a whole number from 1 to 100."
    )
  })

  it('a bad value from a flag names the flag', () => {
    expect(rejection({ threads: '0' }, {}, flags)).toBe(
      "Invalid flag --threads: '0'. Expected a whole number from 1 to 1024."
    )
  })
})

describe('features', () => {
  it('all-features and no-default-features go to every cargo command, once each', () => {
    const s = resolve({
      'all-features': 'true',
      'no-default-features': 'true',
      'cargo-args': '--locked --all-features'
    })
    expect(s.cargoArgs).toEqual(['--locked', '--all-features', '--no-default-features'])
    expect([s.allFeatures, s.noDefaultFeatures]).toEqual([true, true])
    expect(s.origins).toMatchObject({
      allFeatures: "input 'all-features'",
      noDefaultFeatures: "input 'no-default-features'"
    })
    expect(resolve({ 'all-features': 'false' }).cargoArgs).toEqual([])
  })

  it('all-features takes true or false only, named when bad', () => {
    expect(rejection({ 'all-features': 'yes' })).toMatch(/^Invalid input 'all-features': 'yes'/)
  })

  it('a comma-separated list is passed on with the spaces around commas removed', () => {
    expect(resolve({ features: 'failpoints , extra_check,serde/std' }).features).toBe(
      'failpoints,extra_check,serde/std'
    )
  })

  it.each(['failpoints,', 'a b', 'a;b', '"failpoints"'])(
    "'%s' is rejected with an example of a valid list",
    features => {
      expect(rejection({ features })).toBe(
        `Invalid input 'features': '${features}'. Expected a comma-separated list of cargo feature names (e.g. 'failpoints,extra_check'), 'auto' (failpoints when the crate declares it), or an empty value for none.`
      )
    }
  )

  it("unset or 'auto' is the reference default, which the run keeps only if the crate declares it", () => {
    for (const s of [resolve(), resolve({ features: 'auto' }), flagsResolve({})]) {
      expect([s.features, s.featuresFromDefault]).toEqual(['failpoints', true])
    }
  })

  it('an explicitly empty value means no extra features, from an input or a flag', () => {
    for (const s of [resolve({ features: '' }), flagsResolve({ features: '' })]) {
      expect([s.features, s.featuresFromDefault]).toEqual(['', false])
    }
    // FEATURES does not stand in for a value the user set to empty.
    expect(resolve({ features: '' }, { FEATURES: 'failpoints' }).features).toBe('')
  })

  it("FEATURES stands in for an unset or 'auto' input, and is a choice, not a default", () => {
    const s = resolve({ features: 'auto' }, { FEATURES: 'extra_check' })
    expect([s.features, s.featuresFromDefault]).toEqual(['extra_check', false])
  })

  it('a bad FEATURES variable names the variable', () => {
    expect(rejection({}, { FEATURES: 'a;b' })).toMatch(/^Invalid environment variable FEATURES:/)
  })
})

describe('paths', () => {
  it('the working directory, plan and output directory resolve against the working directory', () => {
    const s = resolve({ 'working-directory': 'crates/kv', plan: 'plan.yml', 'output-dir': 'out' })
    expect(s.workingDirectory).toBe('/work/repo/crates/kv')
    expect(s.planFile).toBe('/work/repo/crates/kv/plan.yml')
    expect(s.outputDir).toBe('/work/repo/crates/kv/out')
    expect(s.repoRoot).toBe('/work/repo/crates/kv')
  })

  it('absolute paths are kept, and a given repository root is kept apart', () => {
    const s = resolveTestSettings(
      inputs({ 'working-directory': '/elsewhere', plan: '/plans/p.yml', 'output-dir': '/out' }),
      {},
      CWD,
      '/work'
    )
    expect([s.workingDirectory, s.planFile, s.outputDir, s.repoRoot]).toEqual([
      '/elsewhere',
      '/plans/p.yml',
      '/out',
      '/work'
    ])
  })

  it('the default output directory sits under the working directory target/', () => {
    expect(resolve({ 'working-directory': 'kv' }).outputDir).toBe(
      '/work/repo/kv/target/mace-actions/test'
    )
  })
})

describe('inline plan pieces', () => {
  it('fast targets and cases are read comma- or newline-separated, blanks dropped', () => {
    const s = resolve({
      'fast-targets': 'basic, lib\nbin:mini_kv,\n',
      'stress-cases': 'stress:stress_bucket_rounds\n\nstress:stress_evictor',
      'chaos-cases': ' chaos:chaos_crash_mid_put , bin:mini_kv:tests::chaos_kill '
    })
    expect(s.inline).toEqual({
      fastTargets: ['basic', 'lib', 'bin:mini_kv'],
      stressCases: [
        { target: 'stress', test: 'stress_bucket_rounds' },
        { target: 'stress', test: 'stress_evictor' }
      ],
      chaosCases: [
        { target: 'chaos', test: 'chaos_crash_mid_put' },
        { target: 'bin:mini_kv', test: 'tests::chaos_kill' }
      ]
    })
  })

  it('only the pieces that are set appear', () => {
    expect(resolve({ 'stress-cases': 'stress:stress_a' }).inline).toEqual({
      stressCases: [{ target: 'stress', test: 'stress_a' }]
    })
  })

  it('a case without a target is rejected with the expected form', () => {
    expect(rejection({ 'stress-cases': 'stress_bucket_rounds' })).toBe(
      "Invalid input 'stress-cases': 'stress_bucket_rounds'. Expected 'target:test' (e.g. 'stress:stress_bucket_rounds'), one per line or comma-separated."
    )
    expect(rejection({ 'chaos-cases': 'chaos:' }, {}, flags)).toMatch(
      /^Invalid flag --chaos-cases: 'chaos:'\. Expected 'target:test'/
    )
  })

  it('a case or target listed twice is refused, naming the input and the repeat', () => {
    expect(
      rejection({ 'stress-cases': 'stress:stress_a\nstress:stress_b\nstress: stress_a' })
    ).toBe(
      "Invalid input 'stress-cases': 'stress: stress_a' is listed twice. Expected each once: a repeat would run twice under one failure id (if another was meant, name that one)."
    )
    expect(rejection({ 'fast-targets': 'lib, basic, lib' }, {}, flags)).toMatch(
      /^Invalid flag --fast-targets: 'lib' is listed twice\./
    )
  })

  it('a workspace target names its package first; the split is after it', () => {
    expect(
      resolve({ 'stress-cases': 'alpha/integration:stress_x,alpha/bin:tool:t::y' }).inline
    ).toEqual({
      stressCases: [
        { target: 'alpha/integration', test: 'stress_x' },
        { target: 'alpha/bin:tool', test: 't::y' }
      ]
    })
  })

  it.each(['bin:', 'two words'])("fast target '%s' is rejected with the accepted forms", t => {
    expect(rejection({ 'fast-targets': t })).toBe(
      `Invalid input 'fast-targets': '${t}'. Expected cargo test targets: an integration test name, 'lib' or 'bin:NAME'.`
    )
  })
})

describe('env map', () => {
  it('is read one KEY=VALUE per line; blank lines and # comments are skipped', () => {
    const env = resolve({
      env: [
        '# stress knobs',
        'MACE_PROD_BUCKET_STRESS_ROUNDS=64',
        '',
        '  MACE_PROD_BUCKET_CHURN_WORKERS=4  ',
        'RUSTFLAGS=-C debug-assertions=on,overflow-checks',
        'EMPTY='
      ].join('\n')
    }).env
    expect(env).toEqual({
      MACE_PROD_BUCKET_STRESS_ROUNDS: '64',
      MACE_PROD_BUCKET_CHURN_WORKERS: '4',
      RUSTFLAGS: '-C debug-assertions=on,overflow-checks',
      EMPTY: ''
    })
  })

  it('Windows line endings are accepted', () => {
    expect(resolve({ env: 'A=1\r\nB=2\r\n' }).env).toEqual({ A: '1', B: '2' })
  })

  it('a later line for the same key wins', () => {
    expect(resolve({ env: 'A=1\nA=2' }).env).toEqual({ A: '2' })
  })

  it.each(['JUST_A_NAME', '1BAD=x', 'KEY VALUE', '=value'])(
    "line '%s' is rejected, naming the input and the expected form",
    line => {
      expect(rejection({ env: `OK=1\n${line}` })).toBe(
        `Invalid input 'env': line '${line}'. Expected one KEY=VALUE per line, e.g. 'MACE_PROD_BUCKET_STRESS_ROUNDS=64'.`
      )
    }
  )
})

describe('cargo args', () => {
  const args = (value: string): string[] => resolve({ 'cargo-args': value }).cargoArgs

  it('are split on whitespace', () => {
    expect(args('  --release\t--locked\n-p  mini_kv ')).toEqual([
      '--release',
      '--locked',
      '-p',
      'mini_kv'
    ])
  })

  it('quoted parts stay one argument, without their quotes', () => {
    expect(args(`--config "build.rustflags=['-C', 'x']" --features 'a b'`)).toEqual([
      '--config',
      "build.rustflags=['-C', 'x']",
      '--features',
      'a b'
    ])
  })

  it('quotes inside an argument join it as a shell would', () => {
    expect(args(`--features="a b" --config=build.jobs='2' -Z"unstable-options"`)).toEqual([
      '--features=a b',
      '--config=build.jobs=2',
      '-Zunstable-options'
    ])
  })

  it('an empty quoted argument is kept', () => {
    expect(args(`--message-format ''`)).toEqual(['--message-format', ''])
  })

  it("'--' is rejected: test binary arguments belong to the action", () => {
    const message = rejection({ 'cargo-args': '--release -- --nocapture' })
    expect(message).toMatch(/^Invalid input 'cargo-args': '--' is not allowed\./)
    expect(message).toContain("Expected cargo arguments only, e.g. '--release --locked'")
    expect(rejection({ 'cargo-args': `'--'` }, {}, flags)).toMatch(/^Invalid flag --cargo-args:/)
  })

  it('an unclosed quote is rejected rather than guessed at', () => {
    expect(rejection({ 'cargo-args': `--features "a b` })).toBe(
      `Invalid input 'cargo-args': '--features "a b'. Expected cargo arguments with balanced quotes, e.g. '--release --locked'.`
    )
  })
})

describe('the environment of every cargo command', () => {
  const plan = { MACE_PROD_BUCKET_STRESS_ROUNDS: '512', MACE_PROD_STRESS_OPS: '4000' }

  it('a plan env value is a default, as the reference\'s : "${KEY:=VALUE}" lines are', () => {
    const env = commandEnv({ PATH: '/usr/bin' }, plan, {})
    expect(env.MACE_PROD_BUCKET_STRESS_ROUNDS).toBe('512')
    expect(env.MACE_PROD_STRESS_OPS).toBe('4000')
    expect(env.PATH).toBe('/usr/bin')
  })

  it('a variable the job exports wins over the plan (a workflow env: lowers the rounds)', () => {
    const env = commandEnv({ MACE_PROD_BUCKET_STRESS_ROUNDS: '64' }, plan, {})
    expect(env.MACE_PROD_BUCKET_STRESS_ROUNDS).toBe('64')
    expect(env.MACE_PROD_STRESS_OPS).toBe('4000')
  })

  it('the env input wins over both', () => {
    const env = commandEnv({ MACE_PROD_BUCKET_STRESS_ROUNDS: '64' }, plan, {
      MACE_PROD_BUCKET_STRESS_ROUNDS: '8'
    })
    expect(env.MACE_PROD_BUCKET_STRESS_ROUNDS).toBe('8')
  })

  it('without a plan or a job value the stress knobs get the reference defaults', () => {
    expect(commandEnv({}, {}, {})).toEqual({
      MACE_PROD_BUCKET_STRESS_ROUNDS: '512',
      MACE_PROD_BUCKET_CHURN_ROUNDS: '128',
      MACE_PROD_BUCKET_CHURN_WORKERS: '2',
      MACE_PROD_EVICTOR_STRESS_ROUNDS: '512'
    })
  })
})

describe("the settings that win over a crate's nextest config", () => {
  it('are the ones given, by input or reference variable, with where they came from', () => {
    const s = resolve({ threads: '4', 'chaos-attempts': '2' }, { STRESS_TIMEOUT: '90' })
    expect(s.given).toEqual({
      threads: "input 'threads'",
      'stress-timeout': 'environment variable STRESS_TIMEOUT',
      'chaos-attempts': "input 'chaos-attempts'"
    })
    expect(resolve().given).toEqual({})
  })

  it('nextest-profile names a profile, from the input or NEXTEST_PROFILE, for runner nextest', () => {
    expect(resolve({ runner: 'nextest', 'nextest-profile': 'ci' }).nextestProfile).toEqual({
      name: 'ci',
      from: "input 'nextest-profile'"
    })
    expect(resolve({ runner: 'nextest' }, { NEXTEST_PROFILE: 'ci' }).nextestProfile?.from).toBe(
      'environment variable NEXTEST_PROFILE'
    )
    // A job's NEXTEST_PROFILE for its other steps does not concern runner cargo.
    expect(resolve({}, { NEXTEST_PROFILE: 'ci' }).nextestProfile).toBeUndefined()
    expect(rejection({ 'nextest-profile': 'ci' })).toBe(
      "Invalid input 'nextest-profile': 'ci' needs runner 'nextest' (a profile of the crate's .config/nextest.toml is cargo-nextest's). Set runner: nextest, or leave nextest-profile empty."
    )
    expect(rejection({ runner: 'nextest', 'nextest-profile': 'ci profile' })).toContain(
      "Invalid input 'nextest-profile': 'ci profile'. Expected the name of a profile"
    )
  })

  it('shard-timings is a file of an earlier run, and only means something with a shard', () => {
    const s = resolve({ shard: '1/2', 'shard-timings': 'timings/results.json' })
    expect(s.shardTimings).toEqual({
      file: '/work/repo/timings/results.json',
      from: "input 'shard-timings'"
    })
    expect(rejection({ 'shard-timings': 'results.json' })).toContain(
      "Invalid input 'shard-timings': 'results.json' without a shard"
    )
  })
})
