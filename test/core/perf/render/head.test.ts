/** A head with uncommitted changes is named as its commit plus them, wherever a report names it. */
import { describe, expect, it } from 'vitest'
import { renderPerfComment } from '../../../../src/core/perf/render/comment.js'
import { renderPerfConsole } from '../../../../src/core/perf/render/console.js'
import { renderPerfSummary } from '../../../../src/core/perf/render/summary.js'
import { passedCompare } from './fixtures.js'

describe('a head with uncommitted changes', () => {
  const dirty = { ...passedCompare(), headDirty: true }

  it('is named as its commit plus uncommitted changes on the console, in the summary and the comment', () => {
    expect(renderPerfConsole(dirty).split('\n')[1]).toBe(
      '  base origin/master (1111111) vs head 2222222 + uncommitted changes'
    )
    expect(renderPerfSummary(dirty)).toContain(
      '· **Head** <code>2222222</code> + uncommitted changes\n'
    )
    expect(renderPerfComment(dirty)).toContain(
      '→ **Head** <code>2222222</code> + uncommitted changes ·'
    )
  })

  it('is its commit alone when the checkout was clean', () => {
    expect(renderPerfConsole(passedCompare()).split('\n')[1]).toBe(
      '  base origin/master (1111111) vs head 2222222'
    )
    expect(renderPerfSummary(passedCompare())).not.toContain('uncommitted')
  })
})
