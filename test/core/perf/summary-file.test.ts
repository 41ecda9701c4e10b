import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import type { CriterionCase } from '../../../src/core/perf/results.js'
import {
  formatSummaryFile,
  readSummaryFile,
  snapshotStats,
  toSummaryFile,
  writeSummaryFile
} from '../../../src/core/perf/summary-file.js'

function criterionCase(id: string, medianNs: number, meanNs: number): CriterionCase {
  return { id, directory: id, medianNs, meanNs, sampleCount: 10 }
}

const CASES = [
  criterionCase('Put/K16-V16/1', 12000, 12345.678),
  criterionCase('Get/K100-V1024/4', 20480, 20500.25),
  criterionCase('scan:range', 0.5, 1e-5)
]

// What the reference's `json.dump(summary, f, indent=2, sort_keys=True)` writes for CASES
// (produced with Python 3 from the same numbers).
const REFERENCE_BYTES = [
  '{',
  '  "cases": {',
  '    "Get/K100-V1024/4": {',
  '      "mean_ns": 20500.25,',
  '      "median_ns": 20480.0',
  '    },',
  '    "Put/K16-V16/1": {',
  '      "mean_ns": 12345.678,',
  '      "median_ns": 12000.0',
  '    },',
  '    "scan:range": {',
  '      "mean_ns": 1e-05,',
  '      "median_ns": 0.5',
  '    }',
  '  },',
  '  "count": 3',
  '}'
].join('\n')

describe('the summary of Criterion cases', () => {
  it('keys cases by id in sorted order and counts them', () => {
    const summary = toSummaryFile(CASES)
    expect(summary.count).toBe(3)
    expect(Object.keys(summary.cases)).toEqual(['Get/K100-V1024/4', 'Put/K16-V16/1', 'scan:range'])
    expect(summary.cases['Put/K16-V16/1']).toEqual({ median_ns: 12000, mean_ns: 12345.678 })
  })

  it('no cases give count 0 and an empty object', () => {
    expect(toSummaryFile([])).toEqual({ count: 0, cases: {} })
    expect(formatSummaryFile(toSummaryFile([]))).toBe('{\n  "cases": {},\n  "count": 0\n}')
  })
})

describe('the summary file on disk', () => {
  let dir: string
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'perf-summary-'))
  })
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true })
  })

  it('is byte for byte what the reference writes', () => {
    const path = join(dir, 'perf_gate', 'head_snapshot.json')
    writeSummaryFile(path, toSummaryFile(CASES))
    expect(readFileSync(path, 'utf8')).toBe(REFERENCE_BYTES)
  })

  it('writes floats, exponents and non-ASCII ids as Python does', () => {
    const text = formatSummaryFile({
      count: 2,
      cases: {
        'é/😀': { median_ns: 1e16, mean_ns: 1e15 },
        'tab\there': { median_ns: 1.5e-7, mean_ns: 0.30000000000000004 }
      }
    })
    // Keys sort by code point, so "t" (U+0074) comes before "é" (U+00E9).
    expect(text).toBe(
      [
        '{',
        '  "cases": {',
        '    "tab\\there": {',
        '      "mean_ns": 0.30000000000000004,',
        '      "median_ns": 1.5e-07',
        '    },',
        '    "\\u00e9/\\ud83d\\ude00": {',
        '      "mean_ns": 1000000000000000.0,',
        '      "median_ns": 1e+16',
        '    }',
        '  },',
        '  "count": 2',
        '}'
      ].join('\n')
    )
  })

  it('extra fields join the top level in key order and do not change count or cases', () => {
    const text = formatSummaryFile(toSummaryFile([CASES[0]!]), {
      p95: 12000.5,
      tool: 'mace-actions perf',
      aa: { z: [1, true, null], a: 'x' }
    })
    expect(text).toBe(
      [
        '{',
        '  "aa": {',
        '    "a": "x",',
        '    "z": [',
        '      1,',
        '      true,',
        '      null',
        '    ]',
        '  },',
        '  "cases": {',
        '    "Put/K16-V16/1": {',
        '      "mean_ns": 12345.678,',
        '      "median_ns": 12000.0',
        '    }',
        '  },',
        '  "count": 1,',
        '  "p95": 12000.5,',
        '  "tool": "mace-actions perf"',
        '}'
      ].join('\n')
    )
    expect(() => formatSummaryFile(toSummaryFile([]), { count: 5 })).toThrow('extra field count')
  })

  it('reads back what it wrote, ignoring extra fields', () => {
    const path = join(dir, 'base_summary.json')
    writeSummaryFile(path, toSummaryFile(CASES), { note: 'x' })
    expect(readSummaryFile(path)).toEqual(toSummaryFile(CASES))
  })

  it.each([
    ['not JSON', '{"count": 1, "cases": {', 'is unreadable'],
    ['not an object', '[1, 2]', 'not a JSON object'],
    ['a count that is not a whole number', '{"count": "2", "cases": {}}', 'count is "2"'],
    ['cases that are not an object', '{"count": 0, "cases": []}', 'cases is not an object'],
    [
      'a case without median_ns',
      '{"count": 1, "cases": {"a": {"mean_ns": 1.0}}}',
      'case "a" has no numeric median_ns and mean_ns'
    ],
    [
      'a count that disagrees with the cases',
      '{"count": 2, "cases": {"a": {"median_ns": 1.0, "mean_ns": 1.0}}}',
      'count is 2 but it lists 1 cases'
    ]
  ])('a file with %s is an input error naming it', (_name, text, reason) => {
    const path = join(dir, 'head_summary.json')
    writeFileSync(path, text)
    expect(() => readSummaryFile(path)).toThrow(InputError)
    expect(() => readSummaryFile(path)).toThrow(`perf summary file ${path}`)
    expect(() => readSummaryFile(path)).toThrow(reason)
  })

  it('a missing file is an input error naming it', () => {
    const path = join(dir, 'nope.json')
    expect(() => readSummaryFile(path)).toThrow(`perf summary file ${path} is not found`)
  })
})

describe('snapshot p50 and p95 as the reference computes them', () => {
  it('one value is both', () => {
    expect(snapshotStats([42])).toEqual({ p50: 42, p95: 42 })
  })

  it('two values: p50 is their mean, p95 the smaller (index floor(1.9) - 1 = 0)', () => {
    expect(snapshotStats([30, 10])).toEqual({ p50: 20, p95: 10 })
  })

  it('seven values: p50 the middle one, p95 at index floor(6.65) - 1 = 5', () => {
    expect(snapshotStats([70, 10, 60, 20, 50, 30, 40])).toEqual({ p50: 40, p95: 60 })
  })

  it('twenty values: p50 the mean of the middle two, p95 at index 18', () => {
    const values = Array.from({ length: 20 }, (_, i) => (20 - i) * 100)
    expect(snapshotStats(values)).toEqual({ p50: 1050, p95: 1900 })
  })

  it('does not reorder its input and refuses no values', () => {
    const values = [3, 1, 2]
    snapshotStats(values)
    expect(values).toEqual([3, 1, 2])
    expect(() => snapshotStats([])).toThrow('at least one value')
  })
})
