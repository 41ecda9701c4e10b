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
import { newRecord, recordKey, toTestResult, type TestRecord } from './record.js'
import {
  BINARY_ENDED,
  CARGO_EXIT,
  CARGO_FAILED,
  cargoEnding,
  endingOf,
  RunningTests,
  type Ending,
  type ProcessEnd
} from './running.js'
import { targetFromHeader, withoutColour, type ListedTest } from './list.js'
import type { TestOutcome, TestResult } from './test-result.js'

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
// Panics of threads that are not (yet) known tests, kept until their test's verdict.
const MAX_PENDING_PANICS = 256
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
  private readonly expected: ListedTest[]
  private readonly records = new Map<string, TestRecord>()
  private target: string | undefined
  /** `ended`: cargo reported the binary failed, without a summary (it crashed). */
  private phase: 'between' | 'running' | 'blocks' | 'list' | 'ended' = 'between'
  private previousBlank = false
  private block: TestRecord | undefined
  // Per target run: tests seen without a verdict, tests in progress, and panics of
  // threads not (yet) known as tests.
  private unresolved = new Set<TestRecord>()
  private live = new RunningTests()
  private pending = new Map<string, PanicReport>()

  constructor(options: LibtestParserOptions) {
    this.resolver = new LocationResolver(options.repoRoot, options.cwd, options.fileExists)
    this.panics = new PanicReader(this.resolver)
    this.maxOutputBytes = options.maxOutputBytes ?? DEFAULT_MAX_OUTPUT_BYTES
    this.expected = options.expected ?? []
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
    // Closing a target resets `live`, so between targets this is empty.
    return this.live
      .names()
      .map(name => (this.target === undefined ? { name } : { target: this.target, name }))
  }

  /**
   * Called once after the process ended: every test seen, where tests that never finished
   * are `timed-out` (if the command timed out) or `crashed`, with a message saying so.
   */
  finish(end: ProcessEnd): TestResult[] {
    if (this.phase !== 'between') this.closeTarget(endingOf(end))
    return [...this.records.values()].map(record => toTestResult(record, this.resolver))
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
    if (header !== undefined) this.target = header
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
    const waiting = this.live.waiting
    if (line === 'failures:' && this.previousBlank) {
      this.phase = 'blocks'
      this.block = undefined
    } else if (result !== null) {
      this.panics.stop()
      const record = this.record(result[1] ?? '')
      if (VERDICT.test(result[2] ?? '')) return this.verdict(record, result[2] ?? '')
      this.live.started(record.name)
      // With --nocapture the test's own output follows on the same line.
      if (result[2] !== undefined && result[2] !== '') this.line(result[2])
      return true
    } else if (SLOW.test(line)) {
      this.live.slow(this.record(SLOW.exec(line)?.[1] ?? '').name)
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
      if (listed !== null) this.fail(this.record(listed[1] ?? ''))
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
    const owner = this.phase === 'blocks' ? this.block : this.soleLive()
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
    const owner = this.panicOwner(header.thread)
    const free = this.phase === 'blocks' || this.live.sole() !== undefined
    const report = this.panics.start(header, free)
    if (owner !== undefined) owner.panic ??= report
    else if (this.pending.size < MAX_PENDING_PANICS && !this.pending.has(header.thread)) {
      this.pending.set(header.thread, report)
    }
  }

  /** The test a panic belongs to: its own thread's test, else the only one running. */
  private panicOwner(thread: string): TestRecord | undefined {
    if (this.phase === 'blocks') return this.block
    return this.live.has(thread) ? this.record(thread) : this.soleLive()
  }

  /** The only test known to be running: output between its start and end is its own. */
  private soleLive(): TestRecord | undefined {
    const name = this.live.sole()
    return name === undefined ? undefined : this.record(name)
  }

  /** Applies `ok`, `FAILED`, `ignored` or `ignored, <reason>`. */
  private verdict(record: TestRecord, verdict: string): true {
    if (verdict === 'FAILED') return this.fail(record)
    this.resolve(record, verdict === 'ok' ? 'passed' : 'ignored')
    // A passing test may have panicked (should_panic); its output is not needed.
    record.panic = undefined
    record.output = undefined
    if (verdict.startsWith('ignored, ')) record.ignoreReason = verdict.slice('ignored, '.length)
    return true
  }

  private fail(record: TestRecord): true {
    record.panic ??= this.pending.get(record.name)
    this.resolve(record, 'failed')
    return true
  }

  private resolve(record: TestRecord, outcome: TestOutcome, reason?: string): void {
    record.outcome = outcome
    if (reason !== undefined) record.reason = reason
    this.unresolved.delete(record)
    this.live.finished(record.name)
    this.pending.delete(record.name)
  }

  private record(name: string): TestRecord {
    const key = recordKey(this.target, name)
    let record = this.records.get(key)
    if (record === undefined) {
      record = newRecord(this.target, name)
      this.records.set(key, record)
    }
    if (record.outcome === undefined && this.phase !== 'between') this.unresolved.add(record)
    return record
  }

  private openTarget(): void {
    this.phase = 'running'
    const target = this.target
    const mine = this.expected.filter(
      test => test.target === undefined || target === undefined || test.target === target
    )
    this.live = new RunningTests(mine.map(test => test.name))
  }

  /**
   * Ends the open target run. After a summary, tests without a verdict passed (their
   * verdict was lost in --nocapture output; failures are listed). Otherwise the binary
   * stopped early, and tests still running get `ending`.
   */
  private closeTarget(ending: Ending | undefined): void {
    if (this.phase !== 'between') {
      const live = new Set(ending === undefined ? [] : this.live.names())
      for (const name of live) this.record(name)
      const others = live.size > 1 ? ` (one of ${live.size} tests running at the time)` : ''
      for (const record of [...this.unresolved]) {
        if (ending === undefined) this.resolve(record, 'passed')
        else if (live.has(record.name)) {
          this.resolve(record, ending.outcome, `${ending.reason}${others}`)
        } else {
          // Its verdict was lost in the output and the binary died: nothing says how it ended.
          this.unresolved.delete(record)
          this.records.delete(recordKey(record.target, record.name))
        }
      }
    }
    this.phase = 'between'
    this.block = undefined
    this.unresolved = new Set()
    this.live = new RunningTests()
    this.pending = new Map()
  }
}
