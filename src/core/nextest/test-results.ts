/**
 * One nextest attempt as the test domain records a test: its outcome, the
 * panic's message and in-repo location (read from the attempt's stderr with
 * the libtest panic reader; a helper thread's panic is the cause when the
 * test's own panic only unwraps its join), and a bounded excerpt of its output.
 */
import {
  LocationResolver,
  PanicReader,
  parsePanicHeader,
  type PanicReport
} from '../libtest/panic.js'
import type { TestResult } from '../libtest/test-result.js'
import type { NextestAttempt } from './junit.js'

// Output kept per failed test, as the libtest reader keeps it.
const MAX_OUTPUT_CHARS = 64 * 1024

/**
 * The record of `name` (in cargo target `target`) for one attempt.
 * `resolver` maps panic paths to repository-relative locations.
 */
export function nextestTestResult(
  target: string,
  name: string,
  attempt: NextestAttempt,
  resolver: LocationResolver
): TestResult {
  // nextest times each test's own process (its JUnit `time`, seconds to the ms).
  const result: TestResult = {
    target,
    name,
    outcome: attempt.outcome,
    durationMs: Math.round(attempt.timeSecs * 1000)
  }
  if (attempt.outcome === 'passed') return result
  const panic = causeOf(name, panicsIn(attempt.stderr ?? attempt.text ?? '', resolver))
  const message = panic ? panic.lines.join('\n') : whyNoPanic(attempt)
  if (message !== '') result.message = message
  if (panic?.location) result.location = panic.location
  const output = [attempt.stdout, attempt.stderr].filter(o => o !== undefined).join('\n')
  if (output !== '') result.output = output.slice(-MAX_OUTPUT_CHARS)
  return result
}

/** Every panic report in `text`, in order. */
function panicsIn(text: string, resolver: LocationResolver): PanicReport[] {
  const reader = new PanicReader(resolver)
  const reports: PanicReport[] = []
  for (const line of text.split('\n')) {
    const header = parsePanicHeader(line)
    if (header === undefined) reader.feed(line)
    // Each test's own process: its stderr lines are all its own.
    else reports.push(reader.start(header, { terminated: false, alone: true }))
  }
  return reports
}

/**
 * The panic that explains the failure: the test's own, unless it only
 * unwraps the join of a helper thread that panicked first (`Any { .. }`).
 */
function causeOf(test: string, panics: PanicReport[]): PanicReport | undefined {
  const own = panics.find(p => p.thread === test)
  const helper = panics.find(p => p.thread !== test)
  if (own === undefined) return helper
  const joinOnly = own.lines.some(l => l.includes('Any { .. }'))
  return joinOnly && helper !== undefined && panics.indexOf(helper) < panics.indexOf(own)
    ? helper
    : own
}

/** What to say of a failure that printed no panic: the signal, or a timeout. */
function whyNoPanic(attempt: NextestAttempt): string {
  if (attempt.outcome === 'timed-out') return 'did not finish within its timeout; nextest killed it'
  if (attempt.signal !== undefined) {
    return `the test process was killed by signal ${attempt.signal}${attempt.message ? ` (${attempt.message})` : ''}`
  }
  return (
    attempt.message ??
    (attempt.exitCode !== undefined ? `exited with code ${attempt.exitCode}` : '')
  )
}
