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
 */
import { BoundedText } from '../shared/bounded-text.js'
import {
  targetFromHeader,
  withoutColour,
  type ListedTest,
  type TargetOfExecutable
} from './list.js'
import { LocationResolver } from './location.js'
import {
  BACKTRACE_NOTE,
  BACKTRACE_START,
  PanicReader,
  RecentOutput,
  summarize,
  parsePanicHeader,
  type PanicHeader,
  type PanicReport
} from './panic.js'
import { toTestResult, type TestRecord } from './record.js'
import {
  BINARY_ENDED,
  CARGO_EXIT,
  CARGO_FAILED,
  cargoEnding,
  endingOf,
  type Ending,
  type ProcessEnd
} from './running.js'
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
const MODE = '(?: - (?:should panic|compile fail|compile))?'
const RESULT = new RegExp(`^test (.+?)${MODE} \\.\\.\\. ?(.*)$`)
const GLUED_RESULT = new RegExp(`test (\\S+?)${MODE} \\.\\.\\. (ok|FAILED|ignored(?:, .*)?)$`)
const VERDICT = /^(?:ok|FAILED|ignored|ignored, .*)$/
// A verdict word with a panic's terminator or a backtrace line glued after it.
const VERDICT_THEN_STDERR = /^(ok|FAILED|ignored)((?:stack backtrace:|note: |\s+\d+: |\s+at ).*)$/
const SLOW = /^test (.+) has been running for over \d+ seconds$/
const RUNNING_COUNT = /^running (\d+) tests?$/
const SUMMARY =
  /^test result: (ok|FAILED)\. (?:(\d+) passed; (\d+) failed; (\d+) ignored; (\d+) measured)?/
const FINISHED_IN = /; finished in (\d+(?:\.\d+)?)s$/
const BLOCK = /^---- (.+) (?:stdout|stderr) ----$/
const LISTED_FAILURE = /^ {4}(\S.*)$/

/** Reads merged `cargo test` output line by line; see the module comment. */
export class LibtestParser {
  private readonly resolver: LocationResolver
  private readonly panics: PanicReader
  private readonly maxOutputBytes: number
  private readonly tests: TestRecords
  /** `ended`: cargo reported the binary failed, without a summary (it crashed). */
  private phase: 'between' | 'running' | 'blocks' | 'list' | 'ended' = 'between'
  private previousBlank = false
  private block: TestRecord | undefined
  private last: { target: string | undefined; report: PanicReport } | undefined
  private readonly recent = new RecentOutput()
  private readonly targetOf: TargetOfExecutable | undefined

  constructor(options: LibtestParserOptions) {
    this.targetOf = options.targetOf
    this.resolver = new LocationResolver(options.repoRoot, options.cwd, options.fileExists)
    this.panics = new PanicReader(this.resolver)
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    this.tests = new TestRecords(options.expected ?? [], options.threads, options.clock)
  }

  /** Feeds one line (without its newline). */
  line(text: string): void {
    let line = withoutColour(text.endsWith('\r') ? text.slice(0, -1) : text)
    if (line.length > MAX_LINE_CHARS) {
      line = `${line.slice(0, MAX_LINE_CHARS / 2)}…${line.slice(-MAX_LINE_CHARS / 2)}`
    }
    if (!this.structure(line)) this.content(line)
    this.previousBlank = line.trim() === ''
  }

  /** Names (target + test) of tests started but not finished, for hang/crash attribution. */
  running(): { target?: string; name: string }[] {
    const run = this.tests.run
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
    if (this.phase !== 'between') this.closeTarget(this.endingAtEnd(end))
    const ending = endingOf(end)
    const cargoGaveUp = `cargo ended (exit code ${end.exitCode ?? '?'})`
    this.tests.notRun(end, end.timedOut || end.signal !== null ? ending.cause : cargoGaveUp)
    return this.tests.all().map(record => toTestResult(record, this.resolver))
  }

  /** After `finish`: panics of non-test threads that no test could take. */
  unattributedPanics(): PanicSummary[] {
    return this.tests.unattributed()
  }

  /** Each target's time by libtest's own summary (`finished in`), ms, keyed by target (`''` unknown). */
  targetTimes(): Map<string, number> {
    return this.tests.targetTimes
  }

  /** After `finish`: test binaries cargo reported killed by a signal or exiting early. */
  crashes(): TargetCrash[] {
    return [...this.tests.crashes]
  }

  /** The last panic printed by anything in the command (a child process's included). */
  lastPanic(): PanicSummary | undefined {
    return this.last === undefined ? undefined : summarize(this.last.report, this.last.target)
  }

  /**
   * Handles a line of libtest or cargo framing; false for anything else. What counts
   * depends on the phase, so that a test printing cargo-like output (captured in a
   * failure block, say) does not derail the run.
   */
  private structure(line: string): boolean {
    if (this.phase === 'between') return this.betweenTargets(line)
    if (this.phase === 'ended') return this.afterCrash(line)
    const run = this.tests.run
    if (CARGO_FAILED.test(line) && this.phase === 'running') {
      // After a summary taken for a child's, this is a plain failure, not a crash.
      if (run?.summarySeen === true) this.closeTarget(undefined)
      else this.phase = 'ended'
    } else if (SUMMARY.test(line) && this.phase !== 'blocks') {
      return this.summary(line)
    } else if (CARGO_EXIT.test(line) && this.phase !== 'blocks') {
      this.closeTarget(cargoEnding(line))
    } else if (
      this.phase === 'running' &&
      run?.summarySeen === true &&
      targetFromHeader(line, this.targetOf)
    ) {
      this.closeTarget(undefined)
      return this.betweenTargets(line)
    } else if (this.phase === 'running') {
      return this.resultLine(line)
    } else {
      return this.failureSection(line)
    }
    this.panics.interrupt('cargo')
    return true
  }

  /** Cargo's `Running` headers and libtest's `running N tests` start a target run. */
  private betweenTargets(line: string): boolean {
    const header = targetFromHeader(line, this.targetOf)
    const count = RUNNING_COUNT.exec(line)
    if (header !== undefined) this.tests.target = header
    else if (count !== null) this.openTarget(Number(count[1]))
    else if (RESULT.test(line) || SLOW.test(line)) {
      // libtest output without its `running N tests` line, as when fed a partial log.
      this.openTarget(undefined)
      return this.resultLine(line)
    } else return false
    this.panics.stop()
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
    const run = this.tests.run
    const match = SUMMARY.exec(line)
    const counts = match?.slice(2).map(Number) ?? []
    const total =
      counts.length === 4 && !counts.some(Number.isNaN) ? counts.reduce((a, b) => a + b) : undefined
    if (this.phase === 'list' || run === undefined || run.ownSummary(total)) {
      if (match?.[1] === 'ok' && run !== undefined) run.failureList ??= new Set()
      const finished = FINISHED_IN.exec(line)
      if (finished !== null) this.tests.finishedIn(Math.round(Number(finished[1]) * 1000))
      this.closeTarget(undefined)
      this.panics.interrupt('cargo')
      return true
    }
    run.closeChild()
    return this.childLine(line)
  }

  /** Lines of a run: results, verdicts printed apart from their test name, slow warnings. */
  private resultLine(line: string): boolean {
    const run = this.tests.run
    if (run === undefined) return false
    const result = RESULT.exec(line)
    const count = RUNNING_COUNT.exec(line)
    if (line === 'failures:' && this.previousBlank) {
      if (!run.ownFailures()) return this.childLine(line)
      this.phase = 'blocks'
      this.block = undefined
    } else if (count !== null) {
      run.openChild(Number(count[1]))
      return this.childLine(line)
    } else if (result !== null) {
      return this.testLine(result[1] ?? '', result[2] ?? '')
    } else if (SLOW.test(line)) {
      const name = SLOW.exec(line)?.[1] ?? ''
      if (run.selects(name)) run.slow.add(name)
    } else if (run.waitingForVerdict && (VERDICT.test(line) || line.endsWith('FAILED'))) {
      // The verdict of a --nocapture test, alone or glued after output with no newline.
      if (VERDICT.test(line)) return this.detachedVerdict(line)
      this.captureGlued(line.slice(0, -'FAILED'.length))
      return this.detachedVerdict('FAILED')
    } else if (run.waitingForVerdict && VERDICT_THEN_STDERR.test(line)) {
      // libtest flushes the verdict word before its newline: stderr can follow on its line.
      const [, verdict = '', rest = ''] = VERDICT_THEN_STDERR.exec(line) ?? []
      this.detachedVerdict(verdict)
      this.content(rest)
      return true
    } else {
      const glued = GLUED_RESULT.exec(line)
      if (glued === null) return false
      this.captureGlued(line.slice(0, glued.index))
      return this.resultLine(line.slice(glued.index))
    }
    this.panics.interrupt('libtest')
    return true
  }

  /** `test X ... <verdict>`, or `test X ... ` with the verdict (and maybe output) to come. */
  private testLine(name: string, rest: string): boolean {
    const run = this.tests.run
    if (run === undefined) return false
    if (VERDICT.test(rest)) {
      if (!run.ownVerdict(name, this.tests.has(name)))
        return this.childLine(`test ${name} ... ${rest}`)
      this.verdict(this.tests.record(name), rest)
      return true
    }
    run.started(name, this.tests.has(name))
    this.panics.interrupt('libtest')
    // With --nocapture the test's own output (or another's) follows on the same line.
    if (rest !== '') this.line(rest)
    return true
  }

  /** A verdict word printed apart from its `test X ... ` line. */
  private detachedVerdict(verdict: string): boolean {
    const detached = this.tests.run?.detachedVerdict()
    if (detached === undefined) return false
    if (detached.own) this.verdict(this.tests.record(detached.name), verdict)
    else this.panics.interrupt('libtest')
    return true
  }

  /** A libtest line printed by a child process: output of the test running, if known. */
  private childLine(line: string): true {
    this.panics.interrupt('libtest')
    const owner = this.owner()
    if (owner !== undefined) (owner.output ??= new BoundedText(this.maxOutputBytes)).push(line)
    return true
  }

  /** `failures:` blocks (`---- name stdout ----` and the captured output), then the name list. */
  private failureSection(line: string): boolean {
    const block = BLOCK.exec(line)
    const run = this.tests.run
    if (line === 'failures:' && this.previousBlank) {
      this.phase = 'list'
      this.block = undefined
      if (run !== undefined) run.failureList = new Set()
    } else if (block !== null && this.phase === 'blocks') {
      this.block = this.tests.record(block[1] ?? '')
    } else if (this.phase === 'list') {
      const listed = LISTED_FAILURE.exec(line)
      if (listed === null) return false
      run?.failureList?.add(listed[1] ?? '')
      this.tests.record(listed[1] ?? '')
    } else {
      return false
    }
    this.panics.stop()
    return true
  }

  /** Output of tests: panics are read, and the line is kept for the test it belongs to. */
  private content(line: string): void {
    const run = this.tests.run
    if (run !== undefined && BACKTRACE_NOTE.test(line)) run.noteSeen = true
    if (run !== undefined && line === BACKTRACE_START) run.backtraces = true
    const header = parsePanicHeader(line)
    if (header !== undefined) this.startPanic(header)
    else if (!this.panics.feed(line)) this.recent.add(line)
    const owner = this.owner()
    if (owner === undefined) return
    ;(owner.output ??= new BoundedText(this.maxOutputBytes)).push(line)
    owner.notes.read(line, this.resolver)
  }

  /** The test whose output a line is: the failure block's, or the only test running. */
  private owner(): TestRecord | undefined {
    if (this.phase === 'blocks') return this.block
    const sole = this.phase === 'running' ? this.tests.run?.sole() : undefined
    return sole === undefined ? undefined : this.tests.record(sole)
  }

  private captureGlued(prefix: string): void {
    this.panics.interrupt('libtest')
    if (prefix !== '') this.content(prefix)
    this.panics.interrupt('libtest')
  }

  private startPanic(header: PanicHeader): void {
    const run = this.tests.run
    const inBlock = this.phase === 'blocks'
    const terminated = inBlock || run === undefined || run.backtraces || !run.noteSeen
    const sole = run?.sole()
    const alone = inBlock || sole !== undefined
    const own = inBlock ? header.thread === this.block?.name : header.thread === sole
    const foreign = (line: string): boolean => this.recent.has(line)
    const report = this.panics.start(header, { terminated, alone, own, foreign })
    this.last = { target: this.tests.target, report }
    if (inBlock && this.block !== undefined) this.tests.blockPanic(this.block, report)
    else if (this.phase === 'running') this.tests.attributePanic(report)
  }

  private verdict(record: TestRecord, verdict: string): void {
    const panicking = this.panics.current?.thread === record.name
    this.panics.interrupt(panicking ? 'verdict-of-panicking-test' : 'libtest')
    this.tests.verdict(record, verdict)
  }

  private openTarget(announced: number | undefined): void {
    this.phase = 'running'
    this.tests.openTarget(announced)
  }

  /** How the open target ends with the output: cut short, unless its summary was seen. */
  private endingAtEnd(end: ProcessEnd): Ending | undefined {
    const summarySeen = this.tests.run?.summarySeen === true
    return summarySeen && !end.timedOut && end.signal === null ? undefined : endingOf(end)
  }

  private closeTarget(ending: Ending | undefined): void {
    if (this.phase !== 'between') this.tests.closeTarget(ending)
    this.phase = 'between'
    this.block = undefined
  }
}
