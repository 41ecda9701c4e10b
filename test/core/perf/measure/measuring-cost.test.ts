/**
 * A compare's measuring cost is measured: each run's cases are checked against
 * the budget the flags asked Criterion for, and a bench that sets its own
 * budget gets its rounds planned to fit a time budget.
 */
import { describe, expect, it } from 'vitest'
import {
  checkBudget,
  committedRounds,
  duetReferenceEstimate,
  estimateRoundMs,
  fitsBudget,
  intervalShortfall,
  OwnCosts,
  requestedBudget,
  referenceEstimate,
  roundsBudget,
  type RunRecord
} from '../../../../src/core/perf/measure/measuring-cost.js'
import type { CriterionCase } from '../../../../src/core/perf/results.js'

function criterionCase(id: string, sampleCount: number, measuredSeconds: number): CriterionCase {
  return {
    id,
    directory: id,
    medianNs: 1000,
    meanNs: 1000,
    sampleCount,
    measuredNs: measuredSeconds * 1e9
  }
}

function run(wallMs: number, ...cases: CriterionCase[]): RunRecord {
  return { side: 'base', round: 1, wallMs, cases }
}

const ASKED = requestedBudget(['--noplot', '--measurement-time', '1', '--sample-size', '20'])

describe('checkBudget', () => {
  it('reads the budget asked from the flags, with Criterion defaults for the rest', () => {
    expect(ASKED).toEqual({ warmUpSeconds: 3, measurementSeconds: 1, sampleSize: 20 })
  })

  it('finds the budget honoured when every case took the samples and about the time asked', () => {
    const check = checkBudget(ASKED, [
      run(3000, criterionCase('a', 20, 1.02), criterionCase('b', 20, 0.99))
    ])
    expect(check).toMatchObject({ honoured: true, departedCases: [] })
    expect(check.observed).toEqual({
      cases: 2,
      samples: { low: 20, high: 20 },
      measuredSeconds: { low: 0.99, high: 1.02 }
    })
  })

  it('finds a budget set in code: other sample counts, or far more time than asked', () => {
    const samples = checkBudget(ASKED, [run(3000, criterionCase('a', 10, 0.2))])
    expect(samples).toMatchObject({ honoured: false, departedCases: ['a'] })
    const time = checkBudget(ASKED, [
      run(3000, criterionCase('a', 20, 15), criterionCase('b', 20, 15))
    ])
    expect(time).toMatchObject({ honoured: false, departedCases: ['a', 'b'] })
  })

  it('lets one case stretch (Criterion does when its samples do not fit) while the run stays near the budget', () => {
    const check = checkBudget(ASKED, [
      run(
        5000,
        criterionCase('slow', 20, 2.5),
        criterionCase('b', 20, 1),
        criterionCase('c', 20, 1)
      )
    ])
    expect(check).toMatchObject({ honoured: true, departedCases: ['slow'] })
  })

  it('takes a run without sample files as honoured: nothing says otherwise', () => {
    const bare = { ...criterionCase('a', 0, 0), measuredNs: undefined }
    expect(checkBudget(ASKED, [run(1000, bare)])).toEqual({
      requested: ASKED,
      honoured: true,
      departedCases: []
    })
  })
})

describe('roundsBudget', () => {
  const factor = { kind: 'factor', factor: 1.5, from: 'default' } as const

  it("is 1.5 × the reference's measuring time estimated from round 1", () => {
    expect(roundsBudget(factor, 40_000)).toEqual({
      budgetMs: 60_000,
      referenceMs: 40_000,
      from: "1.5 × the reference's measuring time (the default), estimated from round 1"
    })
  })

  it('is a stated duration when one is given, whatever the reference', () => {
    const stated = { kind: 'seconds', seconds: 90, from: "input 'time-budget'" } as const
    expect(roundsBudget(stated, 6000)).toEqual({
      budgetMs: 90_000,
      from: "input 'time-budget'",
      referenceMs: 6000
    })
  })
})

describe('referenceEstimate', () => {
  it("is round 1's wall time when the flags could not split the budget and the start-up is unknown", () => {
    const round1 = [run(3000, criterionCase('a', 10, 1)), run(2000, criterionCase('a', 10, 1))]
    expect(referenceEstimate(round1, 0, 1)).toBe(5000)
  })

  it("counts two process start-ups, scales only the Criterion time of a split budget, and each case's set-up once", () => {
    // A duet round: 3 cases, a pair of processes each, 400 ms to start a process, 600 ms of
    // Criterion's warm-up and measurement per case, 400 ms of set-up and analysis.
    const round1 = Array.from({ length: 6 }, () => run(1400, criterionCase('a', 10, 1)))
    expect(referenceEstimate(round1, 400, 1, 600)).toBe(2 * 400 + 6 * 1000)
    expect(referenceEstimate(round1, 400, 5, 600)).toBe(2 * 400 + 5 * 6 * 600 + 6 * 400)
  })
})

describe('estimateRoundMs', () => {
  it("gives each case its share of round 1's processes by the time Criterion spent on it", () => {
    const first = [
      run(4000, criterionCase('a', 10, 3), criterionCase('b', 10, 1)),
      { ...run(2000, criterionCase('a', 10, 1), criterionCase('b', 10, 1)), side: 'head' as const }
    ]
    expect(estimateRoundMs(first, ['a'])).toBe(3000 + 1000)
    expect(estimateRoundMs(first, ['a', 'b'])).toBe(6000)
  })
})

describe('a duet whose bench sets its budget in code (knob_bench: 3 cases)', () => {
  // Each process: 120 ms to start (a listing's wall time), 800 ms of warm-up, measurement and
  // analysis per case; a pair lasts as long as its slower side, here 1000 ms.
  const processMs = 120
  const pairs = 3
  const roundMs = pairs * 1000
  const listMs = 2 * processMs
  const factor = { kind: 'factor', factor: 1.5, from: 'default' } as const

  it("estimates the reference as two sides' runs of a round: one start each, the slower side's time", () => {
    // One side's plain run: one start and every case, 120 + 3 × 880 ms.
    expect(duetReferenceEstimate(roundMs, pairs, processMs)).toBe(2 * (roundMs - 2 * processMs))
    expect(duetReferenceEstimate(roundMs, pairs, processMs)).toBe(2 * (processMs + 3 * 880))
    // Per-case process times summed, as round 1's records give them, miss the wait for the
    // slower side of each pair: 6 processes of 900 ms come to less.
    const summed = Array.from({ length: 6 }, () => run(900, criterionCase('a', 10, 0.2)))
    expect(referenceEstimate(summed, processMs, 1)).toBeLessThan(
      duetReferenceEstimate(roundMs, pairs, processMs)
    )
  })

  it('fits the 3 paired rounds an interval needs in 1.5 ×, the listing and extra starts not charged', () => {
    const budget = roundsBudget(factor, duetReferenceEstimate(roundMs, pairs, processMs))
    const own = new OwnCosts(listMs, processMs)
    let spent = listMs
    let rounds = 0
    for (;;) {
      if (rounds > 0 && !fitsBudget(budget, spent, { ms: roundMs, pairs }, own)) break
      spent += roundMs
      own.ran(pairs)
      rounds++
    }
    expect(rounds).toBe(3)
    // Charged with them, as before, the budget stopped after 2 rounds.
    const charged = new OwnCosts(0, 0)
    expect(fitsBudget(budget, listMs + 2 * roundMs, { ms: roundMs, pairs }, charged)).toBe(false)
  })

  it('commits to the 3 rounds round 1 says fit, so a round 5 % slower on a busy runner cuts none', () => {
    const budget = roundsBudget(factor, duetReferenceEstimate(roundMs, pairs, processMs))
    const own = new OwnCosts(listMs, processMs)
    own.ran(pairs)
    expect(committedRounds(budget, { ms: roundMs, pairs }, own, 3)).toBe(3)
    // Round 2 ran 5 % longer: on the mean of the rounds so far, a third would not fit.
    own.ran(pairs)
    const spent = listMs + roundMs + 1.05 * roundMs
    expect(fitsBudget(budget, spent, { ms: 1.025 * roundMs, pairs }, own)).toBe(false)
    // A budget of 1 × the reference holds 2 rounds: the third is checked as any later one.
    const tight = roundsBudget(
      { kind: 'factor', factor: 1, from: "input 'time-budget'" },
      duetReferenceEstimate(roundMs, pairs, processMs)
    )
    expect(committedRounds(tight, { ms: roundMs, pairs }, own, 3)).toBe(2)
    expect(committedRounds(undefined, { ms: roundMs, pairs }, own, 3)).toBe(3)
  })

  it('says what 3 rounds would take and which time-budget allows them when fewer fit', () => {
    const budget = roundsBudget(
      { kind: 'factor', factor: 1, from: "input 'time-budget'" },
      duetReferenceEstimate(roundMs, pairs, processMs)
    )
    const own = new OwnCosts(listMs, processMs)
    own.ran(pairs)
    expect(fitsBudget(budget, listMs + roundMs, { ms: roundMs, pairs }, own)).toBe(true)
    own.ran(pairs)
    expect(fitsBudget(budget, listMs + 2 * roundMs, { ms: roundMs, pairs }, own)).toBe(false)
    expect(intervalShortfall(budget, 3, { ms: roundMs, pairs }, own)).toBe(
      "3 paired rounds, the fewest that give a case an interval, would take about 9.0s (1.50 × the reference's measuring time, start-ups and listing left out): time-budget 1.5x would allow them"
    )
  })

  it('charges sequential rounds all their time but the listing', () => {
    const budget = { budgetMs: 10_000, from: 'x' }
    const own = new OwnCosts(listMs, 0)
    expect(fitsBudget(budget, listMs + 6000, { ms: 4000, pairs: 3 }, own)).toBe(true)
    expect(fitsBudget(budget, listMs + 6000, { ms: 4001, pairs: 3 }, own)).toBe(false)
  })
})
