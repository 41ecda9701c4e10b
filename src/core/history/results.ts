/**
 * The results document of `perf track` (`<out-dir>/track.json`): the points a
 * run added to the history and the lasting shifts of the series it added to.
 * Its published shape is `schemas/history-track.schema.json`.
 */
import type { CapOutcome } from './squash.js'
import type { Fingerprint, HistoryPoint, SeriesKey } from './point.js'
import type { Shift } from './shifts.js'
import type { UnreadableLine } from './store.js'

/** A shift as track.json lists it. */
export interface TrackShift extends Shift {
  /** True when this run found it first: it is announced (tracking issue) now. */
  new: boolean
}

/** Where the history is kept. */
export interface HistoryPlace {
  /** `directory` (the CLI's `--history-dir`) or `branch` (a branch of the repository, pushed). */
  kind: 'directory' | 'branch'
  /** The directory, or the branch name. */
  location: string
  /** For a branch: the commit of the history that holds the added points, once pushed. */
  commit?: string
  /** For a branch: pushes tried (another writer's push in between means another try). */
  attempts?: number
}

/** A fingerprint with its short id. */
export interface NamedFingerprint extends Fingerprint {
  /** 12 hex digits of the SHA-256 of its fields. */
  id: string
}

/** The runner's fingerprint changed: this point starts a new series. */
export interface NewSeries {
  /** The fingerprint of the point before, when there was one. */
  previous?: NamedFingerprint
  /** What changed, e.g. `kernel 6.5.0-1025-azure → 6.8.0-1017-azure`, or why it is new. */
  change: string
}

/** How shifts were found and the history bounded: the rule the run applied. */
export interface TrackRule {
  /** Smallest |delta_pct| reported as a shift (%). */
  shiftPct: number
  /** Points each side of a shift at least. */
  minPoints: number
  /** Family-wise false-split rate of each segment's test. */
  alpha: number
  /** Points a series keeps in full before its oldest months are squashed. */
  maxPoints: number
}

/** The whole `perf track` run. */
export interface TrackResult {
  schemaVersion: 1
  tool: 'mace-actions perf'
  mode: 'track'
  /** True when the snapshot measured and its point is in the history. */
  passed: boolean
  /** Why it did not pass (empty when it did). */
  reasons: string[]
  /** What the reader should know: a new series, unreadable lines, a folded month. */
  warnings: string[]
  history: HistoryPlace
  series: SeriesKey
  fingerprint: NamedFingerprint
  rule: TrackRule
  /** Present when the fingerprint differs from the series' last point: no shift is judged across it. */
  newSeries?: NewSeries
  /** The points this run added, as stored. */
  added: HistoryPoint[]
  /** Points of this fingerprint in the series, the added ones included (squashed ones not). */
  seriesPoints: number
  /** Every lasting shift of this fingerprint's series, oldest first; `new` for those found now. */
  shifts: TrackShift[]
  /** What the cap folded. */
  cap: CapOutcome
  /** Lines of the history that could not be read (left where they are). */
  unreadable: UnreadableLine[]
  /** The snapshot the point came from, beside this document. */
  snapshot: string
  startedAt: string
  durationMs: number
  outputDir: string
}
