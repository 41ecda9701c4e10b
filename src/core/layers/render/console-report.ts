/**
 * The plain-text report printed at the end of the step log. It ends the way
 * `prod_test.sh` does, with the `failures:` list (or a pass line), so a user
 * switching from the script finds the verdict where they look for it.
 */
import { featuresLabel } from '../../cargo/feature-flags.js'
import type {
  Attempt,
  BuildResult,
  CaseResult,
  LayerResult,
  PanicSummary,
  TestResult,
  TestRunResult
} from '../results.js'
import {
  allCases,
  caseDurationMs,
  countsText,
  describeEnding,
  failingTests,
  notRunCause,
  notRunText,
  OUTCOME_FACTS,
  passingAttemptNumber,
  testCounts,
  caseLabel
} from './case-facts.js'
import {
  firstLine,
  formatDuration,
  formatLocation,
  oneLine,
  plural,
  truncate
} from '../../shared/text.js'

// Untrusted text is cut to this on one line: enough for a panic message, short
// enough that a pathological one cannot bury the verdict.
const MAX_TEXT = 300
const STATUS_WIDTH = 8
const MAX_ID_WIDTH = 48

const CASE_STATUS_LABEL: Record<CaseResult['status'], string> = {
  passed: 'ok',
  flaky: 'FLAKY',
  failed: 'FAILED',
  'timed-out': 'TIMEOUT',
  error: 'ERROR',
  cancelled: 'CANCELLED'
}

/**
 * The run as plain text: builds, each layer's cases with status, attempts and
 * duration, failing tests with `file:line` and message, timing, and at the end
 * the `failures:` list or `result: PASS`.
 */
export function renderConsoleReport(result: TestRunResult): string {
  const lines: string[] = [...header(result)]
  if (result.builds.length > 0) lines.push('', ...buildLines(result.builds))
  if (result.selectionProblems.length > 0) {
    lines.push('', 'selection problems (a selection that lists no test never passes silently)')
    for (const problem of result.selectionProblems) {
      lines.push(`  ${pad('FAILED')}${safe(problem.id)}: ${safe(problem.message)}`)
    }
  }
  // One id column across layers keeps statuses, attempts and times aligned in the log.
  const idWidth = Math.min(
    MAX_ID_WIDTH,
    allCases(result).reduce((max, c) => Math.max(max, safe(caseLabel(c)).length), 0)
  )
  for (const layer of result.layers) lines.push('', ...layerLines(layer, idWidth))
  lines.push('', ...timingLines(result))
  if (result.flaky.length > 0) {
    lines.push('', 'flaky (passed after a retry):', ...result.flaky.map(id => `  - ${safe(id)}`))
  }
  lines.push('', ...verdictLines(result))
  return `${lines.join('\n')}\n`
}

function header(result: TestRunResult): string[] {
  const verdict = `${result.passed ? 'PASS' : 'FAILED'}${result.cancelled ? ' (cancelled)' : ''}`
  const lines = [
    `cargo test (mode ${safe(result.mode)}): ${verdict} in ${formatDuration(result.durationMs)}`,
    `  started ${result.startedAt} in ${safe(result.workingDirectory)}, plan ${safe(result.planSource)}`,
    `  results and logs: ${safe(result.outputDir)}`
  ]
  if (result.cancelled) lines.push('  the run was cancelled before it finished: partial results')
  if (result.shard) {
    const { index, total, share } = result.shard
    lines.push(`  shard ${index}/${total}: ${safe(share)}`)
  }
  if (result.merged) {
    const { shards, total, problems } = result.merged
    lines.push(`  merged from ${shards.length} of ${total} shards`)
    for (const problem of problems)
      lines.push(`  FAILED ${safe(problem.id)}: ${safe(problem.message)}`)
  }
  for (const note of result.notes) lines.push(`  ${note.level}: ${safe(note.message)}`)
  return lines
}

function buildLines(builds: BuildResult[]): string[] {
  const lines = ['build (cargo test --no-run)']
  for (const build of builds) {
    const features = safe(featuresLabel(build.features, build.command.argv))
    const took = formatDuration(build.command.durationMs)
    const where = build.passed ? '' : `  log: ${safe(build.command.logPath)}`
    lines.push(`  ${pad(build.passed ? 'ok' : 'FAILED')}features ${features}  ${took}${where}`)
    for (const diagnostic of build.diagnostics.filter(d => d.level === 'error')) {
      const at =
        diagnostic.location === undefined ? '' : ` ${safe(formatLocation(diagnostic.location))}:`
      lines.push(`    error${at} ${safe(diagnostic.message)}`)
    }
  }
  return lines
}

function layerLines(layer: LayerResult, idWidth: number): string[] {
  const status = layer.status === 'passed' ? 'ok' : layer.status.toUpperCase()
  const lines = [`layer ${layer.name}: ${status}  ${formatDuration(layer.durationMs)}`]
  for (const testCase of layer.cases) lines.push(...caseLines(testCase, idWidth))
  return lines
}

function caseLines(testCase: CaseResult, idWidth: number): string[] {
  const last = testCase.attempts[testCase.attempts.length - 1]
  const tests = countsText(testCounts(last))
  const attempts =
    testCase.status === 'flaky'
      ? `passed on attempt ${passingAttemptNumber(testCase) ?? '?'} of ${testCase.maxAttempts}`
      : `attempt ${testCase.attempts.length}/${testCase.maxAttempts}`
  const lines = [
    `  ${pad(CASE_STATUS_LABEL[testCase.status])}${safe(caseLabel(testCase)).padEnd(idWidth)}  ${attempts}  ${formatDuration(caseDurationMs(testCase))}  ${tests}`
  ]
  if (testCase.attempts.length === 0 && testCase.status !== 'passed') {
    lines.push(
      testCase.status === 'cancelled'
        ? `    never ran: ${testCase.shard === undefined ? 'the run' : `shard ${testCase.shard}`} stopped before it ended`
        : '    never ran (see build and selection above)'
    )
  }
  for (const attempt of testCase.attempts.filter(a => !a.passed)) {
    lines.push(...attemptLines(attempt, testCase.maxAttempts))
  }
  return lines
}

function attemptLines(attempt: Attempt, maxAttempts: number): string[] {
  const lines = [
    `    attempt ${attempt.number}/${maxAttempts}: ${describeEnding(attempt.command)}, log: ${safe(attempt.command.logPath)}`
  ]
  if (attempt.error !== undefined) lines.push(`      error: ${safe(firstLine(attempt.error))}`)
  for (const test of failingTests(attempt)) lines.push(`      ${testLine(test)}`)
  for (const panic of attempt.unattributedPanics ?? []) {
    lines.push(`      PANIC of a non-test thread, given to no test: ${panicLine(panic)}`)
  }
  const notRun = notRunText(attempt)
  const cause = notRunCause(attempt)
  if (notRun !== '') {
    const why = cause === undefined ? '' : ` (${safe(cause)} before they ran)`
    lines.push(`      ${safe(notRun)}${why}`)
  }
  const last = attempt.evidence?.lastPanic
  if (last !== undefined) lines.push(`      last panic in the log: ${panicLine(last)}`)
  return lines
}

function panicLine(panic: PanicSummary): string {
  const target = panic.target === undefined ? '' : ` (${safe(panic.target)})`
  const at = panic.location === undefined ? '' : ` at ${safe(formatLocation(panic.location))}`
  return `thread '${safe(panic.thread)}'${target}${at}: ${safe(firstLine(panic.message))}`
}

function testLine(test: TestResult): string {
  const target = test.target === undefined ? '' : ` (${safe(test.target)})`
  const at = test.location === undefined ? '' : ` at ${safe(formatLocation(test.location))}`
  const message = firstLine(test.message)
  return `${OUTCOME_FACTS[test.outcome].label} ${safe(test.name)}${target}${at}${message === '' ? '' : `: ${safe(message)}`}`
}

function timingLines(result: TestRunResult): string[] {
  const lines = ['timing']
  const buildMs = result.builds.reduce((sum, b) => sum + b.command.durationMs, 0)
  if (result.builds.length > 0) lines.push(`  ${'build'.padEnd(8)}${formatDuration(buildMs)}`)
  for (const layer of result.layers) {
    lines.push(`  ${layer.name.padEnd(8)}${formatDuration(layer.durationMs)}`)
  }
  lines.push(`  ${'total'.padEnd(8)}${formatDuration(result.durationMs)}`)
  return lines
}

function verdictLines(result: TestRunResult): string[] {
  if (result.failures.length > 0) {
    return ['failures:', ...result.failures.map(id => `  - ${safe(id)}`)]
  }
  // A failed run with an empty list would read as a pass at a glance; say so.
  if (result.cancelled) return ['failures:', '  - (none: the run was cancelled before it finished)']
  if (!result.passed) return ['failures:', `  - (the run failed without a named item)`]
  const flaky = result.flaky.length
  return [flaky === 0 ? 'result: PASS' : `result: PASS (${plural(flaky, 'flaky case')})`]
}

function pad(status: string): string {
  // At least one space: CANCELLED is wider than the column.
  return `${status} `.padEnd(STATUS_WIDTH)
}

// Every line starts with our own text and untrusted text never contains a line
// break, so nothing from a test can start a workflow command (`::error::`).
function safe(text: string): string {
  return truncate(oneLine(text), MAX_TEXT)
}
