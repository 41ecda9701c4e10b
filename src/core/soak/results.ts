/**
 * The results model of a soak: cycles → steps, the post-check, the failures
 * with their cycle, the perf samples and the drift verdict. Written to
 * `<metrics>/soak.json` as each cycle ends; every report is a rendering of it.
 */
import type { DriftReport, PerfSample } from './drift.js'
import type { PerfMetric } from '../perf/results.js'
import type { RunningStep } from '../layers/results.js'
import type { SoakHistory } from '../history/soak-night.js'

/** What a cycle step is. */
export type SoakStepKind = 'stress' | 'chaos' | 'perf' | 'fast'

/** One step of a cycle (a test layer run or a perf snapshot), or the post-check (`fast`). */
export interface SoakStep {
  kind: SoakStepKind
  passed: boolean
  /**
   * Stopped by cancellation, the deadline or a full disk before it finished. Being cut is no
   * failure, but what failed before the cut is in `failures`, and counts.
   */
  interrupted?: boolean
  /**
   * Failed items, as action-test names them (`stress:stress_evictor`), or why perf failed;
   * for an interrupted step, those that failed before the cut.
   */
  failures: string[]
  /** Cases that failed, then passed on a retry (`chaos:chaos_recover`): passed, but flaky. */
  flaky?: string[]
  /** Set when the step was cut because its metrics directory filled up: what said so. */
  diskFull?: string
  /**
   * Why a perf snapshot failed, or why a test step's selection failed the zero-test guard
   * (`The stress layer selects no test …`), as its results document says it.
   */
  message?: string
  durationMs: number
  /** The step's own results document, relative to the metrics directory. */
  results: string
  /** The build's first error, when the step failed to build (compared across cycles). */
  buildError?: string
  /** For a test step stopped before it finished: what its run was running (case and command). */
  running?: RunningStep
}

/**
 * Which step of which cycle a soak was running when it stopped (cancelled, or at its deadline).
 * Set as each step starts (and saved, so a killed job's document says it too) and cleared as it
 * ends; the step itself, once recorded, says what it was running inside (`SoakStep.running`).
 */
export interface SoakRunning {
  /** The cycle, or 0 for the post-check. */
  cycle: number
  step: SoakStepKind
  /** When the step started (ISO 8601). */
  startedAt: string
}

/** One cycle of the loop. */
export interface SoakCycle {
  cycle: number
  startedAt: string
  /** Seconds from the soak's start to the end of this cycle. */
  elapsedSecs: number
  durationMs: number
  steps: SoakStep[]
  /** Present when this cycle took a perf snapshot that found cases (values in ns or instructions). */
  perf?: { file: string; cases: number; p50: number; p95: number }
  /** Why the cycle did not finish. */
  interrupted?: 'cancelled' | 'deadline' | 'disk-full'
}

/** A failure (or a flaky case) and where it happened. */
export interface SoakFailure {
  /** The cycle, or 0 for the post-check. */
  cycle: number
  step: SoakStepKind
  id: string
}

/** Why the loop stopped. */
export type SoakStopReason =
  | 'duration'
  | 'max-cycles'
  | 'deadline'
  | 'cancelled'
  | 'fail-fast'
  /** The build failed again with the same error: nothing can be soaked. */
  | 'build-failed'
  /** The metrics directory filled up (see `reasons`): the soak stopped before a write failed. */
  | 'disk-full'

/** The whole soak. */
export interface SoakResult {
  schemaVersion: 1
  tool: 'mace-actions soak'
  startedAt: string
  durationMs: number
  /** Running while the loop goes on; then why it stopped. */
  stopReason: SoakStopReason | 'running'
  settings: {
    durationSecs: number
    deadlineSecs?: number
    maxCycles: number
    chaosEvery: number
    perfEvery: number
    /** What the perf snapshots measured (absent in documents written before: walltime). */
    perfMetric?: PerfMetric
    pauseSecs: number
    failFast: boolean
    driftThresholdPct: number
    driftAction: 'warn' | 'fail'
  }
  cycles: SoakCycle[]
  postCheck?: SoakStep
  /** Every failure, in the order it happened, those of steps cut short included. */
  failures: SoakFailure[]
  /** Every case that failed, then passed on a retry, with its cycle: passes, but says flakiness. */
  flaky: SoakFailure[]
  perfSamples: PerfSample[]
  drift: DriftReport
  /**
   * Why the soak cannot pass beyond its failures and drift: no cycle completed,
   * a build that fails the same way every time, a full metrics directory.
   * Empty when there is none.
   */
  reasons: string[]
  /** Warnings given at the start (a deadline that may not fit one cycle). */
  notes: string[]
  /** What was running when the soak stopped; absent when nothing was cut short. */
  running?: SoakRunning
  /** With `history: true`: tonight in the history, against the earlier nights of its runner. */
  history?: SoakHistory
  /** No failure, no failing drift, not cancelled, at least one completed cycle, no reason. */
  passed: boolean
  cancelled: boolean
  metricsDir: string
  csvPath: string
}
