/**
 * One test as the libtest parser follows it, and how it becomes a `TestResult`: which of
 * the things a failure printed (panic, libtest note, `Error:` line) explains it best.
 */
import type { BoundedText } from '../shared/bounded-text.js'
import { isDocTestsTarget } from './list.js'
import type { LocationResolver } from './location.js'
import { isJoinOfPanickedThread, panicText, type PanicReport } from './panic.js'
import type { SourceLocation } from '../shared/source-location.js'
import { formatLocation } from '../shared/text.js'
import type { TestOutcome, TestResult } from './test-result.js'

/** What the parser knows of one test so far. */
export interface TestRecord {
  target: string | undefined
  name: string
  outcome?: TestOutcome
  /** Why the test did not finish or run, for `timed-out`, `crashed` and `not-run`. */
  reason?: string
  ignoreReason?: string
  /** The latest passing verdict (`passed`, `ignored`), should a later FAILED prove a child's. */
  lastPass?: 'passed' | 'ignored'
  /** The test's own panic: the last one of its thread before its verdict. */
  panic?: PanicReport
  /** A panic of the test's thread since its latest verdict (a child process may print one too). */
  pendingPanic?: PanicReport
  /** A non-test thread's panic taken as the root cause (the test was alone, or joined it). */
  rootCause?: PanicReport
  notes: FailureNotes
  output?: BoundedText
  /** Wall time, ms, when known (see `TestResult.durationMs`). */
  durationMs?: number
}

const NO_PANIC = /^note: test did not panic as expected(?: at (.+):(\d+):(\d+))?$/
const WRONG_PANIC = 'note: panic did not contain expected string'
const WRONG_PANIC_DETAIL = /^\s+(panic message|expected substring|expected string): /
// `Error: …` is how a `#[test] fn … -> Result` reports its Err; `error[E…]: …` is how
// a doc test that does not compile starts its failure block.
const ERROR_LINE = /^(Error: |error(\[E\d+\])?: )/
// Doc-test names carry the file and the line of the example: `src/lib.rs - f (line 5)`.
const DOC_TEST = /^(.+?) - .*\(line (\d+)\)$/
// rustc's pointer to the code of a diagnostic: `  --> src/lib.rs:24:14`.
const COMPILER_POINTER = /^\s*--> (.+):(\d+):(\d+)$/

/** libtest's own explanations of a failure, read from the test's output. */
export class FailureNotes {
  /** A should_panic note, the most precise explanation when present. */
  note: string[] | undefined
  noteLocation: SourceLocation | undefined
  /** The `Error: …` line of a test that returned Err, or a doc test's first compile error. */
  error: string | undefined
  /** Where the compiler's first error points (`--> file:line:col`), in the repository. */
  errorLocation: SourceLocation | undefined
  private afterCompileError = false
  private inWrongPanic = false

  /** Reads one output line of the test. */
  read(line: string, resolver: LocationResolver): void {
    if (this.inWrongPanic && WRONG_PANIC_DETAIL.test(line) && this.note !== undefined) {
      this.note.push(line.trim())
      return
    }
    this.inWrongPanic = false
    if (this.note !== undefined) return
    const noPanic = NO_PANIC.exec(line)
    if (noPanic !== null) {
      this.note = ['test did not panic as expected']
      if (noPanic[1] !== undefined) {
        const [file, row, column] = [noPanic[1], Number(noPanic[2]), Number(noPanic[3])]
        this.noteLocation = resolver.resolve(file, row, column)
      }
    } else if (line === WRONG_PANIC) {
      this.note = ['panic did not contain expected string']
      this.inWrongPanic = true
    } else if (ERROR_LINE.test(line) && this.error === undefined) {
      this.error = line
      this.afterCompileError = line.startsWith('error')
    } else if (this.afterCompileError) {
      // The pointer follows its error line; the first one is the error's own.
      const pointer = COMPILER_POINTER.exec(line)
      if (pointer === null) return
      const [file, row, column] = [pointer[1] ?? '', Number(pointer[2]), Number(pointer[3])]
      this.errorLocation = resolver.resolve(file, row, column)
      this.afterCompileError = false
    }
  }
}

/** The result to report for `record`, with message and location chosen for a reader. */
export function toTestResult(record: TestRecord, resolver: LocationResolver): TestResult {
  const result: TestResult = { name: record.name, outcome: record.outcome ?? 'crashed' }
  if (record.target !== undefined) result.target = record.target
  if (record.durationMs !== undefined) result.durationMs = record.durationMs
  if (result.outcome === 'passed') return result
  if (result.outcome === 'ignored' || result.outcome === 'not-run') {
    const why = record.outcome === 'ignored' ? record.ignoreReason : record.reason
    if (why !== undefined) result.message = why
    return result
  }
  const explanation = explain(record)
  // Blank lines around libtest's block separators are framing, not output.
  const output = (record.output?.toString() ?? '').replace(/^(?:[ \t]*\n)+/, '').trimEnd()
  const fallback = output === '' ? "; see the command's log" : '; see its output'
  result.message =
    record.reason === undefined
      ? (explanation ?? `failed without a panic message${fallback}`)
      : [record.reason, explanation].filter(part => part !== undefined).join('\n')
  const location = docTestLocation(record, resolver) ?? panicLocation(record)
  if (location !== undefined) result.location = location
  else if (record.notes.noteLocation !== undefined) result.location = record.notes.noteLocation
  if (output !== '') result.output = output
  return result
}

function explain(record: TestRecord): string | undefined {
  const { note, error } = record.notes
  if (note !== undefined) return note.join('\n')
  const { panic, rootCause } = record
  if (rootCause !== undefined) {
    const cause = `thread '${rootCause.thread}' panicked: ${panicText(rootCause)}`
    if (panic === undefined) return cause
    const at = panic.location === undefined ? '' : ` at ${formatLocation(panic.location)}`
    return `${cause}\n(then the test panicked${at}: ${panicText(panic)})`
  }
  if (panic === undefined) return error
  // A panic in a helper thread is the root cause, but the reader should know it was not the test's.
  const own = panic.thread === record.name || panic.thread === 'main'
  return own ? panicText(panic) : `thread '${panic.thread}' panicked: ${panicText(panic)}`
}

/** Where to point for the test: a root cause's site when its own panic only joined it. */
function panicLocation(record: TestRecord): SourceLocation | undefined {
  const { panic, rootCause } = record
  if (rootCause?.location !== undefined) return rootCause.location
  return panic?.location
}

/** A non-test thread's panic explains the test when the test's own panic only joined it. */
export function wantsRootCause(record: TestRecord): boolean {
  return record.panic === undefined || isJoinOfPanickedThread(record.panic)
}

/**
 * Where a failed doc test points: the compiler's `-->` when its example does not
 * compile; else the example itself (`src/lib.rs - f (line 5)`), since a doc test's
 * panic line counts from the example, not from the file.
 */
function docTestLocation(
  record: TestRecord,
  resolver: LocationResolver
): SourceLocation | undefined {
  if (!isDocTestsTarget(record.target)) return undefined
  if (record.panic === undefined && record.notes.errorLocation !== undefined) {
    return record.notes.errorLocation
  }
  const match = DOC_TEST.exec(record.name)
  if (match === null) return undefined
  return resolver.resolve(match[1] ?? '', Number(match[2]))
}

/** A fresh record of a test seen in `target`. */
export function newRecord(target: string | undefined, name: string): TestRecord {
  return { target, name, notes: new FailureNotes() }
}

/** Key of a test among all targets. */
export function recordKey(target: string | undefined, name: string): string {
  return `${target ?? ''}\u0000${name}`
}
