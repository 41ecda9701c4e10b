/**
 * The libtest reader's memory: a record per test seen (keyed by target and name), the
 * selection the command was expected to run, the target run in progress, and what is
 * left at the end: panics no test could take, test binaries that died, tests that never
 * ran. The parser decides what a line means; this decides what it does to the tests.
 */
import type { ListedTest } from './list.js'
import { summarize, type PanicReport } from './panic.js'
import { newRecord, recordKey, type TestRecord } from './record.js'
import { assignRootCauses } from './root-cause.js'
import type { Ending, ProcessEnd } from './running.js'
import { TargetRun } from './target-run.js'
import type { PanicSummary, TestOutcome } from './test-result.js'

/** A test binary cargo reported dead: its target, what killed it, how many tests took the blame. */
export interface TargetCrash {
  target?: string
  cause: string
  blamed: number
}

/** Every test seen, and the state of the target run in progress. */
export class TestRecords {
  private readonly records = new Map<string, TestRecord>()
  /** Selected tests per target (`''` when the listing named none): name → reported as ignored. */
  private readonly selection = new Map<string, Map<string, boolean>>()
  private readonly ran = new Set<string>()
  private readonly stray: { target: string | undefined; report: PanicReport }[] = []
  /** Test binaries cargo reported dead, in run order. */
  readonly crashes: TargetCrash[] = []
  /** Cargo target of the run in progress, from its `Running` header. */
  target: string | undefined
  /** The target run in progress, between `running N tests` and its end. */
  run: TargetRun | undefined
  private touched = new Set<TestRecord>()
  /** libtest's own `finished in` of each target run that printed its summary, ms. */
  readonly targetTimes = new Map<string, number>()
  /** One test thread: when the run's previous result (or its `running N tests`) came, ms. */
  private mark: number | undefined

  /**
   * `expected`: the tests the command selects (from `--list`); `threads`: libtest's
   * threads; `clock`: the time a line arrives, ms (to time tests run one at a time).
   */
  constructor(
    expected: readonly ListedTest[],
    private readonly threads: number | undefined,
    private readonly clock?: () => number
  ) {
    for (const test of expected) {
      const key = test.target ?? ''
      const tests = this.selection.get(key) ?? new Map<string, boolean>()
      this.selection.set(key, tests.set(test.name, test.ignored === true))
    }
  }

  /** Every record, in the order tests were first seen. */
  all(): TestRecord[] {
    return [...this.records.values()]
  }

  /** Panics of non-test threads that no test took, in the order they came. */
  unattributed(): PanicSummary[] {
    return this.stray.map(({ target, report }) => summarize(report, target))
  }

  /** The record of `name` in the current target, created when new. */
  record(name: string): TestRecord {
    const key = recordKey(this.target, name)
    let record = this.records.get(key)
    if (record === undefined) {
      record = newRecord(this.target, name)
      this.records.set(key, record)
    }
    if (this.run !== undefined) this.touched.add(record)
    return record
  }

  /** Whether the current target has a record of `name`. */
  has(name: string): boolean {
    return this.records.has(recordKey(this.target, name))
  }

  /** A target run starts (`running N tests`, N when printed). */
  openTarget(announced: number | undefined): void {
    const key = this.target ?? ''
    this.ran.add(key)
    this.run = new TargetRun(this.target, announced, this.selectionOf(key), this.threads)
    this.touched = new Set()
    this.mark = this.clock?.()
  }

  /**
   * The target's summary said `finished in S s`: its time, which is also the time of
   * its test when it ran exactly one (libtest's own measure, to 10 ms).
   */
  finishedIn(ms: number): void {
    const run = this.run
    if (run === undefined) return
    this.targetTimes.set(run.target ?? '', ms)
    const ran = [...this.touched].filter(r => r.outcome === 'passed' || r.outcome === 'failed')
    if (ran.length === 1 && ran[0]!.durationMs === undefined) ran[0]!.durationMs = ms
  }

  /** A panic in the failure block of `block`: its thread's own, or a helper's. */
  blockPanic(block: TestRecord, report: PanicReport): void {
    if (report.thread === block.name || report.thread === 'main') block.panic = report
    else block.rootCause ??= report
  }

  /**
   * A panic of the live run: its thread's test's (taken at that test's verdict), else
   * the root cause of the only test running, else a helper's, decided at the close.
   */
  attributePanic(report: PanicReport): void {
    const run = this.run
    if (run === undefined) return
    const { thread } = report
    const named = thread !== '<unnamed>' && thread !== 'main'
    const sole = run.sole()
    if (run.sequential && sole !== undefined) {
      // Only the announced test runs: another test's thread, or a named one inside a
      // child's run, is a child process's test thread, printing the announced test's output.
      if (thread === sole) run.parked.set(thread, report)
      else if (run.selection?.has(thread) !== true && !(run.inChild && named)) {
        this.record(sole).rootCause ??= report
      }
      return
    }
    if (run.isTestThread(thread)) run.parked.set(thread, report)
    else if (run.inChild && named) return
    else if (sole !== undefined) this.record(sole).rootCause ??= report
    else run.helpers.push(report)
  }

  /** Applies `ok`, `FAILED`, `ignored` or `ignored, <reason>` to a test of the target. */
  verdict(record: TestRecord, verdict: string): void {
    const own = this.run?.parked.get(record.name)
    this.run?.parked.delete(record.name)
    this.run?.decided(record.name)
    this.timeSequential(record, verdict)
    if (verdict === 'FAILED') {
      record.panic = own ?? record.panic
      record.outcome = 'failed'
      return
    }
    record.outcome = verdict === 'ok' ? 'passed' : 'ignored'
    record.lastPass = record.outcome
    if (verdict.startsWith('ignored, ')) record.ignoreReason = verdict.slice('ignored, '.length)
    // A passing test may have panicked (should_panic); its output is not needed, but a
    // helper's panic taken as its cause is kept as a panic of the case.
    if (record.rootCause !== undefined)
      this.stray.push({ target: record.target, report: record.rootCause })
    record.panic = undefined
    record.rootCause = undefined
    record.output = undefined
  }

  /**
   * Ends the open target run. After its summary (`ending` undefined), the target's
   * `failures:` list settles which tests failed, and tests without a verdict passed.
   * Otherwise the binary stopped early: the tests running get `ending`, those not
   * started are `not-run`.
   */
  closeTarget(ending: Ending | undefined): void {
    const run = this.run
    if (run === undefined) return
    if (ending === undefined) this.settle(run)
    else this.interrupt(run, ending)
    this.collectStray(run)
    this.run = undefined
    this.touched = new Set()
  }

  /**
   * Called once at the end: selected tests of targets that never ran are `not-run`,
   * because `cause` stopped the command first.
   */
  notRun(end: ProcessEnd, cause: string): void {
    if (!end.timedOut && end.signal === null && end.exitCode === 0) return
    // Listing names that match no target that ran describe another command.
    if (this.ran.size > 0 && ![...this.ran].some(target => this.selection.has(target))) return
    for (const [key, tests] of this.selection) {
      if (this.ran.has(key)) continue
      this.target = key === '' ? undefined : key
      for (const [name, ignored] of tests) {
        if (ignored || this.has(name)) continue
        const why = key === '' ? 'before it ran' : `before target ${key} ran`
        this.resolve(this.record(name), 'not-run', `not run: ${cause} ${why}`)
      }
    }
  }

  /**
   * One test thread: libtest starts each test as soon as the previous one's result is
   * printed, so the time between consecutive results is the test's (ignored ones take none).
   */
  private timeSequential(record: TestRecord, verdict: string): void {
    if (this.run?.sequential !== true || this.clock === undefined || this.mark === undefined) return
    const now = this.clock()
    if (!verdict.startsWith('ignored')) record.durationMs = Math.max(0, now - this.mark)
    this.mark = now
  }

  private selectionOf(key: string): Map<string, boolean> | undefined {
    if (this.selection.size === 0) return undefined
    if (key !== '') return this.selection.get(key) ?? this.selection.get('')
    return new Map([...this.selection.values()].flatMap(tests => [...tests]))
  }

  private settle(run: TargetRun): void {
    const list = run.failureList
    for (const record of this.touched) {
      if (list?.has(record.name) === true) this.listedFailure(record, run)
      else if (record.outcome === undefined) record.outcome = 'passed'
      else if (record.outcome === 'failed' && list !== undefined) this.revert(record, run)
    }
    if (list === undefined || run.selection === undefined) return
    // Verdicts lost in the output: the summary and the list say how those tests ended.
    for (const [name, ignored] of run.selection) {
      if (this.has(name)) continue
      this.record(name).outcome = ignored ? 'ignored' : list.has(name) ? 'failed' : 'passed'
    }
  }

  /** A test the target's `failures:` list names failed, with its thread's panic if its verdict was lost. */
  private listedFailure(record: TestRecord, run: TargetRun): void {
    if (record.outcome !== 'failed') record.panic = run.parked.get(record.name) ?? record.panic
    run.parked.delete(record.name)
    record.outcome = 'failed'
  }

  /** A FAILED the target's list does not name was a child's: back to the test's own verdict. */
  private revert(record: TestRecord, run: TargetRun): void {
    if (record.lastPass !== undefined || run.selection?.has(record.name) === true) {
      record.outcome = record.lastPass ?? (run.selection?.get(record.name) ? 'ignored' : 'passed')
      record.panic = undefined
      record.output = undefined
      return
    }
    this.records.delete(recordKey(record.target, record.name))
    this.touched.delete(record)
  }

  private interrupt(run: TargetRun, ending: Ending): void {
    const { running, notStarted } = run.suspects()
    const others = running.length > 1 ? ` (one of ${running.length} tests running at the time)` : ''
    const blamed = new Set<TestRecord>()
    for (const name of running) {
      const record = this.record(name)
      if (record.outcome !== undefined) continue
      record.panic = run.parked.get(name) ?? record.panic
      this.resolve(record, ending.outcome, `${ending.reason}${others}`)
      blamed.add(record)
    }
    for (const name of notStarted) {
      const record = this.record(name)
      if (record.outcome === undefined) {
        this.resolve(record, 'not-run', `not run: ${ending.cause} before this test started`)
      }
    }
    for (const record of [...this.touched].filter(r => r.outcome === undefined)) {
      // Its verdict was lost in the output and the binary died: nothing says how it ended.
      this.records.delete(recordKey(record.target, record.name))
      this.touched.delete(record)
    }
    if (ending.fromCargo === true) {
      const crash: TargetCrash = { cause: ending.cause, blamed: blamed.size }
      if (run.target !== undefined) crash.target = run.target
      this.crashes.push(crash)
    }
  }

  /** Helper panics: to the failed test that joined them, else kept as panics of the case. */
  private collectStray(run: TargetRun): void {
    for (const [thread, report] of run.parked) {
      // A test's thread panicking after its verdict is a child process of another test.
      const test = run.selection === undefined ? this.has(thread) : run.selection.has(thread)
      if (!test) run.helpers.push(report)
    }
    const helpers = run.helpers.sort((a, b) => a.seq - b.seq)
    const failed = [...this.touched].filter(record => record.outcome === 'failed')
    assignRootCauses(failed, helpers)
    for (const report of helpers) this.stray.push({ target: run.target, report })
  }

  private resolve(record: TestRecord, outcome: TestOutcome, reason?: string): void {
    record.outcome = outcome
    if (reason !== undefined) record.reason = reason
  }
}
