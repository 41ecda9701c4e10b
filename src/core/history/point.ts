/**
 * What a history holds: points, one per measured run of a commit, each with
 * the runner's fingerprint and, per case, the value and its interval. A point
 * is one line of a month file (JSON Lines); `schemas/history-point.schema.json`
 * is its published shape, generated from these types.
 */
import type { PerfMetric } from '../perf/results.js'

/**
 * What the runner was: points of different fingerprints are different series, never compared
 * (a new kernel or compiler moves every figure: arXiv 2510.11310 found its one large "regression"
 * was a kernel change of the runner image).
 */
export interface Fingerprint {
  /** The CPU model, as the kernel names it (`/proc/cpuinfo` model name), e.g. `AMD EPYC 7763 64-Core Processor`. */
  cpu: string
  /** Logical cores the run could use. */
  cores: number
  /** The kernel release (`uname -r`), e.g. `6.8.0-1017-azure`. */
  kernel: string
  /** `rustc --version` in the crate's directory (its toolchain file applies), e.g. `rustc 1.83.0 (90b35a623 2024-11-26)`. */
  rustc: string
  /** What was measured: `walltime` (ns) or `instructions`. */
  metric: PerfMetric
}

/**
 * One case's figure: the value alone when its interval is the value itself (instruction counts),
 * else `[value, low, high]`. Unit: ns for walltime (Criterion's median and its confidence
 * interval), instructions for the instruction metric.
 */
export type CaseValue = number | [number, number, number]

/** A point folded from several older ones by the cap (see `squash.ts`). */
export interface SquashedFrom {
  /** How many points it stands for. */
  points: number
  /** The first and last commit it stands for. */
  firstCommit: string
  lastCommit: string
  /** The span of their measuring times (ISO 8601). */
  from: string
  to: string
}

/** A soak night's per-cycle figures, in cycle order (ns, or instructions). */
export interface NightCycles {
  cycle: number[]
  p50: number[]
  p95: number[]
}

/** One run of one commit, as the history keeps it. */
export interface HistoryPoint {
  /** The commit measured (full sha). */
  commit: string
  /** The commit's committer date (ISO 8601): the order of the series. */
  commitTime: string
  /** When it was measured (ISO 8601): which month file holds it. */
  time: string
  fingerprint: Fingerprint
  /** Case id → its figure. A soak night has the cases `p50` and `p95`. */
  cases: Record<string, CaseValue>
  /** The workflow run that measured it, when known. */
  run?: string
  /** Set when the point stands for several older ones (each case's median; interval = their range). */
  squashed?: SquashedFrom
  /** A soak night: its cycles' p50 and p95. */
  night?: NightCycles
}

/** The parts of a history: the perf gate's tracked snapshots, and the soak's nights. */
export type HistoryPart = 'perf' | 'soak'

/** One bench and metric of one part: the folder `<part>/<bench>/<metric>/` of the history. */
export interface SeriesKey {
  part: HistoryPart
  /** The bench target (`cargo bench --bench NAME`). */
  bench: string
  metric: PerfMetric
}

/** The value of a case's figure. */
export function valueOf(v: CaseValue): number {
  return typeof v === 'number' ? v : v[0]
}

/** The interval of a case's figure: `[low, high]`. */
export function intervalOf(v: CaseValue): [number, number] {
  return typeof v === 'number' ? [v, v] : [v[1], v[2]]
}

/** A figure from a value and its interval, as compact as it can be stored. */
export function caseValue(value: number, low = value, high = value): CaseValue {
  const [v, l, h] = [round(value), round(low), round(high)]
  return l === v && h === v ? v : [v, l, h]
}

/** Six significant digits: far below any noise a benchmark has, and a third of the bytes. */
function round(x: number): number {
  if (!Number.isFinite(x) || Number.isInteger(x)) return x
  return Number(x.toPrecision(6))
}

/** The folder of a series inside the history. */
export function seriesFolder(key: SeriesKey): string {
  return `${key.part}/${key.bench}/${key.metric}`
}
