/**
 * The shifts a history has already announced (`shifts.json` in the series
 * folder), so a shift found again on the next run is not news: its tracking
 * issue is not opened again, and closing that issue acknowledges it for good.
 * A shift found again may have moved by a point or two as points were added:
 * it is the same shift when its case, runner and direction are the same and
 * its first commit is within `minPoints` points of the one announced.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { seriesFolder, type SeriesKey } from './point.js'
import type { Shift } from './shifts.js'

/** The file of the announced shifts of a series. */
export const SEEN_FILE = 'shifts.json'

/** Announced shifts a series keeps at most (the oldest are forgotten first). */
export const MAX_SEEN = 500

/** A shift as it was announced. */
export interface SeenShift {
  id: string
  fingerprint: string
  firstCommit: string
  delta_pct: number
  /** When it was first found (ISO 8601). */
  seenAt: string
}

/** The announced shifts of a series (none when the file is missing or unreadable). */
export function readSeen(root: string, key: SeriesKey): SeenShift[] {
  const path = join(root, seriesFolder(key), SEEN_FILE)
  if (!existsSync(path)) return []
  try {
    const doc = JSON.parse(readFileSync(path, 'utf8')) as { shifts?: unknown }
    return Array.isArray(doc.shifts) ? (doc.shifts as SeenShift[]).filter(isSeenShift) : []
  } catch {
    return []
  }
}

/** Adds the shifts to the announced ones of a series (bounded by MAX_SEEN). */
export function recordSeen(
  root: string,
  key: SeriesKey,
  shifts: readonly Shift[],
  at: string
): void {
  if (shifts.length === 0) return
  const folder = join(root, seriesFolder(key))
  mkdirSync(folder, { recursive: true })
  const seen = [
    ...readSeen(root, key),
    ...shifts.map(s => ({
      id: s.id,
      fingerprint: s.fingerprint,
      firstCommit: s.firstCommit,
      delta_pct: Number(s.delta_pct.toFixed(2)),
      seenAt: at
    }))
  ].slice(-MAX_SEEN)
  writeFileSync(join(folder, SEEN_FILE), `${JSON.stringify({ shifts: seen }, null, 1)}\n`)
}

/**
 * Whether `shift` was announced already. `commits` is the series' commits in order (one per
 * point), to tell how far apart two first commits are.
 */
export function wasSeen(
  shift: Shift,
  seen: readonly SeenShift[],
  commits: readonly string[],
  minPoints: number
): boolean {
  const at = commits.indexOf(shift.firstCommit)
  return seen.some(s => {
    if (s.id !== shift.id || s.fingerprint !== shift.fingerprint) return false
    if (Math.sign(s.delta_pct) !== Math.sign(shift.delta_pct)) return false
    if (s.firstCommit === shift.firstCommit) return true
    const then = commits.indexOf(s.firstCommit)
    return at >= 0 && then >= 0 && Math.abs(at - then) <= minPoints
  })
}

function isSeenShift(value: unknown): value is SeenShift {
  const s = value as Partial<SeenShift> | null
  return (
    typeof s === 'object' &&
    s !== null &&
    typeof s.id === 'string' &&
    typeof s.fingerprint === 'string' &&
    typeof s.firstCommit === 'string' &&
    typeof s.delta_pct === 'number'
  )
}
