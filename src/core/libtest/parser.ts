/**
 * Streaming reader of `cargo test` output (stdout and stderr merged, so lines come in
 * true order): which tests ran in which target, how each ended, and for failures the
 * panic message, in-repo location and bounded output. Memory stays bounded whatever the
 * length of the output; nothing but per-test summaries is kept.
 */
import { BoundedText } from '../shared/bounded-text.js'
import {
  LocationResolver,
  PanicReader,
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
import { TestRecords } from './test-records.js'
import { targetFromHeader, withoutColour, type ListedTest } from './list.js'
import type { TestResult } from './test-result.js'

export type { ProcessEnd } from './running.js'

/** Where the output comes from, and how much of it to keep. */
export interface LibtestParserOptions {
  /** Absolute repository root: only locations inside it are kept, made relative to it. */
  repoRoot: string
  /** Absolute directory cargo ran in (panic paths are relative to the workspace root, or absolute). */
  cwd: string
  /** Cap on captured output per test, bytes. */
  maxOutputBytes?: number
  /**
   * Tests the command selects (from `--list`). With several test threads libtest names a
   * test only when it ends, so this is what lets a hang or crash be pinned on a test.
   */
  expected?: ListedTest[]
  /** Whether a file exists, to tell which base a relative panic path is relative to. */
  fileExists?: (file: string) => boolean
}

const DEFAULT_MAX_OUTPUT_BYTES = 64 * 1024
// A single line longer than this keeps only its ends, which is where verdicts are glued.
const MAX_LINE_CHARS = 64 * 1024
const MODE = '(?: - (?:should panic|compile fail|compile))?'
const RESULT = new RegExp(`^test (.+?)${MODE} \\.\\.\\. ?(.*)$`)
const GLUED_RESULT = new RegExp(`test (\\S+?)${MODE} \\.\\.\\. (ok|FAILED|ignored(?:, .*)?)$`)
const VERDICT = /^(?:ok|FAILED|ignored|ignored, .*)$/
const SLOW = /^test (.+) has been running for over \d+ seconds$/
const RUNNING_COUNT = /^running \d+ tests?$/
const SUMMARY = /^test result: (ok|FAILED)\. /
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

  constructor(options: LibtestParserOptions) {
    this.resolver = new LocationResolver(options.repoRoot, options.cwd, options.fileExists)
    this.panics = new PanicReader(this.resolver)
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    this.tests = new TestRecords(options.expected ?? [])
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
    // Closing a target resets the running tests, so between targets this is empty.
    const target = this.tests.target
    return this.tests.running
      .names()
      .map(name => (target === undefined ? { name } : { target, name }))
  }

  /**
   * Called once after the process ended: every test seen, where tests that never finished
   * are `timed-out` (if the command timed out) or `crashed`, with a message saying so.
   */
  finish(end: ProcessEnd): TestResult[] {
    if (this.phase !== 'between') this.closeTarget(endingOf(end))
    return this.tests.all().map(record => toTestResult(record, this.resolver))
  }

  /**
   * Handles a line of libtest or cargo framing; false for anything else. What counts
   * depends on the phase, so that a test printing cargo-like output (captured in a
   * failure block, say) does not derail the run.
   */
  private structure(line: string): boolean {
    if (this.phase === 'between') return this.betweenTargets(line)
    if (this.phase === 'ended') return this.afterCrash(line)
    if (CARGO_FAILED.test(line) && this.phase === 'running') this.phase = 'ended'
    else if (SUMMARY.test(line) && this.phase !== 'blocks') this.closeTarget(undefined)
    else if (CARGO_EXIT.test(line) && this.phase !== 'blocks') this.closeTarget(cargoEnding(line))
    else if (this.phase === 'running') return this.resultLine(line)
    else return this.failureSection(line)
    this.panics.stop()
    return true
  }

  /** Cargo's `Running` headers and libtest's `running N tests` start a target run. */
  private betweenTargets(line: string): boolean {
    const header = targetFromHeader(line)
    if (header !== undefined) this.tests.target = header
    else if (RUNNING_COUNT.test(line)) this.openTarget()
    else if (RESULT.test(line) || SLOW.test(line)) {
      // libtest output without its `running N tests` line, as when fed a partial log.
      this.openTarget()
      return this.resultLine(line)
    } else return false
    this.panics.stop()
    return true
  }

  /** Cargo's words after a test binary died: its exit status, the next target. */
  private afterCrash(line: string): true {
    if (CARGO_EXIT.test(line)) this.closeTarget(cargoEnding(line))
    else if (targetFromHeader(line) !== undefined) {
      this.closeTarget(BINARY_ENDED)
      this.betweenTargets(line)
    }
    return true
  }

  /** Lines of a run: results, verdicts printed apart from their test name, slow warnings. */
  private resultLine(line: string): boolean {
    const result = RESULT.exec(line)
    const waiting = this.tests.running.waiting
    if (line === 'failures:' && this.previousBlank) {
      this.phase = 'blocks'
      this.block = undefined
    } else if (result !== null) {
      this.panics.stop()
      const record = this.record(result[1] ?? '')
      if (VERDICT.test(result[2] ?? '')) return this.verdict(record, result[2] ?? '')
      this.tests.running.started(record.name)
      // With --nocapture the test's own output follows on the same line.
      if (result[2] !== undefined && result[2] !== '') this.line(result[2])
      return true
    } else if (SLOW.test(line)) {
      this.tests.running.slow(this.record(SLOW.exec(line)?.[1] ?? '').name)
    } else if (waiting !== undefined && (VERDICT.test(line) || line.endsWith('FAILED'))) {
      // The verdict of a --nocapture test, alone or glued after output with no newline.
      if (VERDICT.test(line)) return this.verdict(this.record(waiting), line)
      this.captureGlued(line.slice(0, -'FAILED'.length))
      return this.verdict(this.record(waiting), 'FAILED')
    } else {
      const glued = GLUED_RESULT.exec(line)
      if (glued === null) return false
      this.captureGlued(line.slice(0, glued.index))
      return this.resultLine(line.slice(glued.index))
    }
    this.panics.stop()
    return true
  }

  /** `failures:` blocks (`---- name stdout ----` and the captured output), then the name list. */
  private failureSection(line: string): boolean {
    const block = BLOCK.exec(line)
    if (line === 'failures:' && this.previousBlank) {
      this.phase = 'list'
      this.block = undefined
    } else if (block !== null && this.phase === 'blocks') {
      this.block = this.record(block[1] ?? '')
    } else if (this.phase === 'list') {
      const listed = LISTED_FAILURE.exec(line)
      if (listed !== null) this.tests.fail(this.record(listed[1] ?? ''))
    } else {
      return false
    }
    this.panics.stop()
    return true
  }

  /** Output of tests: panics are read, and the line is kept for the test it belongs to. */
  private content(line: string): void {
    const header = parsePanicHeader(line)
    if (header === undefined) this.panics.feed(line)
    else this.startPanic(header)
    const owner = this.phase === 'blocks' ? this.block : this.tests.soleLive()
    if (owner === undefined) return
    ;(owner.output ??= new BoundedText(this.maxOutputBytes)).push(line)
    owner.notes.read(line, this.resolver)
  }

  private captureGlued(prefix: string): void {
    this.panics.stop()
    if (prefix !== '') this.content(prefix)
    this.panics.stop()
  }

  private startPanic(header: PanicHeader): void {
    const owner = this.phase === 'blocks' ? this.block : this.tests.panicOwner(header.thread)
    const free = this.phase === 'blocks' || this.tests.running.sole() !== undefined
    const report: PanicReport = this.panics.start(header, free)
    if (owner !== undefined) owner.panic ??= report
    else this.tests.park(header.thread, report)
  }

  private verdict(record: TestRecord, verdict: string): true {
    this.tests.verdict(record, verdict)
    return true
  }

  private record(name: string): TestRecord {
    return this.tests.record(name, this.phase !== 'between')
  }

  private openTarget(): void {
    this.phase = 'running'
    this.tests.openTarget()
  }

  private closeTarget(ending: Ending | undefined): void {
    if (this.phase !== 'between') this.tests.closeTarget(ending)
    else this.tests.reset()
    this.phase = 'between'
    this.block = undefined
  }
}
