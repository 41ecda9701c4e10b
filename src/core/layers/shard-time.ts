/**
 * A shard's part of the plan dealt by an earlier run's times (`shard-timings`),
 * for either runner. The units: with `cargo`, what one command runs (a fast
 * target whole, as `cargo test --test T` runs it; each stress, chaos and group
 * case); with `nextest`, which runs one process per test, each test of the
 * fast targets and each case. Every shard deals the whole plan the same way
 * (`shard-deal.ts`) and keeps its own part.
 */
import type { TestListing } from '../cargo/listing.js'
import { caseId, type TestPlan } from './plan.js'
import { splitDocTargets } from './doc-tests.js'
import type { RunNote } from './results.js'
import { dealByTime, type DealUnit, type Dealing } from './shard-deal.js'
import { testKey, testTimesFor, type Timings } from './shard-timings.js'
import type { Shard } from './shard.js'

/** A shard's part dealt by time. */
export interface TimedShare {
  plan: TestPlan
  /** Runner nextest: the fast targets' tests this shard runs, by `testKey`. */
  fastTests?: Set<string>
  /** Expected seconds of every shard (index 0 = shard 1), from the earlier run's times. */
  expected: number[]
  notes: RunNote[]
}

/** Seconds of a whole run's parts, from the timings, matched to this run's listing. */
interface Known {
  tests: Map<string, number>
  timings: Timings
}

/**
 * This shard's part of `plan`, dealt by the times in `timings`; undefined when
 * the file times none of the plan (then the plan is dealt by count).
 * `threads`: tests run at once in one command (they share a target's or a
 * nextest run's time).
 */
export function shareByTime(
  plan: TestPlan,
  listing: TestListing,
  shard: Shard,
  timings: Timings,
  runner: 'cargo' | 'nextest',
  threads: number
): TimedShare | undefined {
  const known: Known = { tests: testTimesFor(timings, listing), timings }
  // The doc tests are one cargo command under either runner: dealt whole, as a target.
  const { doc, other } = splitDocTargets(plan.fast.targets)
  const fast =
    runner === 'cargo'
      ? targetUnits(plan.fast.targets, listing, known, threads)
      : [...testUnits(other, listing, known, threads), ...targetUnits(doc, listing, known, threads)]
  const units = [...fast, ...caseUnits(plan, known)]
  const dealing = dealByTime(units, shard.total)
  if (dealing === undefined) return undefined
  const mine = (id: string): boolean => dealing.owner.get(id) === shard.index
  const share: TimedShare = {
    plan: {
      ...plan,
      fast: {
        targets: plan.fast.targets.filter(t => fast.some(u => u.target === t && mine(u.id)))
      },
      stress: plan.stress.filter(c => mine(caseId('stress', c.test))),
      chaos: plan.chaos.filter(c => mine(caseId('chaos', c.test))),
      groups: plan.groups
        .map(g => ({ ...g, cases: g.cases.filter(c => mine(caseId(g.layer, c.test, g.name))) }))
        .filter(g => g.cases.length > 0)
    },
    expected: expectedTimes(dealing, units, runner, threads, shard.total),
    notes: estimateNotes(dealing, units.length, timings)
  }
  share.notes.push(...balanceNotes(share.expected, dealing))
  if (runner === 'nextest') {
    share.fastTests = new Set(
      fast.filter(u => mine(u.id) && u.id.startsWith('test:')).map(u => u.key)
    )
  }
  return share
}

type FastUnit = DealUnit & { target: string; key: string }

/** cargo: each fast target whole, timed by libtest's summary, else by its tests' times. */
function targetUnits(
  targets: readonly string[],
  listing: TestListing,
  known: Known,
  threads: number
): FastUnit[] {
  return targets.map(target => {
    const tests = runnable(listing, target)
    const times = tests.map(name => known.tests.get(testKey(target, name)))
    const own = known.timings.targets.get(target)
    // Tests in parallel: at least the longest one, at least their sum spread over the threads.
    const fromTests =
      times.every(t => t !== undefined) && times.length > 0
        ? Math.max(...times, times.reduce((a, b) => a + b, 0) / threads)
        : undefined
    const seconds = own ?? fromTests
    return {
      id: `target:${target}`,
      kind: 'fast',
      size: tests.length,
      target,
      key: target,
      ...(seconds !== undefined ? { seconds } : {})
    }
  })
}

/** nextest: each test of the fast targets, timed by its own time, else its share of its target's. */
function testUnits(
  targets: readonly string[],
  listing: TestListing,
  known: Known,
  threads: number
): FastUnit[] {
  return targets.flatMap(target => {
    const tests = runnable(listing, target)
    const targetTime = known.timings.targets.get(target)
    // libtest ran the target's tests `threads` at a time: each took about this.
    const share =
      targetTime === undefined
        ? undefined
        : (targetTime * Math.min(threads, tests.length)) / tests.length
    return tests.map(name => {
      const key = testKey(target, name)
      const seconds = known.tests.get(key) ?? share
      return {
        id: `test:${key}`,
        kind: 'fast',
        size: 1,
        target,
        key,
        ...(seconds !== undefined ? { seconds } : {})
      }
    })
  })
}

/** Each stress, chaos and group case, timed by its commands, else by its test's time. */
function caseUnits(plan: TestPlan, known: Known): DealUnit[] {
  const unit = (
    id: string,
    kind: string,
    target: string,
    test: string,
    exact: boolean
  ): DealUnit => {
    const seconds =
      known.timings.cases.get(id) ?? (exact ? known.tests.get(testKey(target, test)) : undefined)
    return { id, kind, size: 1, ...(seconds !== undefined ? { seconds } : {}) }
  }
  return [
    ...plan.stress.map(c => unit(caseId('stress', c.test), 'stress', c.target, c.test, true)),
    ...plan.chaos.map(c => unit(caseId('chaos', c.test), 'chaos', c.target, c.test, true)),
    ...plan.groups.flatMap(g =>
      g.cases.map(c =>
        unit(caseId(g.layer, c.test, g.name), `group:${g.layer}`, c.target, c.test, c.exact)
      )
    )
  ]
}

/** The non-ignored tests of a target, in name order. */
function runnable(listing: TestListing, target: string): string[] {
  const tests = listing.get(target)
  return tests === undefined ? [] : [...tests.all].filter(t => !tests.ignored.has(t)).sort()
}

/**
 * Each shard's expected wall time: with cargo its commands run one after
 * another (the sum); with nextest its tests run `threads` at a time (the sum
 * over the threads, at least its longest unit).
 */
function expectedTimes(
  dealing: Dealing,
  units: readonly DealUnit[],
  runner: 'cargo' | 'nextest',
  threads: number,
  total: number
): number[] {
  if (runner === 'cargo') return dealing.loads
  return Array.from({ length: total }, (_, i) => {
    const mine = units.filter(u => dealing.owner.get(u.id) === i + 1)
    const longest = Math.max(0, ...mine.map(u => dealing.seconds.get(u.id) ?? 0))
    return Math.max(longest, dealing.loads[i]! / threads)
  })
}

function estimateNotes(dealing: Dealing, count: number, timings: Timings): RunNote[] {
  if (dealing.estimated === 0) return []
  const rates = [...dealing.rates].map(([kind, r]) => `${kind} ${r.toFixed(2)} s`).join(', ')
  return [
    {
      level: 'notice',
      message: `${dealing.estimated} of ${count} units of this plan have no time in ${timings.file} (new, or not run there): each was estimated at the mean time per test of its kind (${rates}).`
    }
  ]
}

// The balance the dealing aims for: the slowest shard within 1.3× of the fastest.
const BALANCED = 1.3

/** A warning when the expected times are further apart than that, naming the longest unit. */
function balanceNotes(expected: readonly number[], dealing: Dealing): RunNote[] {
  const low = Math.min(...expected)
  const high = Math.max(...expected)
  if (low > 0 && high / low <= BALANCED) return []
  const [id, longest] = [...dealing.seconds].sort((a, b) => b[1] - a[1])[0] ?? ['', 0]
  return [
    {
      level: 'warning',
      message: `The shards are expected to take from ${low.toFixed(1)} s to ${high.toFixed(1)} s, further apart than ${BALANCED}×; the longest unit dealt whole (${id.replace('\n', '::')}) takes ${longest.toFixed(1)} s. Fewer shards, or splitting that unit, would balance them.`
    }
  ]
}
