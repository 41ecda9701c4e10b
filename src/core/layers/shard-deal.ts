/**
 * Dealing units of work to N shards by their time, the same in every shard:
 * longest processing time first (Graham's LPT), each unit to the shard with
 * the least time so far (the lowest-numbered on a tie), in a fixed order (time,
 * then id). LPT's makespan is within 4/3 of the best possible; with many small
 * units beside a few long ones the shards end within a unit of each other.
 * A unit with no time of its own is estimated at the mean time per test of the
 * timed units of its kind (of all, when none of its kind is timed).
 */

/** One unit to deal: a fast target, a test, or a stress, chaos or group case. */
export interface DealUnit {
  id: string
  /** What its estimate is taken from: units of the same kind (e.g. `fast`, `chaos`). */
  kind: string
  /** Its tests (the estimate scales with them), at least 1. */
  size: number
  /** Seconds, when the earlier run timed it. */
  seconds?: number
}

/** Where every unit went, and what each shard is expected to take. */
export interface Dealing {
  /** Unit id → shard (1-based). */
  owner: Map<string, number>
  /** Expected seconds per shard, index 0 = shard 1. */
  loads: number[]
  /** Each unit's seconds, measured or estimated. */
  seconds: Map<string, number>
  /** Units whose time was estimated, and the per-test estimate per kind, seconds. */
  estimated: number
  rates: Map<string, number>
}

/**
 * Deals `units` to `shards` shards by time; undefined when no unit has a time
 * (there is nothing to estimate from: deal another way).
 */
export function dealByTime(units: readonly DealUnit[], shards: number): Dealing | undefined {
  const known = units.filter(u => u.seconds !== undefined)
  if (known.length === 0) return undefined
  const rates = perTestRates(known)
  const overall = rate(known)
  const timed = units.map(u => ({
    id: u.id,
    seconds: u.seconds ?? (rates.get(u.kind) ?? overall) * Math.max(1, u.size)
  }))
  timed.sort((a, b) => b.seconds - a.seconds || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
  const loads = new Array<number>(shards).fill(0)
  const owner = new Map<string, number>()
  for (const unit of timed) {
    const lightest = loads.indexOf(Math.min(...loads))
    owner.set(unit.id, lightest + 1)
    loads[lightest]! += unit.seconds
  }
  const seconds = new Map(timed.map(u => [u.id, u.seconds]))
  return { owner, loads, seconds, estimated: units.length - known.length, rates }
}

/** Seconds per test of each kind's timed units. */
function perTestRates(known: readonly DealUnit[]): Map<string, number> {
  const kinds = new Set(known.map(u => u.kind))
  return new Map([...kinds].map(kind => [kind, rate(known.filter(u => u.kind === kind))]))
}

function rate(units: readonly DealUnit[]): number {
  const seconds = units.reduce((sum, u) => sum + (u.seconds ?? 0), 0)
  const tests = units.reduce((sum, u) => sum + Math.max(1, u.size), 0)
  return tests === 0 ? 0 : seconds / tests
}
