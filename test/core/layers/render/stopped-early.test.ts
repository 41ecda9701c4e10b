/**
 * What every report says of a command that stopped before its tests did: the tests that
 * never ran (counted, with why), the last panic and the end of the log of a timeout or
 * crash, panics of non-test threads no test was given, and a crashed test binary none of
 * whose tests could be named, beside the tests that did fail.
 */
import { describe, expect, it } from 'vitest'
import { planAnnotations } from '../../../../src/core/layers/render/annotations.js'
import { OUTCOME_FACTS } from '../../../../src/core/layers/render/case-facts.js'
import { renderConsoleReport } from '../../../../src/core/layers/render/console-report.js'
import { renderJobSummary } from '../../../../src/core/layers/render/job-summary.js'
import { renderJUnit } from '../../../../src/core/layers/render/junit.js'
import { TEST_OUTCOMES } from '../../../../src/core/layers/results.js'
import { findAll, readXml } from '../../../harness/xml-reader.js'
import { crashBesideFailure, fastKilled } from './fixtures.js'

describe('a fast command killed at its timeout', () => {
  const result = fastKilled()

  it('the console counts the tests never run and says why, with the last panic of the log', () => {
    const report = renderConsoleReport(result)
    expect(report).toContain('1 passed, 1 failed, 0 ignored, 3 not run')
    expect(report).toContain(
      '      TIMED-OUT hangs (hang): still running when the command timed out'
    )
    expect(report).toContain(
      '      not run: 3 tests in 2 targets (the command timed out before they ran)'
    )
    expect(report).toContain(
      "      PANIC of a non-test thread, given to no test: thread '<unnamed>' (hang) at tests/hang.rs:8:40: index out of range while compacting"
    )
    expect(report).toContain(
      "      last panic in the log: thread '<unnamed>' (hang) at tests/hang.rs:8:40: index out of range while compacting"
    )
  })

  it('the job summary counts them in the header and the table, and shows the evidence', () => {
    const summary = renderJobSummary(result)
    expect(summary).toContain('- **Tests** 1 passed, 1 failed, 0 ignored\n')
    expect(summary).toContain(
      '- **Not run** 3 tests in 2 targets: the command timed out before they ran'
    )
    expect(summary).toContain('| Case | Status | Attempts | Duration | Passed | Failed | Not run |')
    expect(summary).toContain('| 1 | 1 | 3 |')
    expect(summary).toContain('Last panic in the log: thread <code>\\<unnamed\\></code>')
    expect(summary).toContain(
      'End of the log:\n\n```text\nprogress of hangs: step 38\nprogress of hangs: step 39\n```'
    )
    expect(summary).toContain('1 panic of threads that are not tests, given to no test')
    expect(summary).toContain('<code>later\\_a</code> (2), <code>later\\_b</code> (1)')
  })

  it('JUnit skips each test that never ran with the reason, and counts it as skipped', () => {
    const root = readXml(renderJUnit(result))
    const skipped = findAll(root, 'testcase')
      .filter(t => t.attributes.name === 'first' || t.attributes.name === 'only')
      .map(t => t.children.find(c => c.name === 'skipped')?.attributes.message)
    expect(skipped).toEqual([
      'not run: the command timed out before target later_a ran',
      'not run: the command timed out before target later_b ran'
    ])
    expect(root.attributes).toMatchObject({ skipped: '3', failures: '1' })
  })

  it('the annotation of the hung test carries the last panic and the end of the log', () => {
    const annotation = planAnnotations(result).annotations[0]
    expect(annotation?.title).toBe('fast: hangs timed out')
    expect(annotation?.message).toBe(
      "still running when the command timed out\n\nLast panic in the log: thread '<unnamed>' at tests/hang.rs:8:40:\nindex out of range while compacting\n\nEnd of the log:\nprogress of hangs: step 38\nprogress of hangs: step 39"
    )
  })
})

describe('a crashed test binary beside a failing target', () => {
  const result = crashBesideFailure()
  const SEGV = 'signal 11 (SIGSEGV: invalid memory reference)'

  it('every report names the crash as well as the failing test', () => {
    expect(renderConsoleReport(result)).toContain(
      `error: target crash: the test binary was killed by ${SEGV}`
    )
    const summary = renderJobSummary(result)
    expect(summary).toContain('<code>fails_plainly</code> failed')
    expect(summary).toContain(`target crash: the test binary was killed by ${SEGV}`)
    const titles = planAnnotations(result).annotations.map(a => [a.title, a.message.split('\n')[0]])
    expect(titles).toEqual([
      ['fast: fails_plainly failed', 'assertion failed: 1 + 1 == 3'],
      [
        'fast failed',
        expect.stringContaining(`target crash: the test binary was killed by ${SEGV}`)
      ]
    ])
  })

  it('JUnit has an error testcase for the crash beside the failing test', () => {
    const root = readXml(renderJUnit(result))
    const errors = findAll(root, 'error').map(e => e.attributes.message)
    expect(errors).toEqual([expect.stringContaining(`killed by ${SEGV}`)])
    expect(findAll(root, 'failure').map(f => f.attributes.message)).toEqual([
      'assertion failed: 1 + 1 == 3'
    ])
  })
})

describe('the one table of test outcomes', () => {
  it('gives every outcome a word, an icon, a count and a JUnit element', () => {
    for (const outcome of TEST_OUTCOMES) {
      expect(OUTCOME_FACTS[outcome].word, outcome).not.toBe('')
      expect(OUTCOME_FACTS[outcome].icon, outcome).not.toBe('')
    }
    expect(TEST_OUTCOMES.filter(o => OUTCOME_FACTS[o].count === 'failed')).toEqual([
      'failed',
      'timed-out',
      'crashed'
    ])
  })
})
