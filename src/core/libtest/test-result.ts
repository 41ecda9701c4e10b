import type { SourceLocation } from '../shared/source-location.js'

/** What became of one libtest test inside one command. */
export type TestOutcome = 'passed' | 'failed' | 'ignored' | 'timed-out' | 'crashed'

/** One libtest test as seen in the output of one command. */
export interface TestResult {
  /** Cargo target the test belongs to (`basic`, `lib`, ...), when known. */
  target?: string
  /** libtest name, e.g. `tests::put_then_get`. */
  name: string
  outcome: TestOutcome
  /** Panic message (first lines), or why the test did not finish. */
  message?: string
  /** Where the test panicked, if inside the repository. */
  location?: SourceLocation
  /** Captured output of the failure block, bounded in size. */
  output?: string
}
