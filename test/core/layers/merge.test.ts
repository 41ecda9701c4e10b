/**
 * Merging a matrix's shards into one verdict: every case of every shard,
 * each once, every verdict computed again from the tests and attempts; a
 * missing, cancelled, unfinished, self-contradicting or other-plan shard fails
 * the merge, named with why.
 */
import { describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { mergeShardResults, type ShardDocument } from '../../../src/core/layers/merge.js'
import { LAYERS, type TestRunResult } from '../../../src/core/layers/results.js'
import { allPass, fastFailure, flakyChaos } from './render/fixtures.js'

/** A run of mode `all` as a real one records it: every layer, an empty one skipped. */
const ofModeAll = (result: TestRunResult): TestRunResult => ({
  ...result,
  mode: 'all',
  layers: LAYERS.map(
    name =>
      result.layers.find(l => l.name === name) ?? {
        name,
        status: 'skipped',
        durationMs: 0,
        cases: []
      }
  )
})

const shard = (
  result: TestRunResult,
  index: number,
  total: number,
  planDigest = 'p1'
): ShardDocument => ({
  source: `shard-${index}/results.json`,
  result: { ...ofModeAll(result), shard: { index, total, planDigest, share: `share ${index}` } }
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
      'Shard 2/3 (shard-2/results.json) was cancelled before it finished: its results are partial. Its share (share 2) is not known case by case, so what of it never ran is not listed.',
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

/** `result` edited by hand: every verdict flipped to green, its failed tests left in. */
function flippedGreen(result: TestRunResult): TestRunResult {
  return {
    ...result,
    passed: true,
    failures: [],
    layers: result.layers.map(l => ({
      ...l,
      status: l.cases.length === 0 ? 'skipped' : 'passed',
      cases: l.cases.map(c => ({
        ...c,
        status: 'passed',
        attempts: c.attempts.map(a => ({ ...a, passed: true }))
      }))
    }))
  }
}

describe('a merge believes no verdict a shard writes of itself', () => {
  it('a shard flipped to passed by hand, its failed test left in, fails the merge, named', () => {
    const merged = mergeShardResults(
      [shard(allPass(), 1, 2), shard(flippedGreen(fastFailure()), 2, 2)],
      options
    )
    expect(merged.passed).toBe(false)
    expect(merged.failures).toEqual(['shard 2/2', 'fast'])
    const fast = merged.layers.find(l => l.name === 'fast')!
    expect(fast.status).toBe('failed')
    expect(fast.cases.map(c => [c.shard, c.status])).toEqual([
      [1, 'passed'],
      [2, 'failed']
    ])
    const message = merged.merged?.problems[0]?.message ?? ''
    expect(message).toContain(
      'Shard 2/2 (shard-2/results.json) contradicts its own evidence, so it was edited or damaged: it says passed, but fast failed'
    )
    expect(message).toContain('fast attempt 1 says passed, but test put_then_get failed')
    expect(merged.merged?.shards.map(s => s.passed)).toEqual([true, false])
  })

  it("only the document's own `passed` flipped still fails the merge", () => {
    const tampered = { ...fastFailure(), passed: true }
    const merged = mergeShardResults([shard(allPass(), 1, 2), shard(tampered, 2, 2)], options)
    expect(merged.passed).toBe(false)
    expect(merged.failures).toEqual(['shard 2/2', 'fast'])
    expect(merged.merged?.problems[0]?.message).toContain('it says passed, but fast failed')
  })

  it('a failures list emptied by hand is replaced by what the cases say', () => {
    const tampered = { ...fastFailure(), failures: [] }
    const merged = mergeShardResults([shard(tampered, 1, 1)], options)
    expect(merged.failures).toEqual(['shard 1/1', 'fast'])
    expect(merged.merged?.problems[0]?.message).toContain(
      'its failures list says nothing, its evidence fast'
    )
  })

  it('a flaky case passed off as a clean pass is flaky again, and the shard is named', () => {
    const chaos = flakyChaos()
    const hidden: TestRunResult = {
      ...chaos,
      flaky: [],
      layers: chaos.layers.map(l => ({
        ...l,
        cases: l.cases.map(c => ({ ...c, status: 'passed' as const }))
      }))
    }
    const merged = mergeShardResults([shard(allPass(), 1, 2), shard(hidden, 2, 2)], options)
    expect(merged.flaky).toEqual(['chaos:chaos_recover'])
    expect(merged.failures).toEqual(['shard 2/2'])
    expect(merged.merged?.problems[0]?.message).toContain(
      'chaos:chaos_recover says passed, its attempts flaky'
    )
  })

  it('a timed-out test under an attempt that says passed makes the case timed out', () => {
    const doc = allPass()
    const stress = doc.layers.find(l => l.name === 'stress')!.cases[0]!
    stress.attempts[0]!.tests[0]!.outcome = 'timed-out'
    const merged = mergeShardResults([shard(doc, 1, 1)], options)
    const found = merged.layers.find(l => l.name === 'stress')!.cases[0]!
    expect(found.status).toBe('timed-out')
    expect(merged.failures).toEqual(['shard 1/1', 'stress:stress_bucket_rounds'])
  })

  it('a build that says passed over its compiler errors is a failed build', () => {
    const doc = allPass()
    doc.builds[0] = {
      ...doc.builds[0]!,
      command: { ...doc.builds[0]!.command, exitCode: 101 },
      diagnostics: [{ level: 'error', message: 'cannot find value `x` in this scope' }]
    }
    const merged = mergeShardResults([shard(doc, 1, 1)], options)
    expect(merged.failures).toEqual(['shard 1/1', 'build'])
    expect(merged.merged?.problems[0]?.message).toContain(
      'its build (features failpoints) says passed, but it ended with 101'
    )
  })

  it('a shard missing a layer of its mode, though nothing failed, fails the merge', () => {
    const doc = ofModeAll(allPass())
    doc.layers = doc.layers.filter(l => l.name !== 'stress')
    const merged = mergeShardResults(
      [
        {
          source: 's.json',
          result: { ...doc, shard: { index: 1, total: 1, planDigest: 'p1', share: '' } }
        }
      ],
      options
    )
    expect(merged.passed).toBe(false)
    expect(merged.merged?.problems[0]?.message).toContain(
      'layer stress of mode all is missing, though nothing failed before it'
    )
  })
})

describe('a merge refuses a shard that did not finish', () => {
  it('a shard killed mid-case (never marked finished) is named with the case it was running', () => {
    const killed: TestRunResult = {
      ...allPass(),
      finished: false,
      passed: false,
      running: {
        step: 'case',
        case: 'stress:stress_bucket_rounds',
        startedAt: '2025-06-01T12:00:01.000Z'
      }
    }
    const merged = mergeShardResults([shard(allPass(), 1, 2), shard(killed, 2, 2)], options)
    expect(merged.passed).toBe(false)
    expect(merged.failures).toEqual(['shard 2/2'])
    expect(merged.merged?.problems[0]?.message).toBe(
      "Shard 2/2 (shard-2/results.json) did not finish: its results document was never marked finished: the run was stopped while running case stress:stress_bucket_rounds (killed, e.g. by SIGKILL or the job's timeout, or out of disk) before its last write, so it is partial. Its share (share 2) is not known case by case, so what of it never ran is not listed."
    )
  })

  it('an unfinished shard that says passed is named both for being cut short and for the claim', () => {
    const killed: TestRunResult = { ...allPass(), finished: false, passed: true }
    const merged = mergeShardResults([shard(killed, 1, 1)], options)
    expect(merged.passed).toBe(false)
    const message = merged.merged?.problems[0]?.message ?? ''
    expect(message).toContain('did not finish: its results document was never marked finished')
    expect(message).toContain('the run was stopped between two steps')
    expect(message).toContain('contradicts its own evidence')
    expect(message).toContain('it says passed, but it never finished')
  })
})
