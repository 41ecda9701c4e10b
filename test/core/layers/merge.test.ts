/**
 * Merging a matrix's shards into one verdict: every case of every shard,
 * each once; a missing, cancelled or other-plan shard fails the merge, named.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { mergeShardResults, type ShardDocument } from '../../../src/core/layers/merge.js'
import type { TestRunResult } from '../../../src/core/layers/results.js'
import { allPass, fastFailure, flakyChaos } from './render/fixtures.js'

const shard = (
  result: TestRunResult,
  index: number,
  total: number,
  planDigest = 'p1'
): ShardDocument => ({
  source: `shard-${index}/results.json`,
  result: { ...result, shard: { index, total, planDigest, share: `share ${index}` } }
})
const options = {
  outputDir: '/work/merged',
  expectedSource: (index: number, total: number) => `artifact 'tests-shard-${index}-of-${total}'`
}

describe('merging shards', () => {
  it('three passing shards give one passing document with every case, marked with its shard', () => {
    const merged = mergeShardResults(
      [shard(flakyChaos(), 3, 3), shard(allPass(), 1, 3), shard(allPass(), 2, 3)],
      options
    )
    expect(merged.passed).toBe(true)
    expect(merged.layers.map(l => [l.name, l.cases.map(c => `${c.id}@${c.shard}`)])).toEqual([
      ['fast', ['fast@1', 'fast@2']],
      ['stress', ['stress:stress_bucket_rounds@1', 'stress:stress_bucket_rounds@2']],
      ['chaos', ['chaos:chaos_recover@3']]
    ])
    expect(merged.flaky).toEqual(['chaos:chaos_recover'])
    expect(merged.merged?.shards.map(s => s.index)).toEqual([1, 2, 3])
    expect(merged.merged?.problems).toEqual([])
    expect(merged.outputDir).toBe('/work/merged')
  })

  it("a shard's failures are the merge's failures", () => {
    const merged = mergeShardResults([shard(allPass(), 1, 2), shard(fastFailure(), 2, 2)], options)
    expect(merged.passed).toBe(false)
    expect(merged.failures).toEqual(['fast'])
  })

  it('a missing shard fails the merge and names it and where its results were expected', () => {
    const merged = mergeShardResults([shard(allPass(), 1, 3), shard(allPass(), 3, 3)], options)
    expect(merged.passed).toBe(false)
    expect(merged.failures).toEqual(['shard 2/3'])
    expect(merged.merged?.problems[0]?.message).toBe(
      "No results from shard 2/3 (expected artifact 'tests-shard-2-of-3'): its job failed or was cancelled before it wrote them, or did not run."
    )
  })

  it('a cancelled shard and a shard of another plan fail the merge', () => {
    const cancelled = shard({ ...allPass(), cancelled: true, passed: false }, 2, 3)
    const other = shard(allPass(), 3, 3, 'p2')
    const merged = mergeShardResults([shard(allPass(), 1, 3), cancelled, other], options)
    expect(merged.failures).toEqual(['shard 2/3', 'shard 3/3'])
    expect(merged.merged?.problems.map(p => p.message)).toEqual([
      'Shard 2/3 (shard-2/results.json) was cancelled before it finished: its results are partial.',
      'Shard 3/3 (shard-3/results.json) ran another plan than shard 1/3 (plan p2, not p1): every shard must run the same inputs on the same commit.'
    ])
  })

  it('refuses documents that are not shards, disagree on N, or repeat a shard', () => {
    expect(() => mergeShardResults([], options)).toThrow(InputError)
    expect(() => mergeShardResults([{ source: 'x.json', result: allPass() }], options)).toThrow(
      "x.json is not a shard's results (it has no shard)"
    )
    expect(() =>
      mergeShardResults([shard(allPass(), 1, 2), shard(allPass(), 2, 3)], options)
    ).toThrow('The shards disagree on how many there are')
    expect(() =>
      mergeShardResults([shard(allPass(), 1, 2), shard(allPass(), 1, 2)], options)
    ).toThrow('Shard 1/2 comes twice: shard-1/results.json and shard-1/results.json.')
  })
})
