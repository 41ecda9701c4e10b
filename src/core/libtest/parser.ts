/**
 * Streaming reader of `cargo test` output (stdout and stderr merged, so lines come in
 * true order): which tests ran in which target, how each ended, and for failures the
 * panic message, in-repo location and bounded output. Memory stays bounded whatever the
 * length of the output; nothing but per-test summaries is kept.
 *
 * Whose panic it is. libtest runs each test on a thread named after the test (checked
 * on rustc 1.95 with 1, 2 and 8 test threads), so a panic of thread `a::b` is test
 * `a::b`'s, whatever else runs: its last one before its verdict is its own panic. A
 * panic of any other thread (`<unnamed>`, `worker-7`) is a helper's: the root cause of
 * the test running when only one is, else of the failed test whose own panic only joined
 * a panicked thread (`root-cause.ts`), else a panic of the case (`unattributedPanics`).
 * Which lines belong to the target and which to a child process of one of its tests is
 * decided in `target-run.ts`; where a panic message ends, in `panic.ts`.
 *
 * This file follows cargo's framing: `Running` headers, each target's run, its summary
 * and how it ends (summary, crash, cargo giving up). A run's result lines are read in
 * `result-lines.ts`, its `failures:` section in `failure-section.ts`, the tests' output
 * and the panics in it in `test-output.ts`; they share `reader-state.ts`.
 */
import { failureSection } from './failure-section.js'
import {
  targetFromHeader,
  withoutColour,
  type ListedTest,
  type TargetOfExecutable
} from './list.js'
import { LocationResolver } from './location.js'
import { PanicReader } from './panic.js'
import type { ReaderState } from './reader-state.js'
import { toTestResult } from './record.js'
import { isResultLine, ResultLines, RUNNING_COUNT } from './result-lines.js'
import {
  BINARY_ENDED,
  CARGO_EXIT,
  CARGO_FAILED,
  cargoEnding,
  endingOf,
  type Ending,
  type ProcessEnd
} from './running.js'
import { TestOutput } from './test-output.js'
import { TestRecords, type TargetCrash } from './test-records.js'
import type { PanicSummary, TestResult } from './test-result.js'

export type { ProcessEnd } from './running.js'
export type { TargetCrash } from './test-records.js'

/** Where the output comes from, and how much of it to keep. */
export interface LibtestParserOptions {
  /** Absolute repository root: only locations inside it are kept, made relative to it. */
  repoRoot: string
  /** Absolute directory cargo ran in (panic paths are relative to the workspace root, or absolute). */
  cwd: string
  /** Cap on captured output per test, bytes. */
  maxOutputBytes?: number
  /**
   * Tests the command selects (from `--list`, with the ignored ones flagged), per target.
   * With several test threads libtest names a test only when it ends, so this is what
   * pins a hang or crash on the tests running, and what tells a test's own libtest lines
   * from those a child process of it prints.
   */
  expected?: ListedTest[]
  /** libtest's `--test-threads`, when known; 1 means tests are announced as they start. */
  threads?: number
  /** Whether a file exists, to tell which base a relative panic path is relative to. */
  fileExists?: (file: string) => boolean
  /** Which target a `Running` header's executable is (a workspace's `PKG/lib`), when the build knows it. */
  targetOf?: TargetOfExecutable
  /** The time a line is read, ms: with one test thread, tests are timed by their results. */
  clock?: () => number
}

const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024
// A single line longer than this keeps only its ends, which is where verdicts are glued.
const MAX_LINE_CHARS = 64 * 1024
const SUMMARY =
  /^test result: (ok|FAILED)\. (?:(\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured)?/
const FINISHED_IN = /; finished in (\d+(?:\.\d+)?)s$/

/** Reads merged `cargo test` output line by line; see the module comment. */
export class LibtestParser {
  private readonly resolver: LocationResolver
  private readonly state: ReaderState
  private readonly output: TestOutput
  private readonly results: ResultLines
  private readonly targetOf: TargetOfExecutable | undefined

  constructor(options: LibtestParserOptions) {
    this.targetOf = options.targetOf
    this.resolver = new LocationResolver(options.repoRoot, options.cwd, options.fileExists)
    this.state = {
      phase: 'between',
      previousBlank: false,
      block: undefined,
      tests: new TestRecords(options.expected ?? [], options.threads, options.clock),
      panics: new PanicReader(this.resolver)
    }
    const maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    this.output = new TestOutput(this.state, this.resolver, maxOutputBytes)
    this.results = new ResultLines(this.state, this.output, line => this.line(line))
  }

  /** Feeds one line (without its newline). */
  line(text: string): void {
    let line = withoutColour(text.endsWith('\r') ? text.slice(0, -1) : text)
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS / 2)}…${line.slice(-MAX_LINE_CHARS / 2)}`
    }
    if (!this.structure(line)) this.output.content(line)
    this.state.previousBlank = line.trim() === ''
  }

  /** Names (target + test) of tests started but not finished, for hang/crash attribution. */
  running(): { target?: string; name: string }[] {
    const run = this.state.tests.run
    if (run === undefined) return []
    const target = run.target
    return run.suspects().running.map(name => (target === undefined ? { name } : { target, name }))
  }

  /**
   * Called once after the process ended: every test seen, where tests that never finished
   * are `timed-out` (if the command timed out) or `crashed`, and selected tests that never
   * started are `not-run`, each with a message saying why.
   */
  finish(end: ProcessEnd): TestResult[] {
    const { tests } = this.state
    if (this.state.phase !== 'between') this.closeTarget(this.endingAtEnd(end))
    const ending = endingOf(end)
    const cargoGaveUp = `cargo ended (exit code ${end.exitCode ?? '?'})`
    tests.notRun(end, end.timedOut || end.signal !== null ? ending.cause : cargoGaveUp)
    return tests.all().map(record => toTestResult(record, this.resolver))
  }

  /** After `finish`: panics of non-test threads that no test could take. */
  unattributedPanics(): PanicSummary[] {
    return this.state.tests.unattributed()
  }

  /** Each target's time by libtest's own summary (`finished in`), ms, keyed by target (`''` unknown). */
  targetTimes(): Map<string, number> {
    return this.state.tests.targetTimes
  }

  /** After `finish`: test binaries cargo reported killed by a signal or exiting early. */
  crashes(): TargetCrash[] {
    return [...this.state.tests.crashes]
  }

  /** The last panic printed by anything in the command (a child process's included). */
  lastPanic(): PanicSummary | undefined {
    return this.output.lastPanic()
  }

  /**
   * Handles a line of libtest or cargo framing; false for anything else. What counts
   * depends on the phase, so that a test printing cargo-like output (captured in a
   * failure block, say) does not derail the run.
   */
  private structure(line: string): boolean {
    const { phase } = this.state
    if (phase === 'between') return this.betweenTargets(line)
    if (phase === 'ended') return this.afterCrash(line)
    const run = this.state.tests.run
    if (CARGO_FAILED.test(line) && phase === 'running') {
      // After a summary taken for a child's, this is a plain failure, not a crash.
      if (run?.summarySeen === true) this.closeTarget(undefined)
      else this.state.phase = 'ended'
    } else if (SUMMARY.test(line) && phase !== 'blocks') {
      return this.summary(line)
    } else if (CARGO_EXIT.test(line) && phase !== 'blocks') {
      this.closeTarget(cargoEnding(line))
    } else if (
      phase === 'running' &&
      run?.summarySeen === true &&
      targetFromHeader(line, this.targetOf)
    ) {
      this.closeTarget(undefined)
      return this.betweenTargets(line)
    } else if (phase === 'running') {
      return this.results.resultLine(line)
    } else {
      return failureSection(this.state, line)
    }
    this.state.panics.interrupt('cargo')
    return true
  }

  /** Cargo's `Running` headers and libtest's `running N tests` start a target run. */
  private betweenTargets(line: string): boolean {
    const header = targetFromHeader(line, this.targetOf)
    const count = RUNNING_COUNT.exec(line)
    if (header !== undefined) this.state.tests.target = header
    else if (count !== null) this.openTarget(Number(count[1]))
    else if (isResultLine(line)) {
      // libtest output without its `running N tests` line, as when fed a partial log.
      this.openTarget(undefined)
      return this.results.resultLine(line)
    } else return false
    this.state.panics.stop()
    return true
  }

  /** Cargo's words after a test binary died: its exit status, the next target. */
  private afterCrash(line: string): true {
    if (CARGO_EXIT.test(line)) this.closeTarget(cargoEnding(line))
    else if (targetFromHeader(line, this.targetOf) !== undefined) {
      this.closeTarget(BINARY_ENDED)
      this.betweenTargets(line)
    }
    return true
  }

  /** `test result:`: the target's own summary closes it; a child's closes the child's run. */
  private summary(line: string): boolean {
    const { tests } = this.state
    const run = tests.run
    const match = SUMMARY.exec(line)
    const counts = match?.slice(2).map(Number) ?? []
    const total =
      counts.length === 4 && !counts.some(Number.isNaN) ? counts.reduce((a, b) => a + b) : undefined
    if (this.state.phase === 'list' || run === undefined || run.ownSummary(total)) {
      if (match?.[1] === 'ok' && run !== undefined) run.failureList ??= new Set()
      const finished = FINISHED_IN.exec(line)
      if (finished !== null) tests.finishedIn(Math.round(Number(finished[1]) * 1000))
      this.closeTarget(undefined)
      this.state.panics.interrupt('cargo')
      return true
    }
    run.closeChild()
    return this.output.childLine(line)
  }

  private openTarget(announced: number | undefined): void {
    this.state.phase = 'running'
    this.state.tests.openTarget(announced)
  }

  /** How the open target ends with the output: cut short, unless its summary was seen. */
  private endingAtEnd(end: ProcessEnd): Ending | undefined {
    const summarySeen = this.state.tests.run?.summarySeen === true
    return summarySeen && !end.timedOut && end.signal === null ? undefined : endingOf(end)
  }

  private closeTarget(ending: Ending | undefined): void {
    if (this.state.phase !== 'between') this.state.tests.closeTarget(ending)
    this.state.phase = 'between'
    this.state.block = undefined
  }
}
