/** A compare stopped by a cancel or the job's timeout: its job summary says what was running. */
import { describe, expect, it } from 'vitest'
import { renderStoppedCompareSummary } from '../../../../src/core/perf/render/running.js'
import { renderPerfSummary } from '../../../../src/core/perf/render/summary.js'
import type { PerfCompareResult } from '../../../../src/core/perf/results.js'
import { twoRegressed } from './fixtures.js'

const at = (seconds: number): string => new Date(Date.UTC(2025, 5, 1, 12, 0, seconds)).toISOString()

function stopped(running: PerfCompareResult['running']): PerfCompareResult {
  return { ...twoRegressed(), startedAt: at(0), durationMs: 100_000, running }
}

describe('the job summary of a stopped compare', () => {
  it('names the round, the side and the filter it was measuring, and for how long', () => {
    const summary = renderPerfSummary(
      stopped({
        step: 'round',
        side: 'head',
        round: 3,
        rounds: 5,
        filter: 'Put|<b>',
        startedAt: at(30)
      })
    )
    expect(summary).toContain(
      '**Running when it stopped:** round 3 of 5, the head side, filter <code>Put\\|\\<b\\></code>, for 1m 10s'
    )
  })

  it('names a re-measuring round, and a side being built', () => {
    expect(
      renderPerfSummary(
        stopped({ step: 're-measure', side: 'base', round: 7, rounds: 10, startedAt: at(90) })
      )
    ).toContain('**Running when it stopped:** re-measuring round 7 of 10, the base side, for 10.0s')
    expect(
      renderPerfSummary(stopped({ step: 'build', side: 'base', startedAt: at(40) }))
    ).toContain('**Running when it stopped:** building the base side, for 1m 00s')
  })

  it('says nothing of it for a compare that finished', () => {
    expect(renderPerfSummary(twoRegressed())).not.toContain('Running when it stopped')
  })
})

describe('the job summary of a compare stopped before it had a result', () => {
  it('says it stopped, what was running then and why, and that nothing was gated', () => {
    const summary = renderStoppedCompareSummary(
      { step: 'round', side: 'base', round: 2, rounds: 5, filter: 'Get', startedAt: at(10) },
      'Criterion bench for base failed in round 2 (cancelled)',
      Date.parse(at(25))
    )
    expect(summary.split('\n\n')).toEqual([
      '## ⏹️ perf compare: stopped before it finished',
      '**Running when it stopped:** round 2 of 5, the base side, filter <code>Get</code>, for 15.0s',
      '```text\nCriterion bench for base failed in round 2 (cancelled)\n```',
      'Nothing was gated: a stopped compare neither passes nor fails a case.'
    ])
  })

  it('leaves the line out when it stopped between steps', () => {
    expect(renderStoppedCompareSummary(undefined, 'stopped', 0)).not.toContain('Running when')
  })
})
