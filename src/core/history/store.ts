/**
 * A history on disk: a folder per series (`<part>/<bench>/<metric>/`) holding
 * one JSON Lines file per month of measuring (`2026-12.jsonl`), the squashed
 * older points (`squashed.jsonl`) and the shifts already announced
 * (`shifts.json`). Appending writes one line to the current month's file, so
 * older files never change until the cap folds them. Every line read back is
 * checked against `schemas/history-point.schema.json`; one that does not match
 * is reported and left where it is, never used and never deleted.
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync
} from 'node:fs'
import { join } from 'node:path'
import { Ajv, type ValidateFunction } from 'ajv'
import schema from '../../../schemas/history-point.schema.json' with { type: 'json' }
import type { PerfMetric } from '../perf/results.js'
import { seriesFolder, type HistoryPart, type HistoryPoint, type SeriesKey } from './point.js'

/** A month file's name: `YYYY-MM.jsonl` (UTC month of the point's measuring time). */
export const MONTH_FILE = /^(\d{4})-(\d{2})\.jsonl$/

/** The file of the squashed points of a series. */
export const SQUASHED_FILE = 'squashed.jsonl'

/** A line that could not be read, and where it is. */
export interface UnreadableLine {
  file: string
  line: number
  reason: string
}

/** A series as stored: its points in series order, and what could not be read. */
export interface StoredSeries {
  key: SeriesKey
  /** Squashed points first, then the others, each by commit time, then measuring time. */
  points: HistoryPoint[]
  /** Month files, oldest first (`2026-12.jsonl`). */
  months: string[]
  unreadable: UnreadableLine[]
}

const PARTS: readonly HistoryPart[] = ['perf', 'soak']
const METRICS: readonly PerfMetric[] = ['walltime', 'instructions']

let validator: ValidateFunction | undefined

/** Every series the history at `root` holds, in a stable order. */
export function listSeries(root: string): SeriesKey[] {
  const keys: SeriesKey[] = []
  for (const part of PARTS) {
    for (const bench of subfolders(join(root, part))) {
      for (const metric of METRICS) {
        if (isFolder(join(root, part, bench, metric))) keys.push({ part, bench, metric })
      }
    }
  }
  return keys
}

/** Reads a series (empty when the history has none yet). */
export function readSeries(root: string, key: SeriesKey): StoredSeries {
  const folder = join(root, seriesFolder(key))
  const months = monthFiles(folder)
  const unreadable: UnreadableLine[] = []
  const read = (file: string): HistoryPoint[] =>
    readLines(join(folder, file), `${seriesFolder(key)}/${file}`, unreadable)
  const squashed = existsSync(join(folder, SQUASHED_FILE)) ? read(SQUASHED_FILE) : []
  const points = months.flatMap(read)
  return {
    key,
    points: [...squashed.sort(seriesOrder), ...points.sort(seriesOrder)],
    months,
    unreadable
  }
}

/** Appends a point to its month's file; returns the file's path inside the history. */
export function appendPoint(root: string, key: SeriesKey, point: HistoryPoint): string {
  const folder = join(root, seriesFolder(key))
  mkdirSync(folder, { recursive: true })
  const file = `${point.time.slice(0, 7)}.jsonl`
  appendFileSync(join(folder, file), `${JSON.stringify(point)}\n`)
  return `${seriesFolder(key)}/${file}`
}

/** Series order: by commit time, then by measuring time. */
export function seriesOrder(a: HistoryPoint, b: HistoryPoint): number {
  return (
    Date.parse(a.commitTime) - Date.parse(b.commitTime) || Date.parse(a.time) - Date.parse(b.time)
  )
}

/** The month files of a series folder, oldest first. */
export function monthFiles(folder: string): string[] {
  if (!isFolder(folder)) return []
  return readdirSync(folder)
    .filter(f => MONTH_FILE.test(f))
    .sort()
}

/** Points of a JSON Lines file; lines that do not match the schema go to `unreadable`. */
export function readLines(
  path: string,
  name: string,
  unreadable: UnreadableLine[]
): HistoryPoint[] {
  const validate = (validator ??= new Ajv({ strict: false }).compile(schema))
  const points: HistoryPoint[] = []
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((text, i) => {
      if (text.trim() === '') return
      let value: unknown
      try {
        value = JSON.parse(text)
      } catch (e) {
        unreadable.push({ file: name, line: i + 1, reason: `not JSON (${(e as Error).message})` })
        return
      }
      if (validate(value)) points.push(value as HistoryPoint)
      else {
        const first = validate.errors?.[0]
        const where = first?.instancePath || 'the point'
        const reason = `${where} ${first?.message ?? 'is invalid'} (schemas/history-point.schema.json)`
        unreadable.push({ file: name, line: i + 1, reason })
      }
    })
  return points
}

/** Writes points as JSON Lines, replacing the file. */
export function writeLines(path: string, points: readonly HistoryPoint[]): void {
  writeFileSync(path, points.map(p => `${JSON.stringify(p)}\n`).join(''))
}

function subfolders(dir: string): string[] {
  if (!isFolder(dir)) return []
  return readdirSync(dir, { withFileTypes: true })
    .filter(e => e.isDirectory())
    .map(e => e.name)
    .sort()
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory()
  } catch {
    return false
  }
}
