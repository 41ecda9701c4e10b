/**
 * Hand-built results documents for the renderer tests: small builders plus the
 * scenarios a user meets (all green, a failing fast test, a hang, a flaky chaos
 * case, a broken build, a selection that lists nothing, many failures, hostile
 * names).
 */
import type {
  Attempt,
  BuildResult,
  CaseResult,
  CommandResult,
  LayerResult,
  TestResult,
  TestRunResult
} from '../../../../src/core/layers/results.js'

/** A command that exited 0 after one second. */
export function command(overrides: Partial<CommandResult> = {}): CommandResult {
  return {
    argv: ['cargo', 'test', '--features', 'failpoints'],
    cwd: '/work/crate',
    exitCode: 0,
    signal: null,
    timedOut: false,
    timeoutSeconds: 300,
    durationMs: 1_000,
    logPath: 'target/mace-test/fast-1.log',
    ...overrides
  }
}

/** A test result; passed unless told otherwise. */
export function test(name: string, overrides: Partial<TestResult> = {}): TestResult {
  return { target: 'basic', name, outcome: 'passed', ...overrides }
}

/** An attempt whose verdict follows its tests unless told otherwise. */
export function attempt(
  number: number,
  tests: TestResult[],
  overrides: Partial<Attempt> = {}
): Attempt {
  const passed = tests.every(t => t.outcome === 'passed' || t.outcome === 'ignored')
  const failedCommand = command({ exitCode: 101, logPath: `target/mace-test/a${number}.log` })
  return { number, passed, command: passed ? command() : failedCommand, tests, ...overrides }
}

/** A case with the given attempts; one attempt allowed unless told otherwise. */
export function testCase(
  id: string,
  attempts: Attempt[],
  overrides: Partial<CaseResult> = {}
): CaseResult {
  const [layer] = id.split(':') as [CaseResult['layer']]
  const last = attempts[attempts.length - 1]
  const status = last?.passed ? (attempts.length > 1 ? 'flaky' : 'passed') : 'failed'
  return {
    id,
    layer,
    targets: ['basic'],
    features: 'failpoints',
    status,
    attempts,
    maxAttempts: 1,
    ...overrides
  }
}

/** A layer holding the cases; failed when one of them failed. */
export function layer(name: LayerResult['name'], cases: CaseResult[]): LayerResult {
  const failed = cases.some(c => c.status !== 'passed' && c.status !== 'flaky')
  const durationMs = cases.reduce(
    (sum, c) => sum + c.attempts.reduce((s, a) => s + a.command.durationMs, 0),
    0
  )
  return { name, status: failed ? 'failed' : 'passed', durationMs, cases }
}

/** A passing build of the main features. */
export function build(overrides: Partial<BuildResult> = {}): BuildResult {
  return {
    features: 'failpoints',
    passed: true,
    command: command({
      argv: ['cargo', 'test', '--no-run'],
      logPath: 'target/mace-test/build.log'
    }),
    diagnostics: [],
    ...overrides
  }
}

/** A run of the layers; verdict, failures and flaky list derived from the cases. */
export function run(layers: LayerResult[], overrides: Partial<TestRunResult> = {}): TestRunResult {
  const cases = layers.flatMap(l => l.cases)
  const failures = cases.filter(c => !['passed', 'flaky'].includes(c.status)).map(c => c.id)
  return {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: layers.length > 1 ? 'all' : (layers[0]?.name ?? 'fast'),
    startedAt: '2025-06-01T12:00:00.000Z',
    durationMs: layers.reduce((sum, l) => sum + l.durationMs, 0) + 1_000,
    workingDirectory: '/work/crate',
    passed: failures.length === 0,
    cancelled: false,
    finished: true,
    planSource: 'discovered',
    builds: [build()],
    selectionProblems: [],
    layers,
    failures,
    notes: [],
    flaky: cases.filter(c => c.status === 'flaky').map(c => c.id),
    outputDir: 'target/mace-test',
    ...overrides
  }
}

/** Every layer green: three fast tests (one ignored) and a stress case. */
export function allPass(): TestRunResult {
  const fast = testCase('fast', [
    attempt(1, [test('put_then_get'), test('delete'), test('slow', { outcome: 'ignored' })])
  ])
  const stress = testCase('stress:stress_bucket_rounds', [
    attempt(1, [test('stress_bucket_rounds', { target: 'stress' })])
  ])
  return run([layer('fast', [fast]), layer('stress', [stress])])
}

/** The fast layer fails one test with a panic at `tests/basic.rs:12:5`. */
export function fastFailure(): TestRunResult {
  const failing = test('put_then_get', {
    outcome: 'failed',
    message: 'assertion `left == right` failed\n  left: 1\n right: 2',
    location: { file: 'tests/basic.rs', line: 12, column: 5 },
    output:
      "thread 'put_then_get' panicked at tests/basic.rs:12:5:\nassertion `left == right` failed"
  })
  const fast = testCase('fast', [attempt(1, [test('delete'), failing])])
  return run([layer('fast', [fast])])
}

/** A stress case hangs and is killed at its 600 s timeout. */
export function stressTimeout(): TestRunResult {
  const hung = test('stress_bucket_rounds', {
    target: 'stress',
    outcome: 'timed-out',
    message: 'did not finish within 600s'
  })
  const timedOut = command({
    exitCode: null,
    signal: 'SIGKILL',
    timedOut: true,
    timeoutSeconds: 600,
    durationMs: 600_000,
    logPath: 'target/mace-test/stress-1.log'
  })
  const stress = testCase(
    'stress:stress_bucket_rounds',
    [attempt(1, [hung], { command: timedOut })],
    { status: 'timed-out' }
  )
  return run([layer('stress', [stress])])
}

/** A chaos case fails its first attempt at `tests/chaos.rs:40:9` and passes the second of 3. */
export function flakyChaos(): TestRunResult {
  const crashed = test('chaos_recover', {
    target: 'chaos',
    outcome: 'failed',
    message: 'recovered state differs',
    location: { file: 'tests/chaos.rs', line: 40, column: 9 }
  })
  const chaos = testCase(
    'chaos:chaos_recover',
    [attempt(1, [crashed]), attempt(2, [test('chaos_recover', { target: 'chaos' })])],
    { maxAttempts: 3, test: 'chaos_recover', targets: ['chaos'] }
  )
  return run([layer('chaos', [chaos])])
}

/** `cargo test --no-run` fails with E0425 at `tests/basic.rs:3:13`; the fast case never runs. */
export function buildFailure(): TestRunResult {
  const broken = build({
    passed: false,
    command: command({ exitCode: 101, logPath: 'target/mace-test/build.log' }),
    diagnostics: [
      {
        level: 'error',
        message: 'cannot find value `x` in this scope',
        rendered: 'error[E0425]: cannot find value `x` in this scope\n --> tests/basic.rs:3:13',
        location: { file: 'tests/basic.rs', line: 3, column: 13 }
      },
      { level: 'warning', message: 'unused import: `std::fs`' }
    ]
  })
  const fast = testCase('fast', [], { status: 'error' })
  return run([layer('fast', [fast])], { builds: [broken] })
}

/** A feature-gated exact case lists zero tests (feature gate drift). */
export function selectionProblem(): TestRunResult {
  const id = 'fast:extra_check:crash_recovery'
  const result = run([layer('fast', [testCase('fast', [attempt(1, [test('put_then_get')])])])])
  const message = 'expected exactly one test named crash_recovery, the selection listed 0'
  return { ...result, passed: false, failures: [id], selectionProblems: [{ id, message }] }
}

/** The fast layer fails `count` tests, each at its own line of `tests/many.rs`. */
export function manyFailures(count: number): TestRunResult {
  const tests = Array.from({ length: count }, (_, i) =>
    test(`case_${String(i + 1).padStart(2, '0')}`, {
      target: 'many',
      outcome: 'failed',
      message: `failure number ${i + 1}`,
      location: { file: 'tests/many.rs', line: 10 + i },
      output: `output of failure ${i + 1}\n${'x'.repeat(200)}`
    })
  )
  return run([layer('fast', [testCase('fast', [attempt(1, tests)])])])
}

/** Text from a PR that tries to break out of every format we write. */
export const HOSTILE =
  '<script>alert(1)</script> | ``` `a` ]]> </details> &amp; *b* [l](http://x) \u0001\u001b[31mred\u001b[0m\nsecond line'

/** A failing fast test whose name, message and output are `HOSTILE`, and a stress case named so. */
export function hostile(): TestRunResult {
  const evil = test(HOSTILE, {
    target: 'basic',
    outcome: 'failed',
    message: HOSTILE,
    output: `${HOSTILE}\n\`\`\`\`\`\n${HOSTILE}`,
    location: { file: 'tests/basic.rs', line: 7 }
  })
  const fast = testCase('fast', [attempt(1, [evil])])
  const stress = testCase(`stress:${HOSTILE}`, [attempt(1, [test(HOSTILE, { target: 'stress' })])])
  return run([layer('fast', [fast]), layer('stress', [stress])], { failures: ['fast', HOSTILE] })
}

/**
 * The fast command timed out in target `hang`: `hangs` was running, 3 selected tests in
 * 2 later targets never ran, a helper had panicked before, and the log ended in chatter.
 */
export function fastKilled(): TestRunResult {
  const timedOut = command({
    exitCode: null,
    signal: 'SIGTERM',
    timedOut: true,
    timeoutSeconds: 300,
    durationMs: 300_000,
    logPath: 'target/mace-test/fast-1.log'
  })
  const notRun = (target: string, name: string): TestResult =>
    test(name, {
      target,
      outcome: 'not-run',
      message: `not run: the command timed out before target ${target} ran`
    })
  const tests = [
    test('quick', { target: 'hang' }),
    test('hangs', {
      target: 'hang',
      outcome: 'timed-out',
      message: 'still running when the command timed out'
    }),
    notRun('later_a', 'first'),
    notRun('later_a', 'second'),
    notRun('later_b', 'only')
  ]
  const compacting = {
    target: 'hang',
    thread: '<unnamed>',
    message: 'index out of range while compacting',
    location: { file: 'tests/hang.rs', line: 8, column: 40 }
  }
  const fast = testCase(
    'fast',
    [
      attempt(1, tests, {
        command: timedOut,
        unattributedPanics: [compacting],
        evidence: {
          lastPanic: compacting,
          logTail: 'progress of hangs: step 38\nprogress of hangs: step 39'
        }
      })
    ],
    { status: 'timed-out', targets: ['hang', 'later_a', 'later_b'] }
  )
  return run([layer('fast', [fast])])
}

/** A failing test in `failing` beside a test binary `crash` that died of SIGSEGV with no test named. */
export function crashBesideFailure(): TestRunResult {
  const failing = test('fails_plainly', {
    target: 'failing',
    outcome: 'failed',
    message: 'assertion failed: 1 + 1 == 3',
    location: { file: 'tests/failing.rs', line: 5, column: 5 }
  })
  const error =
    'target crash: the test binary was killed by signal 11 (SIGSEGV: invalid memory reference), and none of its tests could be named (see the log)'
  const fast = testCase(
    'fast',
    [
      attempt(1, [failing], {
        error,
        evidence: { logTail: '(signal: 11, SIGSEGV: invalid memory reference)' }
      })
    ],
    { targets: ['crash', 'failing'] }
  )
  return run([layer('fast', [fast])])
}
