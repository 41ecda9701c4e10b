/**
 * The results document of a test run while it is being written: created
 * empty at the start, saved to `results.json` after every step, so a
 * cancelled job keeps what ran. Also hands out the sequence numbers that keep
 * log files in run order.
 */
import { join } from 'node:path'
import type { RunningStep, TestRunResult } from './results.js'
import { writeTestResults } from './results-file.js'
import type { TestSettings } from './settings.js'
import { failuresOf, flakyOf, runPassed } from './verdict.js'

/** A run's results document and the bookkeeping shared by its phases. */
export class TestRunRecord {
  readonly result: TestRunResult
  readonly logDir: string
  private readonly started = Date.now()
  private seq = 0

  /** An empty document for the run of `s`, its plan described by `planSource`. */
  constructor(
    s: TestSettings,
    planSource: string,
    private readonly signal: AbortSignal | undefined
  ) {
    this.logDir = join(s.outputDir, 'logs')
    this.result = {
      schemaVersion: 1,
      tool: 'mace-actions test',
      mode: s.mode,
      startedAt: new Date(this.started).toISOString(),
      durationMs: 0,
      workingDirectory: s.workingDirectory,
      passed: false,
      cancelled: false,
      finished: false,
      planSource,
      builds: [],
      selectionProblems: [],
      layers: [],
      failures: [],
      flaky: [],
      notes: [],
      outputDir: s.outputDir
    }
  }

  /** The next sequence number, which orders log files as commands ran. */
  nextSeq(): number {
    return this.seq++
  }

  /** A log path for the next command: `<logDir>/<seq>-<name>`. */
  nextLogPath(name: string): string {
    return join(this.logDir, `${String(this.nextSeq()).padStart(2, '0')}-${name}`)
  }

  /** Marks `step` as what runs now, and saves, so even a killed job's document says it. */
  begin(step: Omit<RunningStep, 'startedAt'>): void {
    this.result.running = { ...step, startedAt: new Date().toISOString() }
    this.save()
  }

  /** What `begin` marked has ended: the mark goes, unless the run was stopped during it. */
  end(): void {
    if (!this.signal?.aborted) delete this.result.running
  }

  /**
   * Brings the verdict fields up to date and writes the document atomically.
   * Until `finish`, the document says `finished: false` and `passed: false`.
   */
  save(): TestRunResult {
    const result = this.result
    result.durationMs = Date.now() - this.started
    result.cancelled = this.signal?.aborted ?? false
    result.failures = failuresOf(result)
    result.flaky = flakyOf(result)
    result.passed = runPassed(result, result.failures)
    writeTestResults(result)
    return result
  }

  /** The run's last write: marks the document finished, so its verdict may pass. */
  finish(): TestRunResult {
    this.result.finished = true
    return this.save()
  }
}
