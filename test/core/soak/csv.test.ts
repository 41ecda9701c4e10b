/**
 * perf_cycles.csv as the reference writes it: the header once, then one row
 * per perf cycle with integer cycle, elapsed seconds and cases and two-decimal
 * medians; an earlier soak's rows are kept and counted.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { appendCsvRow, CSV_HEADER, csvLine, existingRows } from '../../../src/core/soak/csv.js'

let dir: string
let csv: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'soak-csv-'))
  csv = join(dir, 'perf_cycles.csv')
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

describe('csvLine', () => {
  it('writes cycle, rounded elapsed seconds and cases as integers and the medians with two decimals', () => {
    expect(csvLine({ cycle: 3, elapsedSecs: 12.7, cases: 14, p50: 1234.5, p95: 98765.4321 })).toBe(
      '3,13,14,1234.50,98765.43'
    )
  })

  it('keeps two decimals on whole medians and rounds elapsed seconds down below .5', () => {
    expect(csvLine({ cycle: 1, elapsedSecs: 59.4, cases: 2, p50: 800, p95: 1000 })).toBe(
      '1,59,2,800.00,1000.00'
    )
  })
})

describe('appendCsvRow', () => {
  it('writes the header once for a new file, then appends one row per call', () => {
    appendCsvRow(csv, { cycle: 1, elapsedSecs: 61.2, cases: 3, p50: 1234.5, p95: 5000 })
    appendCsvRow(csv, { cycle: 2, elapsedSecs: 122.5, cases: 3, p50: 1240.125, p95: 5100.999 })
    expect(readFileSync(csv, 'utf8')).toBe(
      `${CSV_HEADER}\n1,61,3,1234.50,5000.00\n2,123,3,1240.13,5101.00\n`
    )
    expect(CSV_HEADER).toBe('cycle,elapsed_secs,cases,median_ns_p50,median_ns_p95')
  })

  it('writes the header into an empty file that already exists', () => {
    writeFileSync(csv, '')
    appendCsvRow(csv, { cycle: 1, elapsedSecs: 5, cases: 1, p50: 10, p95: 20 })
    expect(readFileSync(csv, 'utf8')).toBe(`${CSV_HEADER}\n1,5,1,10.00,20.00\n`)
  })

  it("appends after an earlier soak's rows without a second header, as the reference does", () => {
    writeFileSync(csv, `${CSV_HEADER}\n1,60,3,100.00,200.00\n`)
    appendCsvRow(csv, { cycle: 1, elapsedSecs: 58, cases: 3, p50: 101, p95: 201 })
    expect(readFileSync(csv, 'utf8')).toBe(
      `${CSV_HEADER}\n1,60,3,100.00,200.00\n1,58,3,101.00,201.00\n`
    )
  })
})

describe('existingRows', () => {
  it('is 0 for a missing or empty file and for a file with only the header', () => {
    expect(existingRows(csv)).toBe(0)
    writeFileSync(csv, '')
    expect(existingRows(csv)).toBe(0)
    writeFileSync(csv, `${CSV_HEADER}\n`)
    expect(existingRows(csv)).toBe(0)
  })

  it('counts the data rows under the header, ignoring blank lines', () => {
    writeFileSync(csv, `${CSV_HEADER}\n1,60,3,100.00,200.00\n\n2,120,3,100.00,200.00\n\n`)
    expect(existingRows(csv)).toBe(2)
  })

  it('counts every line of a file without the header as a row', () => {
    writeFileSync(csv, '1,60,3,100.00,200.00\n2,120,3,100.00,200.00\n')
    expect(existingRows(csv)).toBe(2)
  })

  it('counts the rows appendCsvRow wrote', () => {
    for (const cycle of [1, 2, 3]) {
      appendCsvRow(csv, { cycle, elapsedSecs: cycle * 60, cases: 2, p50: 1, p95: 2 })
    }
    expect(existingRows(csv)).toBe(3)
  })
})
