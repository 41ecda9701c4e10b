/**
 * The cap that keeps a history bounded. A series keeps at most `maxPoints`
 * points in full, plus the current month; past that its oldest month files are
 * folded, one month at a time, into one squashed point per month and runner
 * fingerprint (each case's median, with the range of the month's values as its
 * interval) in `squashed.jsonl`, which keeps at most `MAX_SQUASHED_POINTS`, the
 * oldest dropped. Lines that could not be read are moved, as they were, to
 * `unreadable.jsonl`: folding never deletes what it could not read.
 */
import { appendFileSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { fingerprintId } from './fingerprint.js'
import { median } from './shifts.js'
import {
  caseValue,
  intervalOf,
  seriesFolder,
  valueOf,
  type HistoryPoint,
  type SeriesKey
} from './point.js'
import {
  monthFiles,
  readLines,
  seriesOrder,
  SQUASHED_FILE,
  writeLines,
  type UnreadableLine
} from './store.js'

/** Squashed points a series keeps at most (20 years of monthly points of one runner). */
export const MAX_SQUASHED_POINTS = 240

/** The default cap: points kept in full per series (about three years of daily points). */
export const DEFAULT_MAX_POINTS = 1000

/** What the cap did to a series. */
export interface CapOutcome {
  /** Month files folded into squashed points (`2025-01.jsonl`). */
  squashedMonths: string[]
  /** Squashed points dropped as the oldest past MAX_SQUASHED_POINTS. */
  dropped: number
}

/**
 * Folds the oldest month files of a series until at most `maxPoints` points are kept in full
 * (the newest month is never folded).
 */
export function capSeries(root: string, key: SeriesKey, maxPoints: number): CapOutcome {
  const folder = join(root, seriesFolder(key))
  const months = monthFiles(folder)
  const counts = months.map(m => lineCount(join(folder, m)))
  let total = counts.reduce((a, b) => a + b, 0)
  const squashedMonths: string[] = []
  for (let i = 0; i < months.length - 1 && total > maxPoints; i++) {
    foldMonth(folder, months[i]!, key)
    squashedMonths.push(months[i]!)
    total -= counts[i]!
  }
  return { squashedMonths, dropped: squashedMonths.length > 0 ? trimSquashed(folder, key) : 0 }
}

/** Replaces a month file by its squashed points, keeping its unreadable lines aside. */
function foldMonth(folder: string, month: string, key: SeriesKey): void {
  const path = join(folder, month)
  const unreadable: UnreadableLine[] = []
  const points = readLines(path, `${seriesFolder(key)}/${month}`, unreadable)
  keepUnreadable(folder, month, unreadable)
  const squashed = squashPoints(points)
  if (squashed.length > 0) {
    appendFileSync(
      join(folder, SQUASHED_FILE),
      squashed.map(p => `${JSON.stringify(p)}\n`).join('')
    )
  }
  rmSync(path)
}

/**
 * Points folded into one per runner fingerprint: each case's median over the points that have
 * it, its interval the range of their values; the commit and times of the last point. Points that
 * are squashed already count with their weight.
 */
export function squashPoints(points: readonly HistoryPoint[]): HistoryPoint[] {
  const groups = new Map<string, HistoryPoint[]>()
  for (const p of [...points].sort(seriesOrder)) {
    const id = fingerprintId(p.fingerprint)
    groups.set(id, [...(groups.get(id) ?? []), p])
  }
  return [...groups.values()].map(group => {
    const first = group[0]!
    const last = group[group.length - 1]!
    const ids = [...new Set(group.flatMap(p => Object.keys(p.cases)))].sort()
    const cases = Object.fromEntries(
      ids.map(id => {
        const values = group.filter(p => p.cases[id] !== undefined).map(p => p.cases[id]!)
        const low = Math.min(...values.map(v => intervalOf(v)[0]))
        const high = Math.max(...values.map(v => intervalOf(v)[1]))
        return [id, caseValue(median(values.map(valueOf)), low, high)]
      })
    )
    return {
      commit: last.commit,
      commitTime: last.commitTime,
      time: last.time,
      fingerprint: last.fingerprint,
      cases,
      squashed: {
        points: group.reduce((n, p) => n + (p.squashed?.points ?? 1), 0),
        firstCommit: first.squashed?.firstCommit ?? first.commit,
        lastCommit: last.commit,
        from: first.squashed?.from ?? first.time,
        to: last.time
      }
    }
  })
}

/** Keeps the newest MAX_SQUASHED_POINTS squashed points; returns how many were dropped. */
function trimSquashed(folder: string, key: SeriesKey): number {
  const path = join(folder, SQUASHED_FILE)
  const unreadable: UnreadableLine[] = []
  const points = readLines(path, `${seriesFolder(key)}/${SQUASHED_FILE}`, unreadable).sort(
    seriesOrder
  )
  const dropped = Math.max(0, points.length - MAX_SQUASHED_POINTS)
  if (dropped > 0) {
    keepUnreadable(folder, SQUASHED_FILE, unreadable)
    writeLines(path, points.slice(dropped))
  }
  return dropped
}

/** Moves the lines of `file` that could not be read, as they were, to `unreadable.jsonl`. */
function keepUnreadable(folder: string, file: string, unreadable: readonly UnreadableLine[]): void {
  if (unreadable.length === 0) return
  const lines = readFileSync(join(folder, file), 'utf8').split('\n')
  const kept = unreadable.map(
    u =>
      `${JSON.stringify({ from: `${file}:${u.line}`, reason: u.reason, text: lines[u.line - 1] })}\n`
  )
  appendFileSync(join(folder, 'unreadable.jsonl'), kept.join(''))
}

function lineCount(path: string): number {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(l => l.trim() !== '').length
}
