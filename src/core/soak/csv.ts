/**
 * `perf_cycles.csv`, the reference's trend file (SPEC §1 "Soak"): created
 * with its header at start-up when missing, then one row per perf cycle,
 * appended as the cycle's snapshot ends. `cycle`, `elapsed_secs` (whole
 * seconds from the soak's start to the cycle's start) and `cases` are
 * integers; the two medians have two decimals.
 */
import { appendFileSync, existsSync, readFileSync, statSync } from 'node:fs'

export const CSV_HEADER = 'cycle,elapsed_secs,cases,median_ns_p50,median_ns_p95'

/** One row of the CSV. */
export interface CsvRow {
  cycle: number
  elapsedSecs: number
  cases: number
  p50: number
  p95: number
}

/** The row as the reference writes it. */
export function csvLine(row: CsvRow): string {
  return [
    row.cycle,
    Math.round(row.elapsedSecs),
    row.cases,
    row.p50.toFixed(2),
    row.p95.toFixed(2)
  ].join(',')
}

/** Creates the file with its header when it is missing or empty, as the reference does at start-up. */
export function ensureCsv(path: string): void {
  if (!existsSync(path) || statSync(path).size === 0) appendFileSync(path, `${CSV_HEADER}\n`)
}

/** Appends a row, writing the header first when the file is new or empty. */
export function appendCsvRow(path: string, row: CsvRow): void {
  const fresh = !existsSync(path) || statSync(path).size === 0
  appendFileSync(path, `${fresh ? `${CSV_HEADER}\n` : ''}${csvLine(row)}\n`)
}

/** Data rows already in the file (0 when there is none): an earlier soak's rows are kept. */
export function existingRows(path: string): number {
  if (!existsSync(path)) return 0
  const lines = readFileSync(path, 'utf8')
    .split(/\r?\n/)
    .filter(l => l.trim() !== '')
  return lines[0] === CSV_HEADER ? lines.length - 1 : lines.length
}
