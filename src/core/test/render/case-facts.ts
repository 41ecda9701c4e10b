/**
 * Facts every rendering derives the same way from the results document: which
 * tests of an attempt failed, how a command ended, how long a case took. Kept
 * in one place so the console, summary, annotations and JUnit never disagree.
 */
import type {
  Attempt,
  CaseResult,
  CaseStatus,
  CommandResult,
  TestOutcome,
  TestResult,
  TestRunResult
} from '../results.js'

/** Test counts of one attempt, as a table row shows them. */
export interface TestCounts {
  passed: number
  failed: number
  ignored: number
}

const FAILING_OUTCOMES: ReadonlySet<TestOutcome> = new Set(['failed', 'timed-out', 'crashed'])

/** Every case of the run, layer by layer in run order. */
export function allCases(result: TestRunResult): CaseResult[] {
  return result.layers.flatMap(layer => layer.cases)
}

/** The attempt whose outcome is the case's verdict (none when the case never ran). */
export function lastAttempt(testCase: CaseResult): Attempt | undefined {
  return testCase.attempts[testCase.attempts.length - 1]
}

/** True for the case statuses that make the run fail. */
export function isFailingStatus(status: CaseStatus): boolean {
  return status === 'failed' || status === 'timed-out' || status === 'error'
}

/** True when the test did not pass (failed, timed out or crashed). */
export function isFailingTest(test: TestResult): boolean {
  return FAILING_OUTCOMES.has(test.outcome)
}

/** The tests of an attempt that did not pass. */
export function failingTests(attempt: Attempt | undefined): TestResult[] {
  return attempt === undefined ? [] : attempt.tests.filter(isFailingTest)
}

/** Passed, failed and ignored tests of an attempt (zeros when there is none). */
export function testCounts(attempt: Attempt | undefined): TestCounts {
  const counts: TestCounts = { passed: 0, failed: 0, ignored: 0 }
  for (const test of attempt?.tests ?? []) {
    if (test.outcome === 'passed') counts.passed += 1
    else if (test.outcome === 'ignored') counts.ignored += 1
    else counts.failed += 1
  }
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
