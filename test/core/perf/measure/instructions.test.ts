/**
 * The instruction gate's verdict on literal counts: strictly above the
 * threshold regresses, per-case globs apply, cases on one side only are new
 * or missing, and the summary files keep the reference shape with a unit.
 */
import { describe, expect, it } from 'vitest'
import {
  compareInstructionCases,
  INSTRUCTION_SUMMARY_UNIT,
  instructionSummary
} from '../../../../src/core/perf/measure/instructions.js'
import type { InstructionCase } from '../../../../src/core/perf/results.js'
import { formatSummaryFile } from '../../../../src/core/perf/summary-file.js'

const count = (id: string, instructions: number, cycles?: number): InstructionCase => ({
  id,
  instructions,
  callgrind: cycles === undefined ? {} : { EstimatedCycles: cycles }
})
const options = { regressPct: 1, caseThresholds: [] }

describe('comparing instruction counts', () => {
  it('regresses a count grown by more than the threshold, and only then', () => {
    const cases = compareInstructionCases(
      [count('a', 100_000), count('b', 100_000), count('c', 100_000)],
      [count('a', 101_001), count('b', 101_000), count('c', 98_000)],
      options
    )
    expect(cases.map(c => [c.id, c.verdict, c.delta_pct])).toEqual([
      ['a', 'regressed', 1.001],
      ['b', 'unchanged', 1],
      ['c', 'improved', -2]
    ])
    expect(cases[0]).toMatchObject({
      baseInstructions: 100_000,
      headInstructions: 101_001,
      reason: '+1.00% is above the 1% threshold'
    })
    expect(cases[0]!.baseNs).toBeUndefined()
    expect(cases[0]!.ci).toBeUndefined()
    expect(cases[2]!.reason).toBe('-2.00% is below the -1% threshold')
  })

  it('applies per-case thresholds by glob on the full id, the last match winning', () => {
    const cases = compareInstructionCases(
      [count('iai::store::scan::k16_v16_10', 1000), count('iai::store::get::k16_v16_1000', 1000)],
      [count('iai::store::scan::k16_v16_10', 1040), count('iai::store::get::k16_v16_1000', 1040)],
      { regressPct: 1, caseThresholds: [{ pattern: 'iai::store::scan::*', thresholdPct: 5 }] }
    )
    expect(cases.map(c => [c.id, c.verdict, c.thresholdPct])).toEqual([
      ['iai::store::get::k16_v16_1000', 'regressed', 1],
      ['iai::store::scan::k16_v16_10', 'unchanged', 5]
    ])
  })

  it('calls a case on one side only new or missing, and carries both sides of every callgrind metric', () => {
    const cases = compareInstructionCases(
      [count('old', 10, 30), count('both', 10, 30)],
      [count('fresh', 20, 50), count('both', 10, 33)],
      options
    )
    expect(cases.map(c => [c.id, c.verdict])).toEqual([
      ['both', 'unchanged'],
      ['fresh', 'new'],
      ['old', 'missing']
    ])
    expect(cases[0]!.callgrind).toEqual({ EstimatedCycles: { base: 30, head: 33 } })
    expect(cases[1]).toMatchObject({
      headInstructions: 20,
      callgrind: { EstimatedCycles: { head: 50 } }
    })
  })
})

describe('the summary files of an instruction run', () => {
  it('keep the reference shape, the count in median_ns and mean_ns, and say their unit', () => {
    const text = formatSummaryFile(
      instructionSummary([count('iai::b', 1_102_978), count('iai::a', 523_532)]),
      INSTRUCTION_SUMMARY_UNIT
    )
    expect(text).toBe(
      [
        '{',
        '  "cases": {',
        '    "iai::a": {',
        '      "mean_ns": 523532.0,',
        '      "median_ns": 523532.0',
        '    },',
        '    "iai::b": {',
        '      "mean_ns": 1102978.0,',
        '      "median_ns": 1102978.0',
        '    }',
        '  },',
        '  "count": 2,',
        '  "unit": "instructions"',
        '}'
      ].join('\n')
    )
  })
})
