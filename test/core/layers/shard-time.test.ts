/**
 * Shards dealt by an earlier run's times: on a plan shaped like lsm-tree's (one
 * lib of 238 quick tests, 100 slower integration targets) two shards by count
 * are 6× apart and by time within 1.3×, for both runners; every unit lands in
 * exactly one shard, the same way in every shard; units the file does not time
 * are estimated and said; the timings come from a results.json or a JUnit file.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import type { TestListing } from '../../../src/core/cargo/listing.js'
import { InputError } from '../../../src/core/shared/errors.js'
import type { TestPlan } from '../../../src/core/layers/plan.js'
import { dealByTime } from '../../../src/core/layers/shard-deal.js'
import { shareByTime } from '../../../src/core/layers/shard-time.js'
import {
  readTimings,
  testKey,
  testTimesFor,
  type Timings
} from '../../../src/core/layers/shard-timings.js'
import { shardPlan } from '../../../src/core/layers/shard.js'
import { attempt, command, layer, run, test, testCase } from './render/fixtures.js'

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i)
const pad = (i: number): string => String(i).padStart(3, '0')

// lsm-tree's shape: 238 quick unit tests in the lib, 100 integration files.
const integration = range(100).map(i => `it_${pad(i)}`)
const listing: TestListing = new Map([
  [
    'lib',
    {
      all: new Set(range(238).map(i => `tests::unit_${pad(i)}`)),
      ignored: new Set<string>(),
      binaryId: 'lsm'
    }
  ],
  ...integration.map(
    (t): [string, { all: Set<string>; ignored: Set<string>; binaryId: string }] => [
      t,
      { all: new Set(['scenario']), ignored: new Set<string>(), binaryId: `lsm::${t}` }
    ]
  )
])
const plan: TestPlan = {
  source: { kind: 'discovered' },
  fast: { targets: ['lib', ...integration] },
  stress: [],
  chaos: [],
  groups: [],
  env: {}
}

/** What the run of the issue measured: the lib in 17 s, each integration file about 1.16 s. */
function lsmTimings(): Timings {
  const targets = new Map<string, number>([['lib', 17]])
  integration.forEach((t, i) => targets.set(t, 0.9 + (i % 7) * 0.09))
  return {
    file: 'results.json',
    kind: 'results.json',
    tests: [],
    targets,
    cases: new Map(),
    digest: 'x'
  }
}

const ratio = (xs: number[]): number => Math.max(...xs) / Math.min(...xs)

describe('dealing by time', () => {
  it('by count, two shards of lsm-tree are far apart; by time, within 1.3×', () => {
    const timings = lsmTimings()
    const seconds = (p: TestPlan): number =>
      p.fast.targets.reduce((sum, t) => sum + (timings.targets.get(t) ?? 0), 0)
    const byCount = [1, 2].map(index => seconds(shardPlan(plan, listing, { index, total: 2 })))
    expect(ratio(byCount)).toBeGreaterThan(5)
    const byTime = [1, 2].map(index =>
      shareByTime(plan, listing, { index, total: 2 }, timings, 'cargo', 8)!
    )
    expect(ratio(byTime.map(s => seconds(s.plan)))).toBeLessThan(1.3)
    // Every shard computes the same expectation, and it is what it runs.
    expect(byTime[0]!.expected).toEqual(byTime[1]!.expected)
    expect(byTime[0]!.expected[0]).toBeCloseTo(seconds(byTime[0]!.plan), 6)
    const all = byTime.flatMap(s => s.plan.fast.targets).sort()
    expect(all).toEqual([...plan.fast.targets].sort())
  })

  it('under nextest each test is a unit: the shards split even the lib, and hold every test once', () => {
    const timings = lsmTimings()
    timings.tests = range(238).map(i => ({
      target: 'lsm',
      name: `tests::unit_${pad(i)}`,
      seconds: 0.5
    }))
    const shares = [1, 2, 3].map(index =>
      shareByTime(plan, listing, { index, total: 3 }, timings, 'nextest', 2)!
    )
    const tests = shares.flatMap(s => [...s.fastTests!])
    expect(tests.length).toBe(338)
    expect(new Set(tests).size).toBe(338)
    expect(shares.every(s => [...s.fastTests!].some(k => k.startsWith('lib\n')))).toBe(true)
    expect(ratio(shares[0]!.expected)).toBeLessThan(1.3)
    // The lib's tests were timed by their nextest binary id (the crate's name).
    expect(shares[0]!.notes).toEqual([])
  })

  it('under nextest the doc tests go whole to one shard, which alone runs them (cargo does)', () => {
    const timings = lsmTimings()
    timings.targets.set('doc:lib', 6)
    const docListing: TestListing = new Map([
      ...listing,
      [
        'doc:lib',
        {
          all: new Set(['src/lib.rs - f (line 3)', 'src/lib.rs - g (line 9)']),
          ignored: new Set<string>()
        }
      ]
    ])
    const docPlan: TestPlan = { ...plan, fast: { targets: [...plan.fast.targets, 'doc:lib'] } }
    const shares = [1, 2].map(index =>
      shareByTime(docPlan, docListing, { index, total: 2 }, timings, 'nextest', 2)!
    )
    const holders = shares.filter(s => s.plan.fast.targets.includes('doc:lib'))
    expect(holders.length).toBe(1)
    // Never among the exact tests handed to nextest, which cannot run them.
    expect(shares.flatMap(s => [...s.fastTests!]).some(k => k.startsWith('doc:lib'))).toBe(false)
  })

  it('estimates the units the file does not time, and says so', () => {
    const dealt = dealByTime(
      [
        { id: 'a', kind: 'fast', size: 10, seconds: 20 },
        { id: 'b', kind: 'fast', size: 5 },
        { id: 'c', kind: 'chaos', size: 1 }
      ],
      2
    )!
    // 2 s per test of the kind: b is 10 s; c has no kind of its own timed: the overall 2 s.
    expect(dealt.seconds).toEqual(
      new Map([
        ['a', 20],
        ['b', 10],
        ['c', 2]
      ])
    )
    expect(dealt.owner).toEqual(
      new Map([
        ['a', 1],
        ['b', 2],
        ['c', 2]
      ])
    )
    expect(dealt.estimated).toBe(2)
    const timings = lsmTimings()
    timings.targets.delete('it_000')
    const share = shareByTime(plan, listing, { index: 1, total: 2 }, timings, 'cargo', 8)!
    expect(share.notes[0]?.message).toMatch(
      /^1 of 101 units of this plan have no time in results\.json/
    )
    expect(dealByTime([{ id: 'a', kind: 'fast', size: 1 }], 2)).toBeUndefined()
  })
})

describe('timings files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mace-timings-'))

  it('a results.json gives each timed test, each target and each case its time', () => {
    const fast = testCase('fast', [
      attempt(1, [test('put', { durationMs: 1500 }), test('get')], {
        targetTimes: [{ target: 'basic', durationMs: 2500 }]
      })
    ])
    const stress = testCase('stress:stress_a', [
      attempt(1, [test('stress_a', { target: 'stress' })], {
        command: command({ durationMs: 9000 })
      })
    ])
    const file = join(dir, 'results.json')
    writeFileSync(file, JSON.stringify(run([layer('fast', [fast]), layer('stress', [stress])])))
    const timings = readTimings(file, "input 'shard-timings'")
    expect(timings.tests).toEqual([{ target: 'basic', name: 'put', seconds: 1.5 }])
    expect(timings.targets).toEqual(new Map([['basic', 2.5]]))
    expect(timings.cases.get('stress:stress_a')).toBe(9)
  })

  it("nextest's own JUnit gives each test its time, matched to targets by binary id", () => {
    const sample = new URL('../../samples/nextest/junit-retries.xml', import.meta.url)
    const file = join(dir, 'junit.xml')
    writeFileSync(file, readFileSync(sample))
    const timings = readTimings(file, "input 'shard-timings'")
    const basic: TestListing = new Map([
      [
        'basic',
        { all: new Set(['basic_pass_one', 'basic_fail_assert']), ignored: new Set<string>() }
      ]
    ])
    const times = testTimesFor(timings, basic)
    expect(times.get(testKey('basic', 'basic_pass_one'))).toBe(0.03)
    expect(times.get(testKey('basic', 'basic_fail_assert'))).toBe(0.151)
  })

  it('a missing, foreign or empty file is an input error naming the input', () => {
    const garbage = join(dir, 'notes.txt')
    writeFileSync(garbage, 'timings: none')
    const empty = join(dir, 'empty.xml')
    writeFileSync(empty, '<testsuites name="nextest-run"></testsuites>')
    for (const [file, said] of [
      [join(dir, 'nope.json'), 'cannot read'],
      [garbage, 'is neither JSON nor XML'],
      [empty, "holds no test's time"]
    ] as const) {
      expect(() => readTimings(file, "input 'shard-timings'")).toThrow(InputError)
      expect(() => readTimings(file, "input 'shard-timings'")).toThrow(
        new RegExp(`^Invalid input 'shard-timings': .*${said}`)
      )
    }
  })
})
