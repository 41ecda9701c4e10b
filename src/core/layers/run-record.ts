/**
 * The results document of a test run while it is being written: created
 * empty at the start, saved to `results.json` after every step, so a
 * cancelled job keeps what ran. Also hands out the sequence numbers that keep
 * log files in run order.
 */
import { join } from 'node:path'
import {
  isFailingStatus,
  type RunningStep,
  type SelectionProblem,
  type TestRunResult
} from './results.js'
import { writeTestResults } from './results-file.js'
import type { TestSettings } from './settings.js'

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

  /** Brings the verdict fields up to date and writes the document atomically. */
  save(): TestRunResult {
    const result = this.result
    result.durationMs = Date.now() - this.started
    result.cancelled = this.signal?.aborted ?? false
    result.failures = failuresOf(result)
    result.flaky = result.layers.flatMap(l =>
      l.cases.filter(c => c.status === 'flaky').map(c => c.id)
    )
    result.passed = !result.cancelled && result.failures.length === 0
    writeTestResults(result)
    return result
  }
}

/** Reference names of everything that failed, in run order, without repeats. */
function failuresOf(r: TestRunResult): string[] {
  const out: string[] = []
  const add = (id: string): void => {
    if (!out.includes(id)) out.push(id)
  }
  r.builds.forEach((b, i) => {
    if (!b.passed) add(i === 0 ? 'build' : `build:${b.features}`)
  })
  r.selectionProblems.forEach((p: SelectionProblem) => add(p.id))
  for (const layer of r.layers) {
    for (const c of layer.cases) if (isFailingStatus(c.status)) add(c.id)
  }
  return out
}
