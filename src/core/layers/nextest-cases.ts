/**
 * The cases of a nextest run, as the cargo runner records them: one `fast`
 * case over the fast targets' tests; one case per stress, chaos or group case
 * with an attempt per nextest attempt (its retries); a test nextest never
 * reported is `not-run` (or `cancelled`), never dropped.
 */
import type { LocationResolver } from '../libtest/panic.js'
import type { TestResult } from '../libtest/test-result.js'
import type { ExactTest } from '../nextest/command.js'
import type { NextestCase } from '../nextest/junit.js'
import { nextestTestResult } from '../nextest/test-results.js'
import type { CommandResult } from '../process/command-result.js'
import type { ProcessOutcome } from '../process/runner.js'
import type { LayerContext } from './layer-run.js'
import type { Attempt, CaseResult, LayerName } from './results.js'
import { caseStatusOf } from './verdict.js'

/** One case of a case selection, with the binary nextest knows its target by. */
export interface SelectedCase {
  id: string
  group?: string
  target: string
  test: string
  exact: boolean
  binaryId: string
}

/** One `cargo nextest run` of a layer. */
export interface Invocation {
  /** In file names and the log: `fast`, `chaos`, `fast-extra_check`. */
  label: string
  features: string
  targets: string[]
  runIgnored: 'default' | 'all'
  /** The cases of a case selection; absent for the fast targets (one `fast` case). */
  cases?: SelectedCase[]
  /** The fast targets' tests of a shard dealt by time; absent: all of them. */
  exactTests?: ExactTest[]
}

/** A test the selection picks, by its target and its binary. */
export interface Expected {
  target: string
  binaryId: string
  name: string
}

/** What one invocation left to turn into cases. */
export interface Ran {
  inv: Invocation
  expected: Expected[]
  outcome: ProcessOutcome
  command: CommandResult
  reported: Map<string, NextestCase>
  error?: string
  resolver: LocationResolver
}

/**
 * The one `fast` case: every test of the fast targets this run selected. When the
 * crate's retries ran a test again, each earlier round of retries is an attempt of
 * its own holding those tests' failed tries (the last attempt holds every test's
 * final result), so a test that passed on a retry makes the case flaky, never a
 * plain pass.
 */
export function fastCase(
  ctx: LayerContext,
  layer: LayerName,
  ran: Ran,
  maxAttempts: number
): CaseResult {
  const tests = ran.expected.map(e => lastResult(ran, e))
  const ok = (t: TestResult): boolean => t.outcome === 'passed' || t.outcome === 'ignored'
  const error = ran.error ?? unlisted(ran)
  const retries = earlierTries(ran)
  const attempt: Attempt = {
    number: retries.length + 1,
    passed: ran.outcome.exitCode === 0 && error === undefined && tests.every(ok),
    command: ran.command,
    tests,
    ...(error !== undefined ? { error } : {}),
    ...(ran.outcome.cancelled ? { cancelled: true } : {})
  }
  const attempts = [...retries, attempt]
  return {
    id: 'fast',
    layer,
    targets: ran.inv.targets,
    features: ran.inv.features,
    status: caseStatusOf(attempts),
    attempts,
    maxAttempts: Math.max(maxAttempts, attempts.length)
  }
}

/**
 * Tests nextest reported that its listing of the same selection did not name:
 * the listing and the run disagree, which is never a pass (a test not listed is
 * not counted). Those it listed and never reported are `not-run` already.
 */
function unlisted(ran: Ran): string | undefined {
  const listed = new Set(ran.expected.map(e => `${e.binaryId}\n${e.name}`))
  const extra = [...ran.reported.values()].filter(c => !listed.has(`${c.binaryId}\n${c.name}`))
  if (extra.length === 0) return undefined
  const shown = extra
    .slice(0, 10)
    .map(c => `${c.name} (${c.binaryId})`)
    .join(', ')
  const more = extra.length > 10 ? ` and ${extra.length - 10} more` : ''
  return `the listing and the run disagree: cargo nextest ran ${extra.length} test(s) its listing did not name: ${shown}${more}`
}

/**
 * Round k of retries: the k-th failed try of each test nextest ran more than k
 * times. The rounds ran inside the one command, whose time the last attempt
 * holds: theirs is 0, so a case's time stays the command's (each try keeps its own).
 */
function earlierTries(ran: Ran): Attempt[] {
  const rounds: Attempt[] = []
  const command = { ...ran.command, durationMs: 0 }
  for (const e of ran.expected) {
    const found = ran.reported.get(`${e.binaryId}\n${e.name}`)
    found?.attempts.slice(0, -1).forEach((a, k) => {
      rounds[k] ??= { number: k + 1, passed: false, command, tests: [] }
      rounds[k].tests.push(nextestTestResult(e.target, e.name, a, ran.resolver))
    })
  }
  return rounds
}

/** One stress, chaos or group case: one attempt per nextest attempt of its test(s). */
export function caseResult(
  ctx: LayerContext,
  layer: LayerName,
  ran: Ran,
  c: SelectedCase,
  maxAttempts: number
): CaseResult[] {
  const mine = ran.expected.filter(
    e => e.binaryId === c.binaryId && (c.exact ? e.name === c.test : e.name.includes(c.test))
  )
  // Not in this shard's share of the selection: another shard runs it.
  if (mine.length === 0) return []
  const found = mine.map(e => ran.reported.get(`${e.binaryId}\n${e.name}`))
  const attempts: Attempt[] =
    found.length === 1 && found[0] !== undefined
      ? found[0].attempts.map((a, i) => ({
          number: i + 1,
          passed: a.outcome === 'passed',
          command: {
            ...ran.command,
            durationMs: Math.round(a.timeSecs * 1000),
            timedOut: a.outcome === 'timed-out',
            exitCode: a.exitCode ?? (a.outcome === 'passed' ? 0 : null),
            signal: a.signal ?? null
          },
          tests: [nextestTestResult(c.target, mine[0]!.name, a, ran.resolver)]
        }))
      : [aggregateAttempt(ran, mine)]
  const last = attempts[attempts.length - 1]!
  if (ran.outcome.cancelled && !last.passed) cancel(last)
  return [
    {
      id: c.id,
      layer,
      ...(c.group !== undefined ? { group: c.group } : {}),
      targets: [c.target],
      test: c.test,
      features: ran.inv.features,
      status: caseStatusOf(attempts),
      attempts,
      maxAttempts
    }
  ]
}

/** A filter case's tests, or a test nextest never reported, as one attempt. */
function aggregateAttempt(ran: Ran, mine: Expected[]): Attempt {
  const tests = mine.map(e => lastResult(ran, e))
  const passed = tests.every(t => t.outcome === 'passed' || t.outcome === 'ignored')
  const unreported = mine.some(e => !ran.reported.has(`${e.binaryId}\n${e.name}`))
  const error =
    ran.error ??
    (unreported && !ran.outcome.cancelled
      ? 'cargo nextest did not report this test; see the log'
      : undefined)
  const ok = passed && error === undefined
  return {
    number: 1,
    passed: ok,
    // The invocation's exit code speaks of every case it ran: a case whose own tests all
    // passed records the exit of its tests, so its evidence agrees with its verdict.
    command: ok ? { ...ran.command, exitCode: 0, signal: null } : ran.command,
    tests,
    ...(error !== undefined ? { error } : {}),
    ...(ran.outcome.cancelled ? { cancelled: true } : {})
  }
}

/** The test's last attempt, or why it has none: the run stopped before it (not-run, cancelled). */
function lastResult(ran: Ran, e: Expected): TestResult {
  const found = ran.reported.get(`${e.binaryId}\n${e.name}`)
  const last = found?.attempts[found.attempts.length - 1]
  if (last !== undefined) {
    const result = nextestTestResult(e.target, e.name, last, ran.resolver)
    return ran.outcome.cancelled && result.outcome !== 'passed'
      ? { ...result, outcome: 'cancelled' }
      : result
  }
  return ran.outcome.cancelled
    ? {
        target: e.target,
        name: e.name,
        outcome: 'cancelled',
        message: 'the run was cancelled before this test finished'
      }
    : {
        target: e.target,
        name: e.name,
        outcome: 'not-run',
        message: 'not run: cargo nextest stopped before it ran'
      }
}

function cancel(attempt: Attempt): void {
  attempt.cancelled = true
  attempt.tests = attempt.tests.map(t =>
    t.outcome === 'passed' ? t : { ...t, outcome: 'cancelled' }
  )
}

/** A selection nextest could not list: its cases fail with nextest's words. */
export function listingFailed(
  ctx: LayerContext,
  layer: LayerName,
  inv: Invocation,
  message: string
): CaseResult[] {
  const attempt = (): Attempt => ({
    number: 1,
    passed: false,
    command: {
      argv: ['cargo', 'nextest', 'list'],
      cwd: ctx.s.workingDirectory,
      exitCode: null,
      signal: null,
      timedOut: false,
      timeoutSeconds: ctx.s.timeouts.build,
      durationMs: 0,
      logPath: ctx.record.logDir
    },
    tests: [],
    error: message
  })
  const ids = inv.cases?.map(c => ({ id: c.id, test: c.test, group: c.group })) ?? [
    { id: 'fast', test: undefined, group: undefined }
  ]
  return ids.map(c => ({
    id: c.id,
    layer,
    ...(c.group !== undefined ? { group: c.group } : {}),
    targets: inv.targets,
    ...(c.test !== undefined ? { test: c.test } : {}),
    features: inv.features,
    status: 'error',
    attempts: [attempt()],
    maxAttempts: 1
  }))
}
