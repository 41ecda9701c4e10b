/**
 * What the parts of the libtest reader share while reading one command's output: where
 * in cargo's framing the reader is, the failure block being read, the tests seen and the
 * panic in progress. `parser.ts` owns it and moves the phase; the parts read and add.
 */
import type { PanicReader } from './panic.js'
import type { TestRecord } from './record.js'
import type { TestRecords } from './test-records.js'

/**
 * Where the reader is: between targets, in a target's run, in its `failures:` blocks,
 * in its list of failed names, or `ended` (cargo reported the binary failed without a
 * summary: it crashed).
 */
export type ReaderPhase = 'between' | 'running' | 'blocks' | 'list' | 'ended'

/** The reader's shared state; see the module comment. */
export interface ReaderState {
  phase: ReaderPhase
  /** Whether the previous line was blank (libtest puts one before `failures:`). */
  previousBlank: boolean
  /** The test whose `---- name stdout ----` block is being read. */
  block: TestRecord | undefined
  readonly tests: TestRecords
  readonly panics: PanicReader
}
