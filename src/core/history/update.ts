/**
 * One write to a history directory: append the point, apply the cap, find the
 * lasting shifts of the point's series, remember the new ones, and render the
 * page again. Pure file work on a directory, so it runs the same on a local
 * directory and on a branch's files (where it runs again on the new tip when
 * another writer pushed first).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fingerprintChange, fingerprintId } from './fingerprint.js'
import type { HistoryPoint, SeriesKey } from './point.js'
import { writeHistoryPage } from './render/page.js'
import type { NewSeries, TrackShift } from './results.js'
import { recordSeen, readSeen, wasSeen } from './seen-shifts.js'
import { findShifts, seriesOf, type ShiftOptions } from './shifts.js'
import { capSeries, type CapOutcome } from './squash.js'
import { appendPoint, readSeries, type UnreadableLine } from './store.js'

/** What one write did. */
export interface HistoryUpdate {
  /** Where the point went, inside the history (`perf/perf/walltime/2026-12.jsonl`). */
  file: string
  cap: CapOutcome
  /** Points of the new point's fingerprint in the series, the new one included. */
  seriesPoints: number
  /** The series' lasting shifts among those points; `new` for those not announced before. */
  shifts: TrackShift[]
  /** Set when this point is the first of its fingerprint in the series. */
  newSeries?: NewSeries
  unreadable: UnreadableLine[]
}

/** The history's own description (`history.json`): what wrote it, and where commits are shown. */
export interface HistoryMeta {
  tool: 'mace-actions history'
  schemaVersion: 1
  /** A commit's web page, `{sha}` standing for the commit. */
  commitUrl?: string
}

/** The history's description file. */
export const META_FILE = 'history.json'

/** Adds `point` to the series `key` of the history in `dir` and renders the page. */
export function updateHistory(
  dir: string,
  key: SeriesKey,
  point: HistoryPoint,
  options: ShiftOptions & { maxPoints: number; commitUrl?: string }
): HistoryUpdate {
  const meta = writeMeta(dir, options.commitUrl)
  const id = fingerprintId(point.fingerprint)
  const earlier = readSeries(dir, key).points
  const file = appendPoint(dir, key, point)
  const cap = capSeries(dir, key, options.maxPoints)
  const stored = readSeries(dir, key)
  const series = seriesOf(stored.points, id)
  const seen = readSeen(dir, key)
  const commits = series.map(p => p.commit)
  const shifts = findShifts(series, options).map(s => ({
    ...s,
    new: !wasSeen(s, seen, commits, options.minPoints)
  }))
  recordSeen(
    dir,
    key,
    shifts.filter(s => s.new),
    point.time
  )
  writeHistoryPage(dir, meta)
  const newSeries = startsSeries(earlier, point)
  return {
    file,
    cap,
    seriesPoints: series.length,
    shifts,
    ...(newSeries ? { newSeries } : {}),
    unreadable: stored.unreadable
  }
}

/** Said when no earlier point of the series has this point's fingerprint. */
function startsSeries(
  earlier: readonly HistoryPoint[],
  point: HistoryPoint
): NewSeries | undefined {
  const id = fingerprintId(point.fingerprint)
  if (earlier.some(p => fingerprintId(p.fingerprint) === id)) return undefined
  const last = earlier[earlier.length - 1]
  if (!last) return { change: 'the first point of this series in the history' }
  return {
    previous: { ...last.fingerprint, id: fingerprintId(last.fingerprint) },
    change: fingerprintChange(last.fingerprint, point.fingerprint)
  }
}

/** Writes `history.json`, keeping a commit link known from earlier when this run has none. */
function writeMeta(dir: string, commitUrl: string | undefined): HistoryMeta {
  const path = join(dir, META_FILE)
  let earlier: Partial<HistoryMeta> = {}
  if (existsSync(path)) {
    try {
      earlier = JSON.parse(readFileSync(path, 'utf8')) as Partial<HistoryMeta>
    } catch {
      // rewritten below
    }
  }
  const url = commitUrl ?? (typeof earlier.commitUrl === 'string' ? earlier.commitUrl : undefined)
  const meta: HistoryMeta = {
    tool: 'mace-actions history',
    schemaVersion: 1,
    ...(url ? { commitUrl: url } : {})
  }
  writeFileSync(path, `${JSON.stringify(meta, null, 2)}\n`)
  return meta
}
