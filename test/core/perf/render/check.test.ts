import { describe, expect, it } from 'vitest'
import {
  MAX_CHECK_BODY,
  MAX_CHECK_TITLE,
  renderCheckRunOutput
} from '../../../../src/core/perf/render/check.js'
import {
  compare,
  comparison,
  HOSTILE_ID,
  manyCases,
  markdownHazards,
  snapshot,
  twoRegressed,
  unchanged
} from './fixtures.js'

describe('perf check run output', () => {
  it('titles the check with the plain verdict and puts facts in the summary, the table in the text', () => {
    const output = renderCheckRunOutput(twoRegressed())
    expect(output.title).toBe(
      'perf gate failed: 2 cases regressed beyond 5 %: Scan/1000, Put/K16-V16/1'
    )
    expect(output.summary.split('\n')[0]).toBe(
      '### ❌ perf gate failed: 2 cases regressed beyond 5 %: <code>Scan\\/1000</code>, <code>Put\\/K16\\-V16\\/1</code>'
    )
    expect(output.summary).toContain('**Why it failed**')
    expect(output.summary).toContain('_Noise-aware gate:')
    expect(
      output.text.startsWith(
        '| Case | Base median | Head median | Δ | Interval | Resolves | Verdict |'
      )
    ).toBe(true)
    expect(output.text).toContain('<details><summary>⚪ 6 unchanged</summary>')
  })

  it('describes a snapshot by its count and puts its cases in the text', () => {
    const output = renderCheckRunOutput(snapshot())
    expect(output.title).toBe('perf snapshot passed: 3 cases measured')
    expect(output.summary).toContain('**p50** 3.21 ms')
    expect(output.text).toContain('| <code>Get\\/K16\\/1</code> | 12.4 µs |')
  })

  it('keeps the title within 255 characters even with long hostile ids', () => {
    const ids = [1, 2, 3].map(i => `${HOSTILE_ID}${'y'.repeat(200)}${i}`)
    const result = compare([...unchanged(6), ...ids.map(id => comparison(id, 'regressed', 9))])
    const output = renderCheckRunOutput(result)
    expect(output.title.length).toBeLessThanOrEqual(MAX_CHECK_TITLE)
    expect(output.title).not.toContain('\n')
  })

  it('keeps summary and text within 65,535 characters with 5,000 cases', () => {
    const output = renderCheckRunOutput(manyCases(5_000))
    expect(output.summary.length).toBeLessThanOrEqual(MAX_CHECK_BODY)
    expect(output.text.length).toBeLessThanOrEqual(MAX_CHECK_BODY)
    expect(markdownHazards(output.text)).toEqual([])
    expect(output.text).toContain(
      '_4000 more cases not shown (see the job summary or the artifact): 4000 unchanged._'
    )
  })
})
