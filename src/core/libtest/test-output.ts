/**
 * Output of tests as the libtest reader sees it: each line goes to the test it belongs
 * to (the failure block's, or the only test running), and panics are read from it and
 * given to their thread's test (see `parser.ts` on whose panic it is).
 */
import { BoundedText } from '../shared/bounded-text.js'
import type { LocationResolver } from './location.js'
import {
  BACKTRACE_NOTE,
  BACKTRACE_START,
  RecentOutput,
  summarize,
  parsePanicHeader,
  type PanicHeader,
  type PanicReport
} from './panic.js'
import type { TestRecord } from './record.js'
import type { ReaderState } from './reader-state.js'
import type { PanicSummary } from './test-result.js'

/** Gives lines of output, and the panics in them, to the tests they belong to. */
export class TestOutput {
  private last: { target: string | undefined; report: PanicReport } | undefined
  private readonly recent = new RecentOutput()

  /** `maxOutputBytes`: cap on the output kept per test, bytes. */
  constructor(
    private readonly state: ReaderState,
    private readonly resolver: LocationResolver,
    private readonly maxOutputBytes: number
  ) {}

  /** Output of tests: panics are read, and the line is kept for the test it belongs to. */
  content(line: string): void {
    const run = this.state.tests.run
    if (run !== undefined && BACKTRACE_NOTE.test(line)) run.noteSeen = true
    if (run !== undefined && line === BACKTRACE_START) run.backtraces = true
    const header = parsePanicHeader(line)
    if (header !== undefined) this.startPanic(header)
    else if (!this.state.panics.feed(line)) this.recent.add(line)
    const owner = this.owner()
    if (owner === undefined) return
    ;(owner.output ??= new BoundedText(this.maxOutputBytes)).push(line)
    owner.notes.read(line, this.resolver)
  }

  /** A libtest line printed by a child process: output of the test running, if known. */
  childLine(line: string): true {
    this.state.panics.interrupt('libtest')
    const owner = this.owner()
    if (owner !== undefined) (owner.output ??= new BoundedText(this.maxOutputBytes)).push(line)
    return true
  }

  /** Output glued before a libtest line (no newline between them): content of its own. */
  captureGlued(prefix: string): void {
    this.state.panics.interrupt('libtest')
    if (prefix !== '') this.content(prefix)
    this.state.panics.interrupt('libtest')
  }

  /** The last panic printed by anything in the command (a child process's included). */
  lastPanic(): PanicSummary | undefined {
    return this.last === undefined ? undefined : summarize(this.last.report, this.last.target)
  }

  /** The test whose output a line is: the failure block's, or the only test running. */
  private owner(): TestRecord | undefined {
    const { phase, tests } = this.state
    if (phase === 'blocks') return this.state.block
    const sole = phase === 'running' ? tests.run?.sole() : undefined
    return sole === undefined ? undefined : tests.record(sole)
  }

  private startPanic(header: PanicHeader): void {
    const { tests, block } = this.state
    const run = tests.run
    const inBlock = this.state.phase === 'blocks'
    const terminated = inBlock || run === undefined || run.backtraces || !run.noteSeen
    const sole = run?.sole()
    const alone = inBlock || sole !== undefined
    const own = inBlock ? header.thread === block?.name : header.thread === sole
    const foreign = (line: string): boolean => this.recent.has(line)
    const report = this.state.panics.start(header, { terminated, alone, own, foreign })
    this.last = { target: tests.target, report }
    if (inBlock && block !== undefined) tests.blockPanic(block, report)
    else if (this.state.phase === 'running') tests.attributePanic(report)
  }
}
