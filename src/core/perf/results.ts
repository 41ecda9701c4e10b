/**
 * The results model of action-perf: Criterion cases (wall time) or gungraun
 * cases (instruction counts) as read from disk, the per-case comparison of
 * base and head, and the whole snapshot or compare run. Every rendering
 * (console, job summary, PR comment, check run, annotations) reads these and
 * nothing else.
 */

/**
 * What a perf run measures: `walltime` is Criterion's time per iteration (ns),
 * `instructions` is the instructions gungraun counts under Valgrind's
 * callgrind (`Ir`), which do not move with the machine's load.
 */
export type PerfMetric = 'walltime' | 'instructions'

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
  /**
   * Time Criterion spent measuring the case (the sum of sample.json's `times`, ns): with
   * `sampleCount`, what the run really cost, whatever budget the flags asked for.
   */
  measuredNs?: number
}

/**
 * One gungraun benchmark from one run, read from its `summary.json` (schema v7,
 * gungraun 0.20).
 */
export interface InstructionCase {
  /** The full id: `module_path::id`, e.g. `iai::store::scan::k16_v16_10` (no `::id` without one). */
  id: string
  /** Callgrind's `Ir`: instructions the benchmark function executed (setup excluded). */
  instructions: number
  /**
   * The other callgrind metrics of the run's total (`EstimatedCycles`, `L1hits`, `LLhits`,
   * `RamHits`, `TotalRW`, …), for information only: cache figures and the cycle estimate
   * change between builds of the same code.
   */
  callgrind: Record<string, number>
}

/** A callgrind metric of one case on both sides (either may be missing). */
export interface CallgrindPair {
  base?: number
  head?: number
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
  /**
   * Interval of delta_pct across rounds, from the same estimate as delta_pct (which lies inside
   * it); absent below 3 paired rounds and for the threshold gate.
   */
  ci?: Interval
  /**
   * Half the interval's width (%): the smallest change these rounds could tell from none ("this
   * run resolves changes of ±X %" for this case).
   */
  resolutionPct?: number
  /**
   * `sides`: Δ and interval come from each side's own rounds (sequential rounds that share no
   * drift), which only ever calls a case unchanged; absent: the paired per-round log ratios.
   */
  estimate?: 'sides'
  /** Paired rounds the estimate left out as outliers (one side disturbed alone). */
  outlierRounds?: number
  /** Threshold that applied to this case (%), after per-case patterns. */
  thresholdPct: number
  /** Per-process estimates, one per round, in run order. */
  baseRounds: number[]
  headRounds: number[]
  /** True when the case was measured again because it looked regressed. */
  remeasured?: boolean
  /** Why the verdict: e.g. "base 812 ns is below min_base_ns 10000". */
  reason?: string
  /** Metric instructions: the base's instruction count (callgrind Ir), instead of baseNs. */
  baseInstructions?: number
  /** Metric instructions: the head's instruction count, instead of headNs. */
  headInstructions?: number
  /**
   * Metric instructions: the other callgrind metrics by name (`EstimatedCycles`, `L1hits`, …).
   * Informational: they never decide the verdict.
   */
  callgrind?: Record<string, CallgrindPair>
}

/** How the gate decides. */
export type GateKind = 'noise-aware' | 'threshold'

/**
 * What a compare with a case it could not judge (inconclusive) does to the step: `pass` (the
 * default: the step passes, but the headline shows no ✅ and the check run is neutral) or
 * `fail`. Input `inconclusive`; `all-inconclusive` is its old name.
 */
export type InconclusiveAction = 'pass' | 'fail'

/** The old name of InconclusiveAction. */
export type AllInconclusive = InconclusiveAction

/**
 * The outcome of a compare: `pass` (every compared case judged, none regressed beyond what is
 * allowed), `fail`, or `not-judged` (some compared case could not be judged).
 */
export type CompareOutcome = 'pass' | 'fail' | 'not-judged'

/**
 * How a round pairs the sides (wall time): `duet` runs the base and head processes of each case
 * at the same time, one per core; `sequential` runs one side's process, then the other's.
 */
export type Pairing = 'duet' | 'sequential'

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

/** A Criterion budget per case: warm-up and measurement seconds, samples. */
export interface CaseBudget {
  warmUpSeconds: number
  measurementSeconds: number
  sampleSize: number
}

/**
 * What the measuring of a compare cost and how its rounds were planned. Wall time: each run
 * is checked against what Criterion ran (sample.json); a bench that sets its own budget in code
 * (which Criterion prefers to the flags) cannot be divided among the rounds, so the rounds are
 * then planned to fit a time budget. Instructions: one run per side, only the times.
 */
export interface MeasuringCost {
  /** Wall time of every bench process of the compare (ms). */
  measuringMs: number
  /** Wall time of each round (both sides, every filter; ms), re-measuring rounds included. */
  roundMs: number[]
  /** What each run asked Criterion for per case (wall time). */
  requested?: CaseBudget
  /** What Criterion ran per case in the first round: fewest and most samples and seconds. */
  observed?: { cases: number; samples: Interval; measuredSeconds: Interval }
  /** False when Criterion did not run the budget asked (set in code, or stretched). */
  budgetHonoured?: boolean
  /** Up to five cases whose samples or time departed from the request. */
  departedCases?: string[]
  /** One plain run per side (ms): round 1, when the bench sets its own budget. */
  referenceMs?: number
  /** The budget the rounds were planned to fit (ms). */
  timeBudgetMs?: number
  /** Where that budget came from: e.g. "input 'time-budget'" or "1.5 × the reference". */
  timeBudgetFrom?: string
  /**
   * Why the rounds stopped: `decided` (no case left undecided), `budget` (the time budget was
   * spent with cases undecided), `max-rounds` (remeasure-rounds ran out), `planned` (nothing
   * more was to run: the threshold gate, or no further rounds allowed).
   */
  stoppedBy?: 'decided' | 'budget' | 'max-rounds' | 'planned'
  /** Rounds and re-measuring rounds the settings asked for, and those that ran. */
  plannedRounds?: number
  plannedRemeasureRounds?: number
  roundsRun?: number
  remeasureRoundsRun?: number
  /** Why fewer rounds ran than asked, when they did. */
  cut?: string
}

/** How a compare's rounds ran: the pairing and, for duet, the cores each side was pinned to. */
export interface PairingFacts {
  mode: Pairing
  /** Duet: the two CPUs the sides ran on (swapped each round); absent when not pinned. */
  cpus?: [number, number]
  /** Duet without pinning: why (no taskset, fewer than 2 CPUs allowed, not Linux). */
  unpinned?: string
}

/** A threshold-file key as the bench processes got it. */
export interface BenchEnvEntry {
  /** `file:line` of the threshold file, or `environment` when the user's own value won. */
  from: string
  /** The file's value (absent when the environment's won: it is not ours to publish). */
  value?: string
}

/**
 * What a compare was doing when it stopped (a cancelled job, or one that hit its timeout): which
 * side it was building or measuring, in which round, with which filter. Absent when the compare
 * finished.
 */
export interface PerfRunning {
  /** `build`: compiling a side; `round`: a measuring round; `re-measure`: a suspects' round. */
  step: 'build' | 'round' | 're-measure'
  /** `both`: a duet round, base and head measured at once. */
  side: 'base' | 'head' | 'both'
  /** The round (1-based, re-measuring rounds after the others), for `round` and `re-measure`. */
  round?: number
  /** Rounds planned in all, re-measuring ones included once they started. */
  rounds?: number
  /** The Criterion filter (or gungraun pattern) of this run, if any. */
  filter?: string
  /** When it started (ISO 8601). */
  startedAt: string
}

/** A whole compare run. */
export interface PerfCompareResult {
  schemaVersion: 1
  tool: 'mace-actions perf'
  mode: 'compare'
  /** What was compared (absent in documents written before instructions existed: walltime). */
  metric?: PerfMetric
  /** `threshold` for instructions: one run per side, counts that do not move with load. */
  gate: GateKind
  baseRef: string
  baseSha: string
  headSha: string
  /**
   * True when the head measured was `headSha` plus uncommitted changes (`git status --porcelain`
   * listed tracked changes or untracked files); absent when the checkout was clean.
   */
  headDirty?: boolean
  thresholdPct: number
  maxRegressCases: number
  minCompareCases: number
  /** Walltime only (0 for instructions, where no case is skipped for being short). */
  minBaseNs: number
  /**
   * Rounds run per side, re-measuring rounds included (1 for instructions); each case's own
   * count is the length of its `baseRounds` and `headRounds`.
   */
  rounds: number
  /** Deprecated: the same value as `inconclusive`, under its old name. */
  allInconclusive?: AllInconclusive
  /** What an inconclusive case does to the step (wall time). */
  inconclusive?: InconclusiveAction
  /** pass, fail or not-judged; absent in documents written before it (read `passed`). */
  outcome?: CompareOutcome
  /** Whether the step passes: `outcome` pass, or not-judged with `inconclusive` pass. */
  passed: boolean
  /** Wall time: how the rounds paired the sides, and whether each process had a core of its own. */
  pairing?: PairingFacts
  /**
   * Median of the compared cases' resolutionPct: "this run resolves changes of ±X %". Absent
   * when no case had an interval.
   */
  resolutionPct?: number
  /** True when the run was cancelled: what it measured until then is kept. */
  cancelled?: boolean
  /** Why the gate failed (empty when it passed). */
  reasons: string[]
  /** What the reader should know though the gate did not fail on it. */
  warnings?: string[]
  counts: CompareCounts
  /** True when the base has no bench target of this name (the change adds it): head only. */
  baseHasNoBench?: boolean
  /** True when base and head are the same tree: built once, one binary measured as both. */
  sameTree?: boolean
  /** The threshold file's keys, which reach the bench processes' environment. */
  benchEnv?: Record<string, BenchEnvEntry>
  /** What measuring cost, and how the rounds were planned. */
  cost?: MeasuringCost
  /** Sorted by delta_pct, largest slowdown first; cases without a delta last. */
  cases: CaseComparison[]
  startedAt: string
  durationMs: number
  outputDir: string
  /** What was running when the compare stopped; absent when it finished. */
  running?: PerfRunning
}

/** What every snapshot holds, whatever it measured. */
export interface PerfSnapshotCommon {
  schemaVersion: 1
  tool: 'mace-actions perf'
  mode: 'snapshot'
  headSha: string
  passed: boolean
  /** True when the run was cancelled before it measured. */
  cancelled?: boolean
  reasons: string[]
  /** The threshold file's keys, which reach the bench processes' environment. */
  benchEnv?: Record<string, BenchEnvEntry>
  count: number
  /** Median of the cases' median_ns, or of their instruction counts. */
  p50: number
  /** Sorted values at index max(0, floor(n*0.95) - 1). */
  p95: number
  startedAt: string
  durationMs: number
  outputDir: string
}

/** A snapshot of the head's wall time (Criterion). */
export interface WalltimeSnapshotResult extends PerfSnapshotCommon {
  /** Absent in documents written before instructions existed. */
  metric?: 'walltime'
  cases: CriterionCase[]
}

/** A snapshot of the head's instruction counts (gungraun). */
export interface InstructionsSnapshotResult extends PerfSnapshotCommon {
  metric: 'instructions'
  cases: InstructionCase[]
}

/** A snapshot of the head alone. */
export type PerfSnapshotResult = WalltimeSnapshotResult | InstructionsSnapshotResult

/** Either kind of perf run. */
export type PerfRunResult = PerfCompareResult | PerfSnapshotResult

/**
 * A compare's outcome; documents written before `outcome` existed: fail when it did not pass,
 * not-judged when it passed with an inconclusive case, else pass.
 */
export function outcomeOf(result: PerfCompareResult): CompareOutcome {
  if (result.outcome !== undefined) return result.outcome
  if (!result.passed) return 'fail'
  return result.counts.inconclusive > 0 ? 'not-judged' : 'pass'
}

/** Each case's value in a snapshot, by id: its median (ns), or its instruction count. */
export function snapshotValues(snapshot: PerfSnapshotResult): Record<string, number> {
  return snapshot.metric === 'instructions'
    ? Object.fromEntries(snapshot.cases.map(c => [c.id, c.instructions]))
    : Object.fromEntries(snapshot.cases.map(c => [c.id, c.medianNs]))
}
