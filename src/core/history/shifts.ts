/**
 * Lasting shifts in a history: per case, the change points of its series
 * among the points of one runner fingerprint, each with the levels before and
 * after (medians of the points between change points) and the change in
 * percent. A series may split only between two different commits: points of
 * one commit measured twice are one level, whatever they read.
 */
import { changePoints } from './change-points.js'
import { fingerprintId } from './fingerprint.js'
import { valueOf, type HistoryPoint } from './point.js'

/** How shifts are found. */
export interface ShiftOptions {
  /** Points each side of a shift at least (a shift is found once it lasted this long). */
  minPoints: number
  /** Family-wise false-split rate per segment test. */
  alpha: number
  /** Smallest |delta_pct| reported: smaller changes split the series but are not shifts. */
  shiftPct: number
}

/** The defaults: 3 points each side, α = 0.001; the minimum change is per metric. */
export const DEFAULT_SHIFT_OPTIONS: Omit<ShiftOptions, 'shiftPct'> = { minPoints: 3, alpha: 0.001 }

/** A lasting shift of one case. */
export interface Shift {
  /** The case id (`Put/K16-V16/64`, `iai::store::put::k16_v16_1000`, or `p95` for a soak night). */
  id: string
  /** The first commit measured at the new level (full sha). */
  firstCommit: string
  /** The last commit measured at the level before: the shift came in `lastCommitBefore..firstCommit`. */
  lastCommitBefore: string
  /** The level before and after: medians of the points between change points (ns or instructions). */
  before: number
  after: number
  /** `(after - before) / before * 100`: positive = slower, or more instructions. */
  delta_pct: number
  /** Points measured at each level. */
  pointsBefore: number
  pointsAfter: number
  /** The runner fingerprint of the series (its id). */
  fingerprint: string
}

/** Full points (not squashed) of one fingerprint, in series order. */
export function seriesOf(points: readonly HistoryPoint[], fingerprint: string): HistoryPoint[] {
  return points.filter(p => !p.squashed && fingerprintId(p.fingerprint) === fingerprint)
}

/** Every lasting shift of every case in `points` (one fingerprint's series, in series order). */
export function findShifts(points: readonly HistoryPoint[], options: ShiftOptions): Shift[] {
  const ids = [...new Set(points.flatMap(p => Object.keys(p.cases)))].sort()
  return ids.flatMap(id => caseShifts(id, points, options))
}

function caseShifts(id: string, points: readonly HistoryPoint[], options: ShiftOptions): Shift[] {
  const measured = points.filter(p => p.cases[id] !== undefined && valueOf(p.cases[id]) > 0)
  const values = measured.map(p => valueOf(p.cases[id]!))
  const found = changePoints(
    values.map(v => Math.log(v)),
    {
      minSize: options.minPoints,
      alpha: options.alpha,
      allowed: i => measured[i]!.commit !== measured[i - 1]!.commit
    }
  )
  const bounds = [0, ...found.map(c => c.index), values.length]
  const shifts: Shift[] = []
  for (let k = 1; k < bounds.length - 1; k++) {
    const [start, at, end] = [bounds[k - 1]!, bounds[k]!, bounds[k + 1]!]
    const before = median(values.slice(start, at))
    const after = median(values.slice(at, end))
    const delta = ((after - before) / before) * 100
    if (Math.abs(delta) < options.shiftPct) continue
    shifts.push({
      id,
      firstCommit: measured[at]!.commit,
      lastCommitBefore: measured[at - 1]!.commit,
      before,
      after,
      delta_pct: delta,
      pointsBefore: at - start,
      pointsAfter: end - at,
      fingerprint: fingerprintId(measured[at]!.fingerprint)
    })
  }
  return shifts
}

/** The median of a non-empty list. */
export function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2
}
