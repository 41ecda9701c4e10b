import { describe, expect, it } from 'vitest'
import { countBytes, countChars } from '../../../../src/core/perf/render/fit.js'
import { comparisonRow, renderComparisonTables } from '../../../../src/core/perf/render/table.js'
import {
  comparison,
  HOSTILE_ID,
  markdownHazards,
  newAndMissing,
  twoRegressed,
  unchanged
} from './fixtures.js'

const limit = (budget: number): Parameters<typeof renderComparisonTables>[1] => ({
  budget,
  measure: countChars,
  moreHint: 'see the artifact'
})

describe('perf comparison table', () => {
  it('shows base, head, signed delta, interval, what it resolves and verdict of a case', () => {
    const row = comparisonRow(
      comparison('Put/K16-V16/1', 'regressed', 12.3, { ci: { low: 8.1, high: 16.9 } })
    )
    expect(row).toBe(
      '| <code>Put\\/K16\\-V16\\/1</code> | 1.00 ms | 1.12 ms | +12.3 % | [+8.1, +16.9] % | ±4.4 % | 🔴 regressed |'
    )
  })

  it('keeps a hostile id inside its cell, on one line, without raw HTML or a mention', () => {
    const row = comparisonRow(comparison(HOSTILE_ID, 'regressed', 40))
    expect(row.split('\n')).toHaveLength(1)
    expect(
      markdownHazards(
        `| Case | Base median | Head median | Δ | Interval | Resolves | Verdict |\n${row}`
      )
    ).toEqual([])
    expect(row).toContain('\\<img src\\=x onerror\\=alert\\(1\\)\\>\\<\\/details\\>')
  })

  it('is checked by a hazard finder that does catch raw HTML, stray cells and mentions', () => {
    expect(markdownHazards('| a | b |\n| <img> | @x | c |\n<details>')).toEqual([
      'raw HTML from an id',
      '1 <details> but 0 </details>',
      'a mention outside code',
      'a row with 3 cells: | <img> | @x | c |'
    ])
  })

  it('keeps the model order and folds unchanged rows below the main table', () => {
    const { markdown, omitted } = renderComparisonTables(twoRegressed().cases, limit(100_000))
    expect(omitted).toBe(0)
    const [main, folded] = markdown.split('<details>')
    expect(main).toMatch(/Scan\\\/1000[^]*Put\\\/K16/)
    expect(main).not.toContain('unchanged')
    expect(folded).toContain('⚪ 6 unchanged</summary>')
  })

  it('shows only the folded block when nothing changed', () => {
    const { markdown } = renderComparisonTables(unchanged(3), limit(100_000))
    expect(markdown.startsWith('<details><summary>⚪ 3 unchanged</summary>')).toBe(true)
  })

  it('drops folded rows before any row of the main table', () => {
    const cases = newAndMissing().cases
    const full = renderComparisonTables(cases, limit(100_000)).markdown
    const { markdown, omitted } = renderComparisonTables(cases, limit(full.length - 100))
    expect(markdown.length).toBeLessThanOrEqual(full.length - 100)
    expect(markdown).toContain('🆕 new')
    expect(markdown).toContain('❌ missing')
    expect(omitted).toBeGreaterThan(0)
    expect(markdown).toContain(
      `_${omitted} more cases not shown (see the artifact): ${omitted} unchanged._`
    )
  })

  it('replaces the folded block by a note, then cuts the main table from its end', () => {
    const cases = [
      ...unchanged(20),
      ...Array.from({ length: 20 }, (_, i) => comparison(`Put/${i}`, 'regressed', 50 - i))
    ].sort((a, b) => (b.delta_pct ?? 0) - (a.delta_pct ?? 0))
    const { markdown, omitted } = renderComparisonTables(cases, limit(1_500))
    expect(markdown.length).toBeLessThanOrEqual(1_500)
    expect(markdown).not.toContain('<details>')
    expect(markdown).toContain('_20 more cases not shown (see the artifact): 20 unchanged._')
    expect(markdown).toContain('<code>Put\\/0</code>')
    const shown = markdown.match(/🔴 regressed/g)?.length ?? 0
    expect(omitted).toBe(40 - shown)
    expect(markdown).toContain(
      `_${20 - shown} more cases not shown (see the artifact): ${20 - shown} regressed._`
    )
  })

  it('counts the budget in the unit it is given', () => {
    const cases = Array.from({ length: 50 }, (_, i) => comparison(`Ünïcödé/${i}`, 'regressed', 9))
    const { markdown } = renderComparisonTables(cases, { ...limit(3_000), measure: countBytes })
    expect(countBytes(markdown)).toBeLessThanOrEqual(3_000)
  })
})
