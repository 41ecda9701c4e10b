/**
 * The results model of action-perf: Criterion cases as read from disk, the
 * per-case comparison of base and head, and the whole snapshot or compare
 * run. Every rendering (console, job summary, PR comment, check run,
 * annotations) reads these and nothing else.
 */

/** A confidence interval. */
export interface Interval {
  low: number
  high: number
}

/** One Criterion case from one process's output directory. */
export interface CriterionCase {
  /** `full_id` from benchmark.json, e.g. `Put/K16-V16/1`. */
  id: string
  /** Directory relative to the Criterion root (sanitised; may differ from id). */
  directory: string
  medianNs: number
  /** Mean, or the median when the file has no mean. */
  meanNs: number
  medianCi?: Interval
  meanCi?: Interval
  /** Number of samples Criterion took. */
  sampleCount: number
  /** Per-iteration times from sample.json (times / iters), when read. */
  samplesNs?: number[]
}

/** The reference's summary file: `{"count", "cases": {id: {median_ns, mean_ns}}}`, keys sorted. */
export interface PerfSummaryFile {
  count: number
  cases: Record<string, { median_ns: number; mean_ns: number }>
}

/** What became of one case in a compare. */
export type CaseVerdict =
  'regressed' | 'improved' | 'unchanged' | 'inconclusive' | 'new' | 'missing' | 'skipped'

/** One case compared across base and head. */
export interface CaseComparison {
  id: string
  verdict: CaseVerdict
  /** Base estimate (ns): median of the per-process medians. */
  baseNs?: number
  headNs?: number
  /** `(head - base) / base * 100`; positive = slower. */
  delta_pct?: number
  /** Confidence interval of delta_pct across rounds (absent with one round). */
  ci?: Interval
  /** Threshold that applied to this case (%), after per-case patterns. */
  thresholdPct: number
  /** Per-process estimates, one per round, in run order. */
  baseRounds: number[]
  headRounds: number[]
  /** True when the case was measured again because it looked regressed. */
  remeasured?: boolean
  /** Why the verdict: e.g. "base 812 ns is below min_base_ns 10000". */
  reason?: string
}

/** How the gate decides. */
export type GateKind = 'noise-aware' | 'threshold'

/** Counts of a compare, for the verdict line. */
export interface CompareCounts {
  compared: number
  regressed: number
  improved: number
  unchanged: number
  inconclusive: number
  skipped: number
  new: number
  missing: number
}

/** A whole compare run. */
export interface PerfCompareResult {
  schemaVersion: 1
  tool: 'mace-actions perf'
  mode: 'compare'
  gate: GateKind
  baseRef: string
  baseSha: string
  headSha: string
  thresholdPct: number
  maxRegressCases: number
  minCompareCases: number
  minBaseNs: number
  rounds: number
  passed: boolean
  /** Why the gate failed (empty when it passed). */
  reasons: string[]
  counts: CompareCounts
  /** Sorted by delta_pct, largest slowdown first; cases without a delta last. */
  cases: CaseComparison[]
  startedAt: string
  durationMs: number
  outputDir: string
}

/** A snapshot of the head alone. */
export interface PerfSnapshotResult {
  schemaVersion: 1
  tool: 'mace-actions perf'
  mode: 'snapshot'
  headSha: string
  passed: boolean
  reasons: string[]
  count: number
  /** Median of the cases' median_ns. */
  p50: number
  /** Sorted medians at index max(0, floor(n*0.95) - 1). */
  p95: number
  cases: CriterionCase[]
  startedAt: string
  durationMs: number
  outputDir: string
}

/** Either kind of perf run. */
export type PerfRunResult = PerfCompareResult | PerfSnapshotResult
