/** Shards of a plan: every test in exactly one shard, deterministically, and one digest for all. */
import { describe, expect, it } from 'vitest'
import type { TestListing } from '../../../src/core/cargo/listing.js'
import { InputError } from '../../../src/core/shared/errors.js'
import type { TestPlan } from '../../../src/core/layers/plan.js'
import { parseShard, planDigest, shardPlan } from '../../../src/core/layers/shard.js'

const listing: TestListing = new Map(
  Object.entries({ lib: 4, basic: 9, recovery: 3, bench_smoke: 1, extra: 2 }).map(([t, n]) => [
    t,
    { all: new Set(Array.from({ length: n }, (_, i) => `t${i}`)), ignored: new Set<string>() }
  ])
)

const plan: TestPlan = {
  source: { kind: 'discovered' },
  fast: { targets: ['lib', 'basic', 'recovery', 'bench_smoke', 'extra'] },
  stress: ['s1', 's2', 's3', 's4', 's5'].map(t => ({ target: 'stress', test: `stress_${t}` })),
  chaos: ['c1', 'c2'].map(t => ({ target: 'chaos', test: `chaos_${t}` })),
  groups: [
    {
      name: 'extra_check',
      features: 'failpoints,extra_check',
      layer: 'fast',
      cases: [{ target: 'extra_check', test: 'invariants', mode: 'normal', exact: true }]
    }
  ],
  env: {}
}

describe('shard K/N', () => {
  it('parses K/N and refuses anything else, naming the input', () => {
    expect(parseShard(' 2/4 ', "input 'shard'")).toEqual({ index: 2, total: 4 })
    for (const bad of ['0/3', '4/3', '1', '1/0', 'a/b', '1/300']) {
      expect(() => parseShard(bad, "input 'shard'")).toThrow(InputError)
    }
    expect(() => parseShard('4/3', "input 'shard'")).toThrow(
      "Invalid input 'shard': '4/3'. Expected K/N with 1 ≤ K ≤ N ≤ 256"
    )
  })

  it('every target and case lands in exactly one of N shards, the same way every time', () => {
    for (const total of [1, 2, 3, 4, 7]) {
      const shards = Array.from({ length: total }, (_, i) =>
        shardPlan(plan, listing, { index: i + 1, total })
      )
      const fast = shards.flatMap(s => s.fast.targets).sort()
      expect(fast).toEqual([...plan.fast.targets].sort())
      const cases = shards.flatMap(s => [...s.stress, ...s.chaos].map(c => c.test)).sort()
      expect(cases).toEqual([...plan.stress, ...plan.chaos].map(c => c.test).sort())
      expect(shards.flatMap(s => s.groups.flatMap(g => g.cases))).toHaveLength(1)
      expect(shardPlan(plan, listing, { index: 1, total })).toEqual(shards[0])
    }
  })

  it('balances fast targets by their test counts, largest first', () => {
    const counts = [1, 2, 3].map(index =>
      shardPlan(plan, listing, { index, total: 3 }).fast.targets.reduce(
        (sum, t) => sum + (listing.get(t)?.all.size ?? 0),
        0
      )
    )
    // 19 tests: basic (9) alone in one shard, the other four targets split 5 and 5.
    expect(counts).toEqual([9, 5, 5])
  })

  it('deals cases across layers so no shard is left without work', () => {
    // The fixture's shape: 3 fast targets, 3 stress and 3 chaos cases, over 4 shards.
    const small: TestPlan = {
      ...plan,
      fast: { targets: ['lib', 'basic', 'recovery'] },
      stress: plan.stress.slice(0, 3),
      chaos: [...plan.chaos, { target: 'chaos', test: 'chaos_c3' }],
      groups: []
    }
    const shards = [1, 2, 3, 4].map(index => shardPlan(small, listing, { index, total: 4 }))
    const commands = shards.map(s => s.fast.targets.length + s.stress.length + s.chaos.length)
    expect(commands).toEqual([3, 2, 2, 2])
    expect(shards.flatMap(s => [...s.stress, ...s.chaos])).toHaveLength(6)
  })

  it('the plan digest is the same for any shard and changes with what runs', () => {
    const parts = { mode: 'all', features: 'failpoints', runner: 'cargo' }
    const digest = planDigest(plan, parts)
    expect(
      planDigest({ ...plan, fast: { targets: [...plan.fast.targets].reverse() } }, parts)
    ).toBe(digest)
    expect(planDigest(plan, { ...parts, features: '' })).not.toBe(digest)
    expect(planDigest({ ...plan, chaos: plan.chaos.slice(1) }, parts)).not.toBe(digest)
    // Shards dealt by other times hold other tests: the merge must see another plan.
    const timed = planDigest(plan, { ...parts, timings: 'a1' })
    expect(timed).not.toBe(digest)
    expect(planDigest(plan, { ...parts, timings: 'b2' })).not.toBe(timed)
    expect(planDigest(plan, { ...parts, timings: undefined })).toBe(digest)
  })
})
