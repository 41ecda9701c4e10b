/**
 * Facts every rendering derives the same way from the results document: which
 * tests of an attempt failed, how a command ended, how long a case took. Kept
 * in one place so the console, summary, annotations and JUnit never disagree.
 */
import { isFailingStatus } from '../results.js'
import type {
  Attempt,
  CaseResult,
  CommandResult,
  TestOutcome,
  TestResult,
  TestRunResult
} from '../results.js'

/** Test counts of one attempt, as a table row shows them. */
export interface TestCounts {
  passed: number
  /** Failed, timed out or crashed. */
  failed: number
  ignored: number
  /** Selected, but the command stopped before they ran. */
  notRun: number
}

/** How one test outcome reads and counts in every rendering. */
export interface OutcomeFacts {
  /** In a sentence: `timed out`. */
  word: string
  /** At the start of a console line: `TIMED-OUT`. */
  label: string
  icon: string
  /** The count of an attempt it adds to. */
  count: keyof TestCounts
  /** Its JUnit element (none for a pass) and that element's `type`. */
  junit: 'failure' | 'error' | 'skipped' | 'none'
  junitType: string
}

/**
 * The one table of test outcomes: console, job summary, annotations and JUnit all read
 * words, icons, counts and JUnit elements from here, so a new outcome is one entry.
 */
export const OUTCOME_FACTS: Record<TestOutcome, OutcomeFacts> = {
  passed: {
    word: 'passed',
    label: 'PASSED',
    icon: '✅',
    count: 'passed',
    junit: 'none',
    junitType: ''
  },
  failed: {
    word: 'failed',
    label: 'FAILED',
    icon: '❌',
    count: 'failed',
    junit: 'failure',
    junitType: 'test failure'
  },
  'timed-out': {
    word: 'timed out',
    label: 'TIMED-OUT',
    icon: '⏱️',
    count: 'failed',
    junit: 'failure',
    junitType: 'timeout'
  },
  crashed: {
    word: 'crashed',
    label: 'CRASHED',
    icon: '💥',
    count: 'failed',
    junit: 'error',
    junitType: 'crash'
  },
  'not-run': {
    word: 'not run',
    label: 'NOT-RUN',
    icon: '⏹️',
    count: 'notRun',
    junit: 'skipped',
    junitType: 'not run'
  },
  cancelled: {
    word: 'cancelled',
    label: 'CANCELLED',
    icon: '🚫',
    count: 'notRun',
    junit: 'skipped',
    junitType: 'cancelled'
  },
  ignored: {
    word: 'ignored',
    label: 'IGNORED',
    icon: '⏭️',
    count: 'ignored',
    junit: 'skipped',
    junitType: 'ignored'
  }
}

/** `3 passed, 1 failed, 0 ignored`, with `, 18 not run` when some never ran. */
export function countsText(counts: TestCounts): string {
  const text = `${counts.passed} passed, ${counts.failed} failed, ${counts.ignored} ignored`
  return counts.notRun > 0 ? `${text}, ${counts.notRun} not run` : text
}

/** Tests of an attempt that never ran, and how many targets they belong to. */
export function notRunTally(attempt: Attempt | undefined): { tests: number; targets: number } {
  const notRun = (attempt?.tests ?? []).filter(test => test.outcome === 'not-run')
  return { tests: notRun.length, targets: new Set(notRun.map(test => test.target ?? '')).size }
}

/** What stopped the command before its not-run tests ran: `the command timed out`. */
export function notRunCause(attempt: Attempt | undefined): string | undefined {
  const message = attempt?.tests.find(test => test.outcome === 'not-run')?.message
  if (message === undefined) return undefined
  return message
    .replace(/^not run: /, '')
    .replace(/ before (?:target .+ ran|this test started|it ran)$/, '')
}

/** `not run: 18 tests in 8 targets`, or `` when every selected test ran. */
export function notRunText(attempt: Attempt | undefined): string {
  const { tests, targets } = notRunTally(attempt)
  if (tests === 0) return ''
  return `not run: ${tests} ${tests === 1 ? 'test' : 'tests'} in ${targets} ${targets === 1 ? 'target' : 'targets'}`
}

/** How a case is named where people read it: its id, and in a merged document its shard. */
export function caseLabel(testCase: CaseResult): string {
  return testCase.shard === undefined ? testCase.id : `${testCase.id} (shard ${testCase.shard})`
}

/** Every case of the run, layer by layer in run order. */
export function allCases(result: TestRunResult): CaseResult[] {
  return result.layers.flatMap(layer => layer.cases)
}

/** The attempt whose outcome is the case's verdict (none when the case never ran). */
export function lastAttempt(testCase: CaseResult): Attempt | undefined {
  return testCase.attempts[testCase.attempts.length - 1]
}

/** True for the case statuses that make the run fail (see results.ts). */
export { isFailingStatus }

/** True when the test did not pass (failed, timed out or crashed). */
export function isFailingTest(test: TestResult): boolean {
  return OUTCOME_FACTS[test.outcome].count === 'failed'
}

/** The tests of an attempt that did not pass. */
export function failingTests(attempt: Attempt | undefined): TestResult[] {
  return attempt === undefined ? [] : attempt.tests.filter(isFailingTest)
}

/** Passed, failed, ignored and not-run tests of an attempt (zeros when there is none). */
export function testCounts(attempt: Attempt | undefined): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, ignored: 0, notRun: 0 }
  for (const test of attempt?.tests ?? []) counts[OUTCOME_FACTS[test.outcome].count] += 1
  return counts
}

/** Wall time of all attempts of a case, pauses between retries excluded. */
export function caseDurationMs(testCase: CaseResult): number {
  return testCase.attempts.reduce((sum, a) => sum + a.command.durationMs, 0)
}

/**
 * How a command ended, in words: `timed out after 600s`, `killed by SIGSEGV`,
 * `exit code 101`; with leaked processes when there were.
 */
export function describeEnding(command: CommandResult): string {
  let ending: string
  if (command.timedOut) ending = `timed out after ${command.timeoutSeconds}s`
  else if (command.signal !== null) ending = `killed by ${command.signal}`
  else if (command.exitCode !== null) ending = `exit code ${command.exitCode}`
  else ending = 'ended without an exit code'
  const leaked = command.leakedProcesses ?? 0
  return leaked > 0 ? `${ending}, ${leaked} leaked processes killed` : ending
}

/** Two keys are the same test when target and name match. */
export function sameTest(a: TestResult, b: TestResult): boolean {
  return a.name === b.name && (a.target ?? '') === (b.target ?? '')
}

/** Number of the attempt a flaky case finally passed on. */
export function passingAttemptNumber(testCase: CaseResult): number | undefined {
  return testCase.attempts.find(a => a.passed)?.number
}

/** The attempts that failed, in order. */
export function failedAttempts(testCase: CaseResult): Attempt[] {
  return testCase.attempts.filter(a => !a.passed)
}
