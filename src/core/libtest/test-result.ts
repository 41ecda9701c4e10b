import type { SourceLocation } from '../shared/source-location.js'

/**
 * Every way a libtest test can end inside one command. `not-run`: selected, but the
 * command stopped (timeout, crash, cargo giving up) before its target ran or before the
 * test started. `cancelled`: running when the run was cancelled (a cancelled job,
 * Ctrl-C), which says nothing about the test.
 */
export const TEST_OUTCOMES = [
  'passed',
  'failed',
  'ignored',
  'timed-out',
  'crashed',
  'not-run',
  'cancelled'
] as const

/** What became of one libtest test inside one command. */
export type TestOutcome = (typeof TEST_OUTCOMES)[number]

/** One libtest test as seen in the output of one command. */
export interface TestResult {
  /**
   * Cargo target the test belongs to (`basic`, `lib`, `bin:NAME`), when known; in a run over
   * several packages of a workspace, after its package (`alpha/lib`, `beta/basic`).
   */
  target?: string
  /** libtest name, e.g. `tests::put_then_get`. */
  name: string
  outcome: TestOutcome
  /** Panic message (whole, up to 100 lines), or why the test did not finish or run. */
  message?: string
  /** Where the test panicked, if inside the repository. */
  location?: SourceLocation
  /** Captured output of the failure block, bounded in size. */
  output?: string
  /**
   * Wall time of the test, ms, when the runner gave it: nextest's own time of the
   * test's process; with `cargo test`, libtest's `finished in` of a target that ran
   * this one test, or the span between consecutive results when tests run one at a
   * time (`--test-threads=1`). Absent when not known: libtest on stable Rust prints
   * no per-test time when tests run in parallel (the attempt's `untimed` says so).
   */
  durationMs?: number
}

/** One panic as reports show it: which thread, what it said, where. */
export interface PanicSummary {
  /** Cargo target whose test binary printed it, when known. */
  target?: string
  /** Name of the panicking thread (`<unnamed>`, `worker-7`, or a test's name). */
  thread: string
  /** The panic message (whole, up to 100 lines). */
  message: string
  /** Where it panicked, if inside the repository. */
  location?: SourceLocation
}
