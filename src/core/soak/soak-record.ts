/**
 * The results document of a soak while it runs: created at the start and
 * written atomically to `<metrics>/soak.json` after every step, with the
 * verdict and drift brought up to date each time, so a cancelled or killed
 * job still leaves a readable soak.
 */
import { writeFileAtomic } from '../shared/atomic-file.js'
import { join } from 'node:path'
import { isDiskFull } from '../shared/disk-space.js'
import { diskFullMessage, type DiskReserve } from './disk-reserve.js'
import { judgeDrift } from './drift.js'
import type { SoakResult, SoakRunning, SoakStep } from './results.js'
import type { SoakSettings } from './settings.js'

/** Path of the soak's results document inside the metrics directory. */
export function soakResultsPath(metricsDir: string): string {
  return join(metricsDir, 'soak.json')
}

/** A soak's results document and how it is saved. */
export class SoakRecord {
  readonly result: SoakResult
  /** When the soak started (ms since the epoch). */
  readonly started = Date.now()
  /** Set once the metrics directory filled up: `metrics dir X is full (…)`, and where. */
  diskFull: string | undefined

  /**
   * An empty document for a soak of `s` writing its CSV at `csvPath`;
   * `cancelled` says whether the job was cancelled, `onSave` sees every save,
   * `reserve` is given back when the disk fills so the last save fits.
   */
  constructor(
    private readonly s: SoakSettings,
    csvPath: string,
    private readonly cancelled: () => boolean,
    private readonly reserve: DiskReserve,
    private readonly onSave?: (result: SoakResult) => void
  ) {
    this.result = {
      schemaVersion: 1,
      tool: 'mace-actions soak',
      startedAt: new Date(this.started).toISOString(),
      durationMs: 0,
      stopReason: 'running',
      settings: {
        durationSecs: s.durationSecs,
        ...(s.deadlineSecs !== undefined ? { deadlineSecs: s.deadlineSecs } : {}),
        maxCycles: s.maxCycles,
        chaosEvery: s.chaosEvery,
        perfEvery: s.perfEvery,
        perfMetric: s.perf.metric,
        pauseSecs: s.pauseSecs,
        failFast: s.failFast,
        driftThresholdPct: s.driftPct,
        driftAction: s.driftAction
      },
      cycles: [],
      failures: [],
      flaky: [],
      perfSamples: [],
      drift: judgeDrift([], s.driftPct, s.driftWarmup),
      reasons: [],
      notes: [],
      passed: false,
      cancelled: false,
      metricsDir: s.metricsDir,
      csvPath
    }
  }

  /** Seconds since the soak started. */
  elapsedSecs(): number {
    return (Date.now() - this.started) / 1000
  }

  /**
   * Brings the verdict and drift up to date and writes the document atomically.
   * A write the full disk refuses gives back the reserve, names the full
   * disk, and is tried once more.
   * @throws Error when the write fails for another reason, or again.
   */
  save(): void {
    try {
      this.write()
    } catch (e) {
      if (!isDiskFull(e) || !this.reserve.release()) throw e
      this.diskFull ??= `${diskFullMessage(this.s.metricsDir)}: the soak stopped there`
      this.write()
    }
  }

  /** Marks the metrics directory full (`message` says how and where): the loop stops. */
  stopOnFullDisk(message: string): void {
    this.diskFull ??= message
    this.reserve.release()
  }

  private write(): void {
    const { result, s } = this
    result.durationMs = Date.now() - this.started
    result.cancelled = this.cancelled()
    result.drift = judgeDrift(result.perfSamples, s.driftPct, s.driftWarmup)
    result.reasons = reasonsOf(result, this.diskFull)
    result.passed =
      !result.cancelled &&
      result.failures.length === 0 &&
      result.reasons.length === 0 &&
      !(result.drift.verdict === 'drifted' && s.driftAction === 'fail')
    const path = soakResultsPath(s.metricsDir)
    writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`)
    this.onSave?.(result)
  }

  /**
   * The build error that failed two steps the same way, if any: nothing can
   * be soaked while the code does not build.
   */
  repeatedBuildError(): string | undefined {
    return repeatedBuildError(this.result)
  }

  /** Marks the step that starts now as running, and saves. */
  begin(running: Omit<SoakRunning, 'startedAt'>): void {
    this.result.running = { ...running, startedAt: new Date().toISOString() }
    this.save()
  }

  /** The step ended: the mark goes, unless the step was cut short. */
  end(step: SoakStep): void {
    if (step.interrupted !== true) delete this.result.running
  }

  /**
   * Adds a step's failures and flaky cases to the soak's, then saves. A step
   * cut short (deadline, cancel, full disk) keeps what failed before the cut.
   */
  recordStep(cycle: number, step: SoakStep): void {
    if (!step.passed) {
      for (const id of step.failures) this.result.failures.push({ cycle, step: step.kind, id })
    }
    for (const id of step.flaky ?? []) this.result.flaky.push({ cycle, step: step.kind, id })
    this.save()
  }
}

/** The first build error seen twice across the soak's steps. */
function repeatedBuildError(result: SoakResult): string | undefined {
  const seen = new Set<string>()
  for (const step of result.cycles.flatMap(c => c.steps)) {
    if (step.buildError === undefined) continue
    if (seen.has(step.buildError)) return step.buildError
    seen.add(step.buildError)
  }
  return undefined
}

/** Why the soak cannot pass though nothing failed: its disk filled up, or it soaked nothing. */
function reasonsOf(result: SoakResult, diskFull: string | undefined): string[] {
  const reasons = diskFull === undefined ? [] : [diskFull]
  if (result.stopReason === 'build-failed') {
    return [...reasons, 'the build failed again with the same error, so nothing could be soaked']
  }
  if (result.stopReason === 'running' || result.cycles.some(c => c.interrupted === undefined)) {
    return reasons
  }
  const why: Partial<Record<SoakResult['stopReason'], string>> = {
    deadline: `the deadline (${result.settings.deadlineSecs ?? 0} s) came before the first cycle finished`,
    cancelled: 'the soak was cancelled before the first cycle finished',
    'disk-full': 'the metrics dir filled up before the first cycle finished'
  }
  return [
    ...reasons,
    `no cycle completed: ${why[result.stopReason] ?? 'the soak stopped before the first cycle finished'}`
  ]
}
