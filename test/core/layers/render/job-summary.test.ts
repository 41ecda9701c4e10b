import { describe, expect, it } from 'vitest'
import { renderJobSummary } from '../../../../src/core/layers/render/job-summary.js'
import {
  HOSTILE,
  allPass,
  attempt,
  buildFailure,
  fastFailure,
  flakyChaos,
  hostile,
  layer,
  manyFailures,
  run,
  selectionProblem,
  stressTimeout,
  test,
  testCase
} from './fixtures.js'

const bytes = (text: string): number => Buffer.byteLength(text, 'utf8')

// The lines GitHub reads as Markdown or HTML, i.e. everything outside fenced
// code blocks. A fence that closes early would leak its content in here.
function outsideCodeBlocks(markdown: string): string[] {
  const outside: string[] = []
  let fence: string | undefined
  for (const line of markdown.split('\n')) {
    if (fence === undefined) {
      const open = /^(`{3,})/.exec(line)
      if (open?.[1] !== undefined) fence = open[1]
      else outside.push(line)
    } else if (line.startsWith(fence) && /^`+\s*$/.test(line)) {
      fence = undefined
    }
  }
  expect(fence, 'every code block is closed').toBeUndefined()
  return outside
}

describe('job summary', () => {
  it('puts the verdict first, then mode and totals, then a table per layer', () => {
    const summary = renderJobSummary(allPass())
    const lines = summary.split('\n')
    expect(lines[0]).toBe('### ✅ cargo test: all layers passed')
    expect(summary).toContain('**Mode** <code>all</code>')
    expect(summary).toContain('- **Cases** 2: 2 passed\n- **Tests** 3 passed, 0 failed, 1 ignored')
    expect(summary).toContain(
      '#### ✅ Layer fast: passed in 1.0s\n\n| Case | Status | Attempts | Duration | Passed | Failed |\n| --- | --- | ---: | ---: | ---: | ---: |\n| <code>fast</code> | ✅ passed | 1 / 1 | 1.0s | 2 | 0 |'
    )
    expect(summary).toContain('#### ✅ Layer stress: passed in 1.0s')
    expect(summary).not.toContain('#### Failures')
  })

  it('counts failures in the verdict and folds each failing test with its message and location', () => {
    const summary = renderJobSummary(fastFailure())
    expect(summary.startsWith('### ❌ cargo test: 1 failed\n')).toBe(true)
    expect(summary).toContain('- **Failures** <code>fast</code>')
    expect(summary).toContain(
      '<details><summary>❌ <code>fast</code> · <code>put_then_get</code> failed at <code>tests/basic.rs:12:5</code></summary>'
    )
    expect(summary).toContain(
      '```text\nassertion `left == right` failed\n  left: 1\n right: 2\n```'
    )
    expect(summary).toContain(
      "Output:\n\n```text\nthread 'put_then_get' panicked at tests/basic.rs:12:5:"
    )
    expect(summary).toContain('log <code>target\\/mace\\-test\\/a1\\.log</code>')
  })

  it('shows a hanging case as timed out with its limit', () => {
    const summary = renderJobSummary(stressTimeout())
    expect(summary).toContain('| ⏱️ timed out | 1 / 1 | 10m 00s | 0 | 1 |')
    expect(summary).toContain('<code>stress_bucket_rounds</code> timed out</summary>')
    expect(summary).toContain('Attempt 1 of 1 · timed out after 600s')
  })

  it('marks a flaky chaos case with the attempt it passed on and what the failed attempt saw', () => {
    const summary = renderJobSummary(flakyChaos())
    expect(summary.startsWith('### ✅ cargo test: all layers passed (1 flaky case)\n')).toBe(true)
    expect(summary).toContain('| ⚠️ flaky (passed on attempt 2 of 3) | 2 / 3 |')
    expect(summary).toContain(
      '<details><summary>⚠️ <code>chaos:chaos_recover</code> passed on attempt 2 of 3</summary>'
    )
    expect(summary).toContain('<code>tests\\/chaos\\.rs\\:40\\:9</code>')
    expect(summary).toContain('```text\nrecovered state differs\n```')
  })

  it('shows a failed build with its compiler diagnostics before the layers', () => {
    const summary = renderJobSummary(buildFailure())
    const build = summary.indexOf('#### ❌ Build failed')
    expect(build).toBeGreaterThan(0)
    expect(build).toBeLessThan(summary.indexOf('#### ❌ Layer fast'))
    expect(summary).toContain('1 error, 1 warning')
    expect(summary).toContain(
      '<summary>❌ <code>tests/basic.rs:3:13</code>: cannot find value `x` in this scope</summary>'
    )
    expect(summary).toContain(
      'error[E0425]: cannot find value `x` in this scope\n --> tests/basic.rs:3:13'
    )
    expect(summary).toContain('- ❌ <code>fast</code> did not run')
  })

  it('explains a selection that listed no test instead of passing it silently', () => {
    const summary = renderJobSummary(selectionProblem())
    expect(summary.startsWith('### ❌ cargo test: 1 failed\n')).toBe(true)
    expect(summary).toContain('#### ❌ Selection problems')
    expect(summary).toContain('instead of passing with zero tests run')
    expect(summary).toContain(
      '- ❌ <code>fast\\:extra\\_check\\:crash\\_recovery</code>: expected exactly one test named crash\\_recovery'
    )
  })

  it('gives log paths as text', () => {
    const summary = renderJobSummary(fastFailure())
    expect(summary).toContain(
      '#### Logs\n- Results document, JUnit and all logs: <code>target\\/mace\\-test</code>\n- <code>fast</code> attempt 1 (1 failing test): <code>target\\/mace\\-test\\/a1\\.log</code>'
    )
  })

  it('says when a run was cancelled and its results are partial', () => {
    const summary = renderJobSummary({ ...fastFailure(), cancelled: true })
    expect(summary.startsWith('### ⏹️ cargo test: cancelled before it finished, 1 failed\n')).toBe(
      true
    )
    expect(summary).toContain(
      '_The run was cancelled before it finished: these are partial results._'
    )
  })
})

describe('job summary with hostile test names and messages', () => {
  const summary = renderJobSummary(hostile())
  const markdown = outsideCodeBlocks(summary)

  it('lets no HTML tag from a test reach GitHub: only the tags the summary itself writes', () => {
    const unescaped = markdown.join('\n').replace(/\\./g, '')
    const tags = new Set(unescaped.match(/<\/?[a-z][^>]*>/gi))
    expect([...tags].sort()).toEqual(
      ['</code>', '</details>', '</summary>', '<code>', '<details>', '<summary>'].sort()
    )
    expect(unescaped.match(/<details>/g)?.length).toBe(unescaped.match(/<\/details>/g)?.length)
  })

  it('keeps every table row at its six cells', () => {
    for (const row of markdown.filter(line => line.startsWith('| '))) {
      expect(row.replace(/\\\|/g, '').match(/\|/g)).toHaveLength(7)
    }
  })

  it('keeps the text verbatim inside a fence longer than its backtick runs', () => {
    expect(summary).toContain(
      `\`\`\`\`text\n${HOSTILE.replace('\u0001\u001b[31m', '\uFFFD').replace('\u001b[0m', '')}\n\`\`\`\``
    )
    expect(summary).toContain('``````text\n')
  })

  it('drops terminal escapes', () => {
    expect(summary).not.toContain('\u001b')
  })
})

describe('job summary within GitHub’s size limit', () => {
  it('shortens outputs first and keeps every failure when that is enough', () => {
    const result = manyFailures(10)
    for (const t of result.layers[0]?.cases[0]?.attempts[0]?.tests ?? [])
      t.output = 'y'.repeat(30_000)
    const summary = renderJobSummary(result, { budgetBytes: 100_000 })
    expect(bytes(summary)).toBeLessThanOrEqual(100_000)
    expect(summary.match(/<details>/g)).toHaveLength(10)
    expect(summary).toContain('characters not shown')
    expect(summary).toContain("_Shortened to fit GitHub's 1 MiB job summary limit")
    expect(summary).not.toContain('not shown: full results in')
  })

  it('keeps under the default budget with a hundred failures of 64 KiB output each', () => {
    const result = manyFailures(100)
    for (const t of result.layers[0]?.cases[0]?.attempts[0]?.tests ?? [])
      t.output = 'z'.repeat(65_536)
    const summary = renderJobSummary(result)
    expect(bytes(summary)).toBeLessThanOrEqual(1_000_000)
    expect(summary.includes('<code>case_100</code> failed')).toBe(true)
  })

  it('drops what does not fit, says how many were left out, and keeps the verdict', () => {
    const result = manyFailures(2_000)
    const summary = renderJobSummary(result, { budgetBytes: 20_000 })
    expect(bytes(summary)).toBeLessThanOrEqual(20_000)
    expect(summary.startsWith('### ❌ cargo test: 1 failed\n')).toBe(true)
    expect(summary).toContain('| <code>fast</code> | ❌ failed | 1 / 1 |')
    expect(summary).not.toContain('<details>')
    const note =
      /_(\d+) more failures not shown: full results in <code>target\\\/mace\\-test<\/code>\._/.exec(
        summary
      )
    expect(note).not.toBeNull()
    const shown = summary.match(/^- ❌ <code>fast<\/code> <code>case/gm)?.length ?? 0
    expect(shown + Number(note?.[1])).toBe(2_000)
  })

  it('stays under budget when a layer has more cases than fit', () => {
    const cases = Array.from({ length: 3_000 }, (_, i) =>
      testCase(`stress:stress_${i}`, [attempt(1, [test(`stress_${i}`)])])
    )
    const summary = renderJobSummary(run([layer('stress', cases)]), { budgetBytes: 30_000 })
    expect(bytes(summary)).toBeLessThanOrEqual(30_000)
    expect(summary).toMatch(/_\d+ more cases not shown/)
    // The note follows a blank line, so it is not read as a table row.
    expect(summary).toMatch(/\|\n\n_\d+ more cases not shown/)
  })
})
