/**
 * What a user reads of a compare or snapshot on instruction counts: every
 * rendering names the metric, shows counts as instructions (never ns), keeps
 * the estimated cycles and the other callgrind metrics apart as information,
 * and explains the gate.
 */
import { describe, expect, it } from 'vitest'
import { planPerfAnnotations } from '../../../../src/core/perf/render/annotations.js'
import { renderCheckRunOutput } from '../../../../src/core/perf/render/check.js'
import { renderPerfComment } from '../../../../src/core/perf/render/comment.js'
import { renderPerfConsole } from '../../../../src/core/perf/render/console.js'
import { renderPerfSummary } from '../../../../src/core/perf/render/summary.js'
import type {
  CaseComparison,
  InstructionsSnapshotResult,
  PerfCompareResult
} from '../../../../src/core/perf/results.js'
import { compare, HOSTILE_ID, markdownHazards, passedCompare, snapshot } from './fixtures.js'

/** A case counted at `base` and `head` instructions, with estimated cycles 1.4× and L1 hits. */
function counted(
  id: string,
  base: number,
  head: number,
  verdict: CaseComparison['verdict']
): CaseComparison {
  return {
    id,
    verdict,
    thresholdPct: 1,
    baseRounds: [base],
    headRounds: [head],
    baseInstructions: base,
    headInstructions: head,
    delta_pct: ((head - base) / base) * 100,
    ...(verdict === 'regressed' ? { reason: '+1.12% is above the 1% threshold' } : {}),
    callgrind: {
      EstimatedCycles: { base: base * 1.4, head: head * 1.5 },
      L1hits: { base: base * 1.2, head: head * 1.2 }
    }
  }
}

function instructionCompare(): PerfCompareResult {
  return compare(
    [
      counted('iai::store::put::k100_v1024_100', 1_102_978, 1_115_295, 'regressed'),
      ...Array.from({ length: 6 }, (_, i) =>
        counted(`iai::store::get::k16_v16_${i}`, 603_850, 603_850, 'unchanged')
      )
    ],
    { metric: 'instructions', gate: 'threshold', rounds: 1, thresholdPct: 1, minBaseNs: 0 }
  )
}

describe('an instruction compare as people read it', () => {
  it('prints counts with the metric named, and the estimated cycles as information', () => {
    const text = renderPerfConsole(instructionCompare())
    const lines = text.split('\n')
    expect(lines[0]).toMatch(/^perf compare \(instructions\): FAIL in /)
    expect(lines[2]).toBe(
      '  threshold gate on instructions, one run per side, threshold 1 % · at most 0 regressed cases allowed · at least 6 cases compared'
    )
    expect(text).toContain('base instructions  head instructions    delta  est. cycles (info)')
    expect(text).toMatch(
      /REGRESSED {2}iai::store::put::k100_v1024_100 +1,102,978 +1,115,295 +\+1\.12 % +\+8\.3\d % +\+1\.12% is above/
    )
    expect(text).not.toMatch(/\d ns\b|µs|ms\b/)
  })

  it('gives the job summary the metric, count columns, the callgrind metrics folded, and the gate', () => {
    const summary = renderPerfSummary(instructionCompare())
    expect(summary).toContain(
      '- **Metric** instructions: callgrind Ir counted by gungraun under Valgrind'
    )
    expect(summary).toContain(
      '| Case | Base (instructions) | Head (instructions) | Δ | Est. cycles Δ (info) | Verdict |'
    )
    expect(summary).toContain('| 1,102,978 | 1,115,295 | +1.12 % |')
    expect(summary).toContain(
      '<details><summary>Other callgrind metrics, Δ base → head (informational)</summary>'
    )
    expect(summary).toContain('| Case | Est. cycles | L1 hits | LL hits | RAM hits | Total R+W |')
    expect(summary).toMatch(
      /_Instruction gate: base and head ran once each under Valgrind's callgrind/
    )
    expect(summary).not.toContain('cases with a base under')
    expect(markdownHazards(summary)).toEqual([])
  })

  it('says which metric in the PR comment, the check run and the annotations', () => {
    const result = instructionCompare()
    expect(renderPerfComment(result)).toContain(
      'threshold gate on instructions\\, one run per side\\, threshold 1 \\%'
    )
    const check = renderCheckRunOutput(result)
    expect(check.summary).toContain('**Metric** instructions')
    expect(check.text).toContain('Base (instructions)')
    const [annotation] = planPerfAnnotations(result).annotations
    expect(annotation!.message).toBe(
      'iai::store::put::k100_v1024_100 runs more instructions: 1,102,978 → 1,115,295 instructions, Δ +1.12 %, above its 1 % threshold. +1.12% is above the 1% threshold'
    )
  })

  it('escapes hostile ids in the callgrind block too', () => {
    const result = compare([counted(HOSTILE_ID, 1000, 1000, 'unchanged')], {
      metric: 'instructions',
      gate: 'threshold',
      thresholdPct: 1
    })
    expect(markdownHazards(renderPerfSummary(result))).toEqual([])
  })

  it('names wall time as the metric of a wall-time compare', () => {
    expect(renderPerfSummary(passedCompare())).toContain(
      "- **Metric** wall time: Criterion's median time per iteration"
    )
  })
})

describe('an instruction snapshot as people read it', () => {
  const result: InstructionsSnapshotResult = {
    ...snapshot(),
    metric: 'instructions',
    p50: 737_209,
    p95: 16_478_605,
    count: 2,
    cases: [
      {
        id: 'iai::store::scan::k16_v16_10',
        instructions: 737_209,
        callgrind: { EstimatedCycles: 1_053_560 }
      },
      { id: 'iai::store::open::k16_v16_100', instructions: 16_478_605, callgrind: {} }
    ]
  }

  it('gives counts and their p50 and p95 in instructions', () => {
    const summary = renderPerfSummary(result)
    expect(summary).toContain('- **Metric** instructions')
    expect(summary).toContain(
      "**p50** 737,209 instructions · **p95** 16,478,605 instructions (of the cases' counts)"
    )
    expect(summary).toContain('| Case | Instructions | Est. cycles (info) |')
    expect(summary).toContain(
      '| <code>iai\\:\\:store\\:\\:open\\:\\:k16\\_v16\\_100</code> | 16,478,605 | — |'
    )
    const text = renderPerfConsole(result)
    expect(text).toContain('perf snapshot (instructions): PASS')
    expect(text).toContain('2 cases, p50 737,209, p95 16,478,605 instructions (of the counts)')
    expect(text).toMatch(/737,209 +1,053,560 +iai::store::scan::k16_v16_10/)
  })
})
