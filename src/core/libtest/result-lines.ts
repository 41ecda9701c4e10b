/**
 * The lines of a target's run as libtest prints them on stable Rust
 * (`rust-lang/rust:library/test/src/formatters/pretty.rs`): `test NAME ... VERDICT`, the
 * verdict printed apart when a `--nocapture` test wrote in between (or glued to its
 * output), `has been running for over 60 seconds`, and a child process's `running N
 * tests` (a test re-running its own binary), which is that test's output.
 */
import type { TestRecord } from './record.js'
import type { ReaderState } from './reader-state.js'
import type { TestOutput } from './test-output.js'

const MODE = '(?: - (?:should panic|compile fail|compile))?'
const RESULT = new RegExp(`^test (.+?)${MODE} \\.\\.\\. ?(.*)$`)
const GLUED_RESULT = new RegExp(`test (\\S+?)${MODE} \\.\\.\\. (ok|FAILED|ignored(?:, .*)?)$`)
const VERDICT = /^(?:ok|FAILED|ignored|ignored, .*)$/
// A verdict word with a panic's terminator or a backtrace line glued after it.
const VERDICT_THEN_STDERR = /^(ok|FAILED|ignored)((?:stack backtrace:|note: |\s+\d+: |\s+at ).*)$/
const SLOW = /^test (.+) has been running for over \d+ seconds$/
/** libtest's `running N tests`, which opens a run: N in group 1. */
export const RUNNING_COUNT = /^running (\d+) tests?$/

/** Whether a line is a test's result or slow warning (libtest output without its header). */
export function isResultLine(line: string): boolean {
  return RESULT.test(line) || SLOW.test(line)
}

/** Reads the lines of the run in progress (phase `running`). */
export class ResultLines {
  /** `refeed`: the reader's own `line`, for output that follows a result on its line. */
  constructor(
    private readonly state: ReaderState,
    private readonly output: TestOutput,
    private readonly refeed: (line: string) => void
  ) {}

  /** Results, verdicts printed apart from their test name, slow warnings; false for output. */
  resultLine(line: string): boolean {
    const run = this.state.tests.run
    if (run === undefined) return false
    const result = RESULT.exec(line)
    const count = RUNNING_COUNT.exec(line)
    if (line === 'failures:' && this.state.previousBlank) {
      if (!run.ownFailures()) return this.output.childLine(line)
      this.state.phase = 'blocks'
      this.state.block = undefined
    } else if (count !== null) {
      run.openChild(Number(count[1]))
      return this.output.childLine(line)
    } else if (result !== null) {
      return this.testLine(result[1] ?? '', result[2] ?? '')
    } else if (SLOW.test(line)) {
      const name = SLOW.exec(line)?.[1] ?? ''
      if (run.selects(name)) run.slow.add(name)
    } else if (run.waitingForVerdict && (VERDICT.test(line) || line.endsWith('FAILED'))) {
      // The verdict of a --nocapture test, alone or glued after output with no newline.
      if (VERDICT.test(line)) return this.detachedVerdict(line)
      this.output.captureGlued(line.slice(0, -'FAILED'.length))
      return this.detachedVerdict('FAILED')
    } else if (run.waitingForVerdict && VERDICT_THEN_STDERR.test(line)) {
      // libtest flushes the verdict word before its newline: stderr can follow on its line.
      const [, verdict = '', rest = ''] = VERDICT_THEN_STDERR.exec(line) ?? []
      this.detachedVerdict(verdict)
      this.output.content(rest)
      return true
    } else {
      const glued = GLUED_RESULT.exec(line)
      if (glued === null) return false
      this.output.captureGlued(line.slice(0, glued.index))
      return this.resultLine(line.slice(glued.index))
    }
    this.state.panics.interrupt('libtest')
    return true
  }

  /** `test X ... <verdict>`, or `test X ... ` with the verdict (and maybe output) to come. */
  private testLine(name: string, rest: string): boolean {
    const { tests } = this.state
    const run = tests.run
    if (run === undefined) return false
    if (VERDICT.test(rest)) {
      if (!run.ownVerdict(name, tests.has(name)))
        return this.output.childLine(`test ${name} ... ${rest}`)
      this.verdict(tests.record(name), rest)
      return true
    }
    run.started(name, tests.has(name))
    this.state.panics.interrupt('libtest')
    // With --nocapture the test's own output (or another's) follows on the same line.
    if (rest !== '') this.refeed(rest)
    return true
  }

  /** A verdict word printed apart from its `test X ... ` line. */
  private detachedVerdict(verdict: string): boolean {
    const detached = this.state.tests.run?.detachedVerdict()
    if (detached === undefined) return false
    if (detached.own) this.verdict(this.state.tests.record(detached.name), verdict)
    else this.state.panics.interrupt('libtest')
    return true
  }

  private verdict(record: TestRecord, verdict: string): void {
    const panicking = this.state.panics.current?.thread === record.name
    this.state.panics.interrupt(panicking ? 'verdict-of-panicking-test' : 'libtest')
    this.state.tests.verdict(record, verdict)
  }
}
