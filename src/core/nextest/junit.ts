/**
 * Reading the JUnit XML cargo-nextest writes (its `[profile.X.junit]`
 * report; format described in nextest's "JUnit support" docs and its
 * `junit.rs`): one `<testsuite>` per test binary (named by binary id), one
 * `<testcase>` per test, with `<failure>` for the first failed attempt,
 * `<rerunFailure>` for each later failed one and `<flakyFailure>` for the
 * failed attempts of a test that passed on a retry. Failure types:
 * `test failure with exit code N`, `test abort` (killed by a signal, named in
 * the message) and `test timeout` (no message).
 */
import { XMLParser } from 'fast-xml-parser'

/** How one attempt of a test ended. */
export type NextestAttemptOutcome = 'passed' | 'failed' | 'timed-out' | 'crashed'

/** One attempt of a test, as the report keeps it. */
export interface NextestAttempt {
  outcome: NextestAttemptOutcome
  /** Seconds. */
  timeSecs: number
  /** The failure's `message` attribute (the panic's first line, or the signal). */
  message?: string
  /** The failure's text: the whole panic with its backtrace, when nextest had it. */
  text?: string
  /** Exit code from `test failure with exit code N`. */
  exitCode?: number
  /** Signal name from `process aborted with signal 11 (SIGSEGV)`. */
  signal?: string
  stdout?: string
  stderr?: string
}

/** One test of the run, with every attempt in order (the last decides). */
export interface NextestCase {
  /** Binary id, e.g. `mini-kv::basic`, or the crate name for its lib tests. */
  binaryId: string
  /** libtest name, e.g. `tests::put_then_get`. */
  name: string
  attempts: NextestAttempt[]
  /** Present when nextest reported the test as skipped (`report-skipped`). */
  skipped?: string
}

/** A whole report. */
export interface NextestReport {
  /** The run id (`testsuites@uuid`), the same as `NEXTEST_RUN_ID`. */
  runId?: string
  cases: NextestCase[]
}

type XmlNode = Record<string, unknown>

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  isArray: name =>
    ['testsuite', 'testcase', 'failure', 'rerunFailure', 'flakyFailure'].includes(name)
})

/**
 * Parses a nextest JUnit report.
 * @throws Error when the text is not XML with a `<testsuites>` root.
 */
export function readNextestJunit(xml: string): NextestReport {
  const doc = parser.parse(xml) as { testsuites?: XmlNode | string }
  const root = doc.testsuites
  if (root === undefined) throw new Error('not a JUnit report: no <testsuites> element')
  if (typeof root === 'string') return { cases: [] }
  const suites = (root.testsuite as XmlNode[] | undefined) ?? []
  const cases = suites.flatMap(suite =>
    ((suite.testcase as XmlNode[] | undefined) ?? []).map(tc => readCase(String(suite.name), tc))
  )
  return { ...(typeof root.uuid === 'string' ? { runId: root.uuid } : {}), cases }
}

function readCase(binaryId: string, tc: XmlNode): NextestCase {
  const failures = (tc.failure as XmlNode[] | undefined) ?? []
  const reruns = (tc.rerunFailure as XmlNode[] | undefined) ?? []
  const flaky = (tc.flakyFailure as XmlNode[] | undefined) ?? []
  const own = {
    timeSecs: Number(tc.time ?? 0),
    ...text('stdout', tc['system-out']),
    ...text('stderr', tc['system-err'])
  }
  const attempts: NextestAttempt[] = []
  if (flaky.length > 0) {
    // Passed on a retry: the flaky failures came first, the testcase itself is the pass.
    attempts.push(...flaky.map(failedAttempt), { outcome: 'passed', ...own })
  } else if (failures.length > 0) {
    // The testcase's own time and output belong to its first attempt.
    attempts.push({ ...failedAttempt(failures[0]!), ...own }, ...reruns.map(failedAttempt))
  } else {
    attempts.push({ outcome: 'passed', ...own })
  }
  const skipped = tc.skipped as XmlNode | string | undefined
  return {
    binaryId,
    name: String(tc.name),
    attempts,
    ...(skipped !== undefined ? { skipped: skippedMessage(skipped) } : {})
  }
}

function failedAttempt(node: XmlNode): NextestAttempt {
  const type = typeof node.type === 'string' ? node.type : ''
  const message = typeof node.message === 'string' ? node.message : undefined
  const exit = /exit code (-?\d+)/.exec(type)
  const signal = /signal \d+ \((SIG\w+)\)/.exec(message ?? '')
  const outcome: NextestAttemptOutcome =
    type === 'test timeout' ? 'timed-out' : type === 'test abort' ? 'crashed' : 'failed'
  return {
    outcome,
    timeSecs: Number(node.time ?? 0),
    ...(message !== undefined ? { message } : {}),
    ...text('text', node['#text']),
    ...(exit ? { exitCode: Number(exit[1]) } : {}),
    ...(signal ? { signal: signal[1] } : {}),
    ...text('stdout', node['system-out']),
    ...text('stderr', node['system-err'])
  }
}

function text<K extends string>(key: K, value: unknown): Partial<Record<K, string>> {
  const s = typeof value === 'string' ? value : (value as XmlNode | undefined)?.['#text']
  return typeof s === 'string' && s !== '' ? ({ [key]: s } as Record<K, string>) : {}
}

function skippedMessage(node: XmlNode | string): string {
  if (typeof node === 'string') return node
  return typeof node.message === 'string' ? node.message : 'skipped'
}
