/** The measuring line (what the rounds cost, the planned rounds a time budget dropped) and the gate line. */
import { describe, expect, it } from 'vitest'
import { gateText, measuringText } from '../../../../src/core/perf/render/verdict.js'
import type { PerfCompareResult } from '../../../../src/core/perf/results.js'
import { allInconclusive } from './fixtures.js'

function withCost(cost: NonNullable<PerfCompareResult['cost']>): PerfCompareResult {
  return { ...allInconclusive(), cost }
}

describe('the measuring line', () => {
  it('says how many planned rounds the time budget dropped, and why', () => {
    const text = measuringText(
      withCost({
        measuringMs: 2600,
        roundMs: [2600],
        requested: { warmUpSeconds: 0.3, measurementSeconds: 0.8, sampleSize: 10 },
        budgetHonoured: true,
        plannedRounds: 5,
        plannedRemeasureRounds: 10,
        roundsRun: 1,
        remeasureRoundsRun: 0,
        stoppedBy: 'budget',
        timeBudgetMs: 3000,
        timeBudgetFrom: 'flag --time-budget'
      })
    )
    expect(text).toBe(
      '2.6s in 1 round, 4 of 5 planned rounds dropped: the time budget of 3.0s (flag --time-budget) ' +
        'left no room for them (0 extra rounds for undecided cases, then the time budget was spent ' +
        'with cases undecided); Criterion ran the budget asked (10 samples, 0.8 s per case), within ' +
        'a time budget of 3.0s (flag --time-budget)'
    )
  })

  it('says nothing of dropped rounds when every planned round ran', () => {
    const text = measuringText(
      withCost({
        measuringMs: 5000,
        roundMs: [1000, 1000, 1000, 1000, 1000],
        plannedRounds: 5,
        roundsRun: 5,
        remeasureRoundsRun: 0,
        stoppedBy: 'decided'
      })
    )
    expect(text).toBe(
      '5.0s in 5 rounds (every case decided after the planned rounds); Criterion ran the budget asked'
    )
  })
})

describe('the gate line', () => {
  it('names min-base-ns only when it skips something', () => {
    const skipping = { ...allInconclusive(), minBaseNs: 10_000 }
    expect(gateText(skipping)).toContain(' · cases with a base under 10.0 µs skipped')
    expect(gateText({ ...skipping, minBaseNs: 0 })).not.toContain('cases with a base under')
  })
})
