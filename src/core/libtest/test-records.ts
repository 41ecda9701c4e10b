/**
 * The libtest reader's memory: a record per test seen (keyed by target and
 * name), and for the test binary now running, which tests have no verdict
 * yet, which are in progress, and the panics of threads not (yet) known as
 * tests. The parser decides what a line means; this decides what it does to
 * the tests.
 */
import { RunningTests, type Ending } from './running.js'
import type { PanicReport } from './panic.js'
import { newRecord, recordKey, type TestRecord } from './record.js'
import type { ListedTest } from './list.js'
import type { TestOutcome } from './test-result.js'

// Panics of threads that are not (yet) known tests, kept until their test's verdict.
const MAX_PENDING_PANICS = 256

/** Every test seen, and the state of the target run in progress. */
export class TestRecords {
  private readonly records = new Map<string, TestRecord>()
  /** Cargo target of the run in progress, from its `Running` header. */
  target: string | undefined
  // Per target run: tests seen without a verdict, tests in progress, and panics of
  // threads not (yet) known as tests.
  private unresolved = new Set<TestRecord>()
  private live = new RunningTests()
  private pending = new Map<string, PanicReport>()

  /** `expected`: the tests the command selects (from `--list`), to follow those in progress. */
  constructor(private readonly expected: readonly ListedTest[]) {}

  /** Every record, in the order tests were first seen. */
  all(): TestRecord[] {
    return [...this.records.values()]
  }

  /** Tests of the run in progress (the parser feeds `started`, `slow`, `waiting`). */
  get running(): RunningTests {
    return this.live
  }

  /**
   * The record of `name` in the current target, created when new; inside a
   * target run a record without an outcome is unresolved until its verdict.
   */
  record(name: string, inRun: boolean): TestRecord {
    const key = recordKey(this.target, name)
    let record = this.records.get(key)
    if (record === undefined) {
      record = newRecord(this.target, name)
      this.records.set(key, record)
    }
    if (record.outcome === undefined && inRun) this.unresolved.add(record)
    return record
  }

  /** The only test known to be running: output between its start and end is its own. */
  soleLive(): TestRecord | undefined {
    const name = this.live.sole()
    return name === undefined ? undefined : this.record(name, true)
  }

  /** The test a panic of `thread` belongs to: its own thread's test, else the only one running. */
  panicOwner(thread: string): TestRecord | undefined {
    return this.live.has(thread) ? this.record(thread, true) : this.soleLive()
  }

  /** Keeps the panic of a thread that is not (yet) a known test, until that test's verdict. */
  park(thread: string, report: PanicReport): void {
    if (this.pending.size < MAX_PENDING_PANICS && !this.pending.has(thread)) {
      this.pending.set(thread, report)
    }
  }

  /** Applies `ok`, `FAILED`, `ignored` or `ignored, <reason>`. */
  verdict(record: TestRecord, verdict: string): void {
    if (verdict === 'FAILED') {
      this.fail(record)
      return
    }
    this.resolve(record, verdict === 'ok' ? 'passed' : 'ignored')
    // A passing test may have panicked (should_panic); its output is not needed.
    record.panic = undefined
    record.output = undefined
    if (verdict.startsWith('ignored, ')) record.ignoreReason = verdict.slice('ignored, '.length)
  }

  /** The test failed: its panic is its own, or the one its thread left before its verdict. */
  fail(record: TestRecord): void {
    record.panic ??= this.pending.get(record.name)
    this.resolve(record, 'failed')
  }

  /** A target run starts: every selected test of this target is in progress until it ends. */
  openTarget(): void {
    const target = this.target
    const mine = this.expected.filter(
      test => test.target === undefined || target === undefined || test.target === target
    )
    this.live = new RunningTests(mine.map(test => test.name))
  }

  /**
   * Ends the open target run. After a summary (`ending` undefined), tests
   * without a verdict passed (their verdict was lost in --nocapture output;
   * failures are listed). Otherwise the binary stopped early, and tests still
   * running get `ending`.
   */
  closeTarget(ending: Ending | undefined): void {
    const live = new Set(ending === undefined ? [] : this.live.names())
    for (const name of live) this.record(name, true)
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
    this.reset()
  }

  /** Forgets the target run's state (the records stay). */
  reset(): void {
    this.unresolved = new Set()
    this.live = new RunningTests()
    this.pending = new Map()
  }

  private resolve(record: TestRecord, outcome: TestOutcome, reason?: string): void {
    record.outcome = outcome
    if (reason !== undefined) record.reason = reason
    this.unresolved.delete(record)
    this.live.finished(record.name)
    this.pending.delete(record.name)
  }
}
