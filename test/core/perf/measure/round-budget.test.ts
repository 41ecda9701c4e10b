/** The noise-aware gate's rounds share the Criterion budget of one run. */
import { describe, expect, it } from 'vitest'
import {
  criterionBudget,
  CRITERION_DEFAULTS,
  roundBenchArgs
} from '../../../../src/core/perf/measure/round-budget.js'

describe('criterionBudget', () => {
  it("assumes Criterion's defaults for what the arguments do not set", () => {
    expect(criterionBudget(['--noplot'])).toEqual(CRITERION_DEFAULTS)
  })

  it('reads both the spaced and the = form, the last value winning', () => {
    expect(
      criterionBudget([
        '--measurement-time',
        '2',
        '--warm-up-time=0.5',
        '--sample-size',
        '50',
        '--measurement-time=4'
      ])
    ).toEqual({ ...CRITERION_DEFAULTS, warmUpSeconds: 0.5, measurementSeconds: 4, sampleSize: 50 })
  })
})

describe('roundBenchArgs', () => {
  it('gives each of 5 rounds a fifth of the default budget, other arguments kept', () => {
    expect(roundBenchArgs(['--noplot', 'Scan'], 5)).toEqual([
      '--noplot',
      'Scan',
      '--warm-up-time',
      '0.6',
      '--measurement-time',
      '1',
      '--sample-size',
      '20',
      '--nresamples',
      '20000'
    ])
  })

  it("replaces the user's values and never goes below 10 samples", () => {
    const args = roundBenchArgs(['--measurement-time=2', '--sample-size', '30', '--noplot'], 4)
    expect(args).toEqual([
      '--noplot',
      '--warm-up-time',
      '0.75',
      '--measurement-time',
      '0.5',
      '--sample-size',
      '10',
      '--nresamples',
      '25000'
    ])
  })

  it('leaves the arguments alone for one round', () => {
    expect(roundBenchArgs(['--noplot', '--measurement-time', '2'], 1)).toEqual([
      '--noplot',
      '--measurement-time',
      '2'
    ])
  })
})
