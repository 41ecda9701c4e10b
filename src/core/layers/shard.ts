/**
 * Shards: a deterministic share of a run's tests, so a job matrix of N jobs
 * runs the whole plan once between them and a merge job can judge it as one.
 * Given an earlier run's times (`shard-timings`), both runners deal by time
 * (`shard-time.ts`). Without them, with the `cargo` runner the share is cut
 * here: fast targets go whole to the shard with the fewest tests so far
 * (largest first), and stress, chaos and group cases round-robin in id order;
 * with `nextest` the share is nextest's own `--partition`, per layer. Every
 * shard computes the same plan digest, which the merge checks.
 */
import { createHash } from 'node:crypto'
import { InputError } from '../shared/errors.js'
import type { TestListing } from '../cargo/listing.js'
import { splitTargetId } from '../cargo/target-ids.js'
import { caseId, type TestPlan } from './plan.js'
import type { LayerName } from './results.js'
import { planCaseId } from './plan-targets.js'

/** One shard of N (1-based), as `K/N` says. */
export interface Shard {
  index: number
  total: number
}

// A matrix wider than this is a mistake more often than a need.
const MAX_SHARDS = 256

/**
 * Parses `K/N` (1 ≤ K ≤ N ≤ 256).
 * @throws InputError naming `from` and the accepted form.
 */
export function parseShard(text: string, from: string): Shard {
  const match = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text)
  const index = Number(match?.[1])
  const total = Number(match?.[2])
  if (!match || index < 1 || total < 1 || index > total || total > MAX_SHARDS) {
    throw new InputError(
      `Invalid ${from}: '${text}'. Expected K/N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, e.g. '2/4' for the second of four shards (in a matrix: '\${{ matrix.shard }}/4').`
    )
  }
  return { index, total }
}

/** `K/N`. */
export function shardLabel(shard: Shard): string {
  return `${shard.index}/${shard.total}`
}

/**
 * A digest of what a run would execute before sharding (mode, features,
 * runner, every selection, and the digest of the times it was dealt by, if
 * any): the same in every shard of one matrix, so a merge can tell that its
 * shards ran the same plan and dealt it the same way.
 */
export function planDigest(
  plan: TestPlan,
  parts: { mode: string; features: string; runner: string; timings?: string | undefined }
): string {
  const canonical = JSON.stringify({
    ...parts,
    fast: [...plan.fast.targets].sort(),
    stress: plan.stress.map(c => `${c.target}:${c.test}`).sort(),
    chaos: plan.chaos.map(c => `${c.target}:${c.test}`).sort(),
    groups: plan.groups.map(g => ({
      name: g.name,
      features: g.features,
      layer: g.layer,
      cases: g.cases.map(c => `${c.target}:${c.test}:${c.mode}:${c.exact}`).sort()
    }))
  })
  return createHash('sha256').update(canonical).digest('hex').slice(0, 16)
}

/**
 * The part of `plan` that `shard` runs with the cargo runner. Fast targets go
 * whole, largest first, to the shard with the fewest tests (`listing` counts
 * them); then every stress, chaos and group case, in layer then id order, to
 * the shard with the fewest commands so far, so no shard sits idle while
 * another holds two of a layer's cases (3 fast targets, 3 stress and 3 chaos
 * cases over 4 shards: 2 or 3 commands each).
 */
export function shardPlan(plan: TestPlan, listing: TestListing, shard: Shard): TestPlan {
  const fast = fastOwners(plan.fast.targets, listing, shard.total)
  // Commands per shard: one per fast target, one per case.
  const commands = new Array<number>(shard.total).fill(0)
  for (const owner of fast.values()) commands[owner - 1]! += 1
  const deal = <T>(items: readonly T[], id: (item: T) => string): T[] =>
    [...items]
      .sort((a, b) => id(a).localeCompare(id(b)))
      .filter(() => {
        const lightest = commands.indexOf(Math.min(...commands))
        commands[lightest]! += 1
        return lightest === shard.index - 1
      })
  return {
    ...plan,
    fast: { targets: plan.fast.targets.filter(t => fast.get(t) === shard.index) },
    stress: deal(plan.stress, c => planCaseId('stress', c)),
    chaos: deal(plan.chaos, c => planCaseId('chaos', c)),
    groups: plan.groups
      .map(g => ({ ...g, cases: deal(g.cases, c => caseId(g.layer, c.test, g.name)) }))
      .filter(g => g.cases.length > 0)
  }
}

/**
 * The shard (1-based) of each fast target: largest first, to the shard with
 * the fewest tests. A workspace's targets go by package (`alpha/lib` with
 * `alpha/basic`): one cargo command over targets of two packages runs their
 * cross product, so a package's targets must stay in one shard.
 */
function fastOwners(
  targets: readonly string[],
  listing: TestListing,
  total: number
): Map<string, number> {
  const size = (t: string): number => {
    const tests = listing.get(t)
    return tests === undefined ? 0 : tests.all.size - tests.ignored.size
  }
  const groups = new Map<string, string[]>()
  for (const t of targets) {
    const key = splitTargetId(t).package ?? t
    groups.set(key, [...(groups.get(key) ?? []), t])
  }
  const weight = (key: string): number => groups.get(key)!.reduce((n, t) => n + size(t), 0)
  const load = new Array<number>(total).fill(0)
  const owner = new Map<string, number>()
  const bySize = [...groups.keys()].sort((a, b) => weight(b) - weight(a) || a.localeCompare(b))
  for (const key of bySize) {
    const lightest = load.indexOf(Math.min(...load))
    for (const t of groups.get(key)!) owner.set(t, lightest + 1)
    load[lightest] = (load[lightest] ?? 0) + weight(key)
  }
  return owner
}

/**
 * The ids of the cases a (dealt) plan runs over `layers`, in run order: `fast`
 * when it has fast targets, then each stress or chaos case and each case of a
 * feature-gated group of the layer (`chaos:<group>:<test>`), as the layers name them.
 */
export function plannedCases(plan: TestPlan, layers: readonly LayerName[]): string[] {
  return layers.flatMap(layer => [
    ...(layer === 'fast' && plan.fast.targets.length > 0 ? ['fast'] : []),
    ...(layer === 'fast' ? [] : plan[layer].map(c => planCaseId(layer, c))),
    ...plan.groups
      .filter(g => g.layer === layer)
      .flatMap(g => g.cases.map(c => caseId(layer, c.test, g.name)))
  ])
}
