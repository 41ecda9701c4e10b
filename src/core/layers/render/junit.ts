/**
 * JUnit XML of a test run, in the shape nextest writes and the common
 * reporters read (dorny/test-reporter, mikepenz/action-junit-report,
 * EnricoMi/publish-unit-test-result-action): one suite per case, one testcase
 * per test of the last attempt, earlier failed attempts as flaky or rerun
 * failures. Anything that failed without a test to blame still gets a testcase.
 */
import type {
  Attempt,
  BuildResult,
  CaseResult,
  SelectionProblem,
  TestResult,
  TestRunResult
} from '../results.js'
import {
  allCases,
  caseDurationMs,
  describeEnding,
  failingTests,
  isFailingStatus,
  isFailingTest,
  lastAttempt,
  OUTCOME_FACTS,
  sameTest,
  caseLabel
} from './case-facts.js'
import { firstLine, truncate } from '../../shared/text.js'
import { type XmlAttributes, xmlElement, xmlTextElement } from '../../shared/xml.js'

/** A rendered `<testcase>` and what it counts towards. */
interface TestcaseXml {
  xml: string
  counts: 'failure' | 'error' | 'skipped' | 'none'
}

/** A rendered `<testsuite>` and its counts, summed into `<testsuites>`. */
interface SuiteXml {
  xml: string
  tests: number
  failures: number
  errors: number
  skipped: number
}

/** What went wrong once: the body of a `<failure>`, `<error>` or rerun element. */
interface Problem {
  kind: 'failure' | 'error'
  type: string
  message: string
  text: string
}

const MAX_MESSAGE_ATTRIBUTE = 1_000

function problem(kind: Problem['kind'], type: string, message: string, text = message): Problem {
  return { kind, type, message, text }
}

/** The run as a JUnit XML document. */
export function renderJUnit(result: TestRunResult): string {
  const caseIds = new Set(allCases(result).map(c => c.id))
  const suites = [
    ...buildSuites(result.builds),
    ...allCases(result).map(c => caseSuite(c, result.selectionProblems)),
    ...result.selectionProblems.filter(p => !caseIds.has(p.id)).map(selectionSuite),
    ...(result.merged?.problems ?? []).map(selectionSuite)
  ]
  const sum = (key: 'tests' | 'failures' | 'errors' | 'skipped'): number =>
    suites.reduce((total, suite) => total + suite[key], 0)
  const root = xmlElement(
    'testsuites',
    {
      name: `cargo test (${result.mode})`,
      tests: sum('tests'),
      failures: sum('failures'),
      errors: sum('errors'),
      skipped: sum('skipped'),
      time: seconds(result.durationMs),
      timestamp: result.startedAt
    },
    suites.map(suite => suite.xml)
  )
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n`
}

function caseSuite(testCase: CaseResult, selectionProblems: SelectionProblem[]): SuiteXml {
  const last = lastAttempt(testCase)
  const testcases: TestcaseXml[] = []
  if (last !== undefined) {
    // Unattributed failures of earlier attempts go to the case's own test, or the first that ran.
    const primary =
      last.tests.find(t => t.name === testCase.test) ??
      last.tests.find(t => t.outcome !== 'ignored')
    for (const test of last.tests) testcases.push(testcase(testCase, last, test, test === primary))
  } else if (testCase.status === 'cancelled') {
    testcases.push(notRunTestcase(testCase))
  }
  // A crash no test could be named for stands beside the tests that did fail.
  if (
    isFailingStatus(testCase.status) &&
    (failingTests(last).length === 0 || last?.error !== undefined)
  ) {
    const problem = selectionProblems.find(p => p.id === testCase.id)
    testcases.push(standInTestcase(testCase, last, problem))
  }
  const properties = xmlElement(
    'properties',
    {},
    [
      ['layer', testCase.layer],
      ['features', testCase.features],
      ['status', testCase.status],
      ['attempts', `${testCase.attempts.length}/${testCase.maxAttempts}`],
      ['log', last?.command.logPath],
      ['untimed', last?.untimed]
    ]
      .filter((p): p is [string, string] => p[1] !== undefined)
      .map(([name, value]) => xmlElement('property', { name, value }))
  )
  return suite(caseLabel(testCase), caseDurationMs(testCase), testcases, [properties])
}

function testcase(
  testCase: CaseResult,
  last: Attempt,
  test: TestResult,
  primary: boolean
): TestcaseXml {
  const attributes: XmlAttributes = {
    name: test.name,
    classname: test.target ?? classname(testCase),
    file: test.location?.file,
    line: test.location?.line,
    time: testTime(test, last)
  }
  const children: string[] = []
  let counts: TestcaseXml['counts'] = 'none'
  if (OUTCOME_FACTS[test.outcome].junit === 'skipped') {
    // A test that never ran says why: the command stopped before it.
    const message = test.outcome === 'ignored' ? 'ignored' : (test.message ?? 'not run')
    children.push(xmlElement('skipped', { message: attributeMessage(message) }))
    counts = 'skipped'
  } else if (isFailingTest(test)) {
    const cause = testProblem(test, last)
    children.push(problemElement(cause))
    counts = cause.kind
  }
  // Earlier failed attempts: flaky when the test finally passed, reruns when it never did.
  const rerunTag = test.outcome === 'passed' ? 'flakyFailure' : 'rerunFailure'
  for (const attempt of testCase.attempts.filter(a => a !== last && !a.passed)) {
    const failed = attempt.tests.find(t => sameTest(t, test) && isFailingTest(t))
    if (failed !== undefined)
      children.push(rerunElement(rerunTag, attempt, testProblem(failed, attempt)))
    else if (primary && failingTests(attempt).length === 0) {
      children.push(rerunElement(rerunTag, attempt, attemptProblem(attempt)))
    }
  }
  return { xml: xmlElement('testcase', attributes, children), counts }
}

// A case that never ran (its shard was cut short first): skipped, saying why.
function notRunTestcase(testCase: CaseResult): TestcaseXml {
  const why = `not run: ${testCase.shard === undefined ? 'the run' : `shard ${testCase.shard}`} stopped before this case`
  const attributes = {
    name: testCase.test ?? testCase.id,
    classname: classname(testCase),
    time: seconds(0)
  }
  return {
    xml: xmlElement('testcase', attributes, [xmlElement('skipped', { message: why })]),
    counts: 'skipped'
  }
}

// Stands in for the test that could not be named: a crash before any test, a
// timeout with no test running, a selection that listed nothing.
function standInTestcase(
  testCase: CaseResult,
  last: Attempt | undefined,
  selection?: SelectionProblem
): TestcaseXml {
  let cause: Problem
  if (selection !== undefined) cause = problem('failure', 'selection', selection.message)
  else if (last !== undefined) cause = attemptProblem(last)
  else
    cause = problem(
      'error',
      'not run',
      'the case did not run',
      'The case did not run; see the build.'
    )
  const children = [problemElement(cause)]
  for (const attempt of testCase.attempts.filter(a => a !== last && !a.passed)) {
    children.push(rerunElement('rerunFailure', attempt, attemptProblem(attempt)))
  }
  const attributes: XmlAttributes = {
    name: testCase.test ?? testCase.id,
    classname: classname(testCase),
    time: seconds(last?.command.durationMs ?? 0)
  }
  return { xml: xmlElement('testcase', attributes, children), counts: cause.kind }
}

function buildSuites(builds: BuildResult[]): SuiteXml[] {
  const failed = builds.filter(b => !b.passed)
  if (failed.length === 0) return []
  const testcases = failed.map((build): TestcaseXml => {
    const errors = build.diagnostics.filter(d => d.level === 'error')
    const located = errors.find(e => e.location !== undefined)?.location
    const ending = `cargo test --no-run ${describeEnding(build.command)}; log: ${build.command.logPath}`
    const text =
      errors.length === 0 ? ending : errors.map(e => e.rendered ?? e.message).join('\n\n')
    const cause = problem('error', 'build', errors[0]?.message ?? ending, text)
    const attributes: XmlAttributes = {
      name: `build (features ${build.features || 'none'})`,
      classname: 'build',
      file: located?.file,
      line: located?.line,
      time: seconds(build.command.durationMs)
    }
    return { xml: xmlElement('testcase', attributes, [problemElement(cause)]), counts: 'error' }
  })
  const timeMs = failed.reduce((sum, b) => sum + b.command.durationMs, 0)
  return [suite('build', timeMs, testcases)]
}

function selectionSuite(selection: SelectionProblem): SuiteXml {
  const attributes = { name: selection.id, classname: 'selection', time: seconds(0) }
  const failure = problemElement(problem('failure', 'selection', selection.message))
  return suite(selection.id, 0, [
    { xml: xmlElement('testcase', attributes, [failure]), counts: 'failure' }
  ])
}

function suite(
  name: string,
  timeMs: number,
  testcases: TestcaseXml[],
  head: string[] = []
): SuiteXml {
  const count = (kind: TestcaseXml['counts']): number =>
    testcases.filter(t => t.counts === kind).length
  const totals = {
    tests: testcases.length,
    failures: count('failure'),
    errors: count('error'),
    skipped: count('skipped')
  }
  const attributes = { name, ...totals, time: seconds(timeMs) }
  const xml = xmlElement('testsuite', attributes, [...head, ...testcases.map(t => t.xml)])
  return { xml, ...totals }
}

function testProblem(test: TestResult, attempt: Attempt): Problem {
  const facts = OUTCOME_FACTS[test.outcome]
  const said = test.message ?? ''
  const kind = facts.junit === 'error' ? 'error' : 'failure'
  if (test.outcome === 'failed')
    return problem(kind, facts.junitType, said || 'failed', test.output ?? said)
  const fallback =
    test.outcome === 'timed-out'
      ? `timed out after ${attempt.command.timeoutSeconds}s`
      : describeEnding(attempt.command)
  const message = said || fallback
  return problem(kind, facts.junitType, message, test.output ?? message)
}

// A failure of the whole command, for when no test can be blamed.
function attemptProblem(attempt: Attempt): Problem {
  const ending = describeEnding(attempt.command)
  const text = `${attempt.error ?? `The command ended: ${ending}.`}\nlog: ${attempt.command.logPath}`
  if (attempt.command.timedOut) return problem('failure', 'timeout', ending, text)
  const message = attempt.error ?? ending
  if (attempt.command.signal !== null || attempt.error !== undefined) {
    return problem('error', 'crash', message, text)
  }
  return problem('failure', 'command failure', message, text)
}

function problemElement(cause: Problem): string {
  const attributes = { message: attributeMessage(cause.message), type: cause.type }
  return xmlTextElement(cause.kind, attributes, cause.text)
}

function rerunElement(tag: string, attempt: Attempt, cause: Problem): string {
  const attributes = {
    message: attributeMessage(`attempt ${attempt.number}: ${cause.message}`),
    type: cause.type
  }
  return xmlElement(tag, attributes, [xmlTextElement('stackTrace', {}, cause.text)])
}

function attributeMessage(message: string): string {
  return truncate(firstLine(message), MAX_MESSAGE_ATTRIBUTE)
}

function classname(testCase: CaseResult): string {
  return testCase.targets.join(',') || testCase.layer
}

/**
 * A test's own time when the runner gave one; else a one-test command's time; else no
 * `time` at all: libtest in parallel gives none, and 0 would claim the test took none
 * (the suite's `untimed` property says why).
 */
function testTime(test: TestResult, last: Attempt): string | undefined {
  if (test.durationMs !== undefined) return seconds(test.durationMs)
  if (test.outcome === 'ignored' || test.outcome === 'not-run' || test.outcome === 'cancelled') {
    return seconds(0)
  }
  return ranTests(last) === 1 ? seconds(last.command.durationMs) : undefined
}

function ranTests(attempt: Attempt): number {
  return attempt.tests.filter(t => t.outcome === 'passed' || isFailingTest(t)).length
}

function seconds(ms: number): string {
  return (Math.max(0, ms) / 1000).toFixed(3)
}
