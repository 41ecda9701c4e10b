/**
 * A test run stopped by a cancel or the job's timeout: its job summary says what was running
 * when it stopped (the case and its command, or the build).
 */
import { describe, expect, it } from 'vitest'
import { renderJobSummary } from '../../../../src/core/layers/render/job-summary.js'
import type { TestRunResult } from '../../../../src/core/layers/results.js'
import { allPass, fastKilled } from './fixtures.js'

/** fastKilled, cancelled 4 minutes 10 seconds into its case. */
function cancelledInCase(): TestRunResult {
  const result = fastKilled()
  return {
    ...result,
    cancelled: true,
    passed: false,
    startedAt: '2025-01-01T00:00:00.000Z',
    durationMs: 300_000,
    running: {
      step: 'case',
      case: 'stress:stress_evictor',
      features: 'failpoints',
      argv: ['cargo', 'test', '--test', 'stress', 'stress_evictor', '--', '--ignored'],
      startedAt: '2025-01-01T00:00:50.000Z'
    }
  }
}

describe('a run stopped while it ran a case', () => {
  it('the job summary names the case, how long it had run and its command', () => {
    expect(renderJobSummary(cancelledInCase())).toContain(
      '\n**Running when it stopped:** case <code>stress\\:stress\\_evictor</code>, for 4m 10s: <code>cargo test \\-\\-test stress stress\\_evictor \\-\\- \\-\\-ignored</code>\n'
    )
  })
})

describe('a run stopped while it built', () => {
  it('names the build and its features', () => {
    const result: TestRunResult = {
      ...cancelledInCase(),
      running: {
        step: 'build',
        features: 'failpoints',
        argv: ['cargo', 'test', '--no-run'],
        startedAt: '2025-01-01T00:04:00.000Z'
      }
    }
    expect(renderJobSummary(result)).toContain(
      '**Running when it stopped:** the build (features <code>failpoints</code>), for 1m 00s: <code>cargo test \\-\\-no\\-run</code>'
    )
  })
})

describe('a run that finished', () => {
  it('says nothing of what was running', () => {
    expect(renderJobSummary(allPass())).not.toContain('Running when it stopped')
  })
})
