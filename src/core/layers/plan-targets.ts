/**
 * A plan's targets as the run's listing names them. In a run over several
 * packages the listing names targets by package (`alpha/lib`); a plan may
 * still say `lib` or `basic`, which then means that target in every package
 * that has it, as `cargo test --lib` in a workspace does: `fast-targets: lib`
 * is each member's library, and a case `basic:put` is `put` in each package
 * whose `basic` lists it. Two cases of one layer with one test name (in two
 * packages) get ids that name their target, so each is counted and blamed
 * apart.
 */
import type { TestListing } from '../cargo/listing.js'
import type { CargoPackage } from '../cargo/metadata.js'
import { splitTargetId } from '../cargo/target-ids.js'
import { InputError } from '../shared/errors.js'
import { caseId, type PlanCase, type PlanGroup, type TestPlan } from './plan.js'

/** The plan with each target the listing does not name resolved to the listed targets it means. */
export function resolvePlanTargets(plan: TestPlan, listing: TestListing): TestPlan {
  return {
    ...plan,
    fast: { targets: unique(plan.fast.targets.flatMap(t => resolveTarget(t, listing))) },
    stress: withIds(
      'stress',
      plan.stress.flatMap(c => resolveCase(c, listing))
    ),
    chaos: withIds(
      'chaos',
      plan.chaos.flatMap(c => resolveCase(c, listing))
    )
  }
}

/** A feature-gated group's cases resolved against the group's own listing. */
export function resolveGroupTargets(group: PlanGroup, listing: TestListing): PlanGroup {
  return { ...group, cases: group.cases.flatMap(c => resolveCase(c, listing)) }
}

/** The id of a plan case in the failures list: `stress:<test>`, or its own when it has one. */
export function planCaseId(layer: 'stress' | 'chaos', c: PlanCase): string {
  return c.id ?? caseId(layer, c.test)
}

/**
 * The targets one cargo command over `targets` runs: cargo applies every
 * selector to every package named (`-p a -p b --lib --test basic`), so this
 * is their cross product, as far as the listing has it.
 */
export function commandTargets(targets: string[], listing: TestListing): string[] {
  const parts = targets.map(splitTargetId)
  const packages = new Set(parts.map(p => p.package))
  const selectors = new Set(parts.map(p => p.selector))
  if (packages.has(undefined)) return targets
  const crossed = [...listing.keys()].filter(k => {
    const p = splitTargetId(k)
    return packages.has(p.package) && selectors.has(p.selector)
  })
  return unique([...targets, ...crossed.filter(k => !targets.includes(k))])
}

/** `target` as listed, or every listed target of another package with its selector. */
function resolveTarget(target: string, listing: TestListing): string[] {
  if (listing.has(target) || splitTargetId(target).package !== undefined) return [target]
  const found = [...listing.keys()].filter(k => splitTargetId(k).selector === target).sort()
  return found.length > 0 ? found : [target]
}

/** `c` in each listed target its target means that lists its test; `c` itself when none does. */
function resolveCase<C extends PlanCase>(c: C, listing: TestListing): C[] {
  const targets = resolveTarget(c.target, listing)
  if (targets.length === 1 && targets[0] === c.target) return [c]
  const holding = targets.filter(t =>
    [...(listing.get(t)?.all ?? [])].some(n => n === c.test || n.includes(c.test))
  )
  return (holding.length > 0 ? holding : targets).map(target => ({ ...c, target }))
}

/** Cases sharing a test name in one layer get ids naming their targets: `stress:alpha/stress:stress_x`. */
function withIds(layer: 'stress' | 'chaos', cases: PlanCase[]): PlanCase[] {
  const count = new Map<string, number>()
  for (const c of cases) count.set(c.test, (count.get(c.test) ?? 0) + 1)
  return cases.map(c =>
    (count.get(c.test) ?? 0) > 1 ? { ...c, id: `${layer}:${c.target}:${c.test}` } : c
  )
}

function unique(items: string[]): string[] {
  return [...new Set(items)]
}

/**
 * Checks that every target a plan names exists in the packages the run
 * covers (cargo metadata's targets, whatever the features), and drops the
 * package from `PKG/target` when the run covers that one package only.
 * @throws InputError listing every target the plan names that is not there,
 * with where it was named and the test targets there are, before anything is
 * built (a missing target would otherwise fail the build as `build`).
 */
export function checkPlanTargets(
  plan: TestPlan,
  packages: readonly CargoPackage[],
  qualified: boolean
): TestPlan {
  const exists = (target: string): boolean => {
    const { package: pkg, selector } = splitTargetId(target)
    return packages.some(
      p => (pkg === undefined || p.name === pkg) && p.testTargets.includes(selector)
    )
  }
  const named: { target: string; what: string }[] = [
    ...plan.fast.targets.map(target => ({ target, what: `fast target '${target}'` })),
    ...(['stress', 'chaos'] as const).flatMap(layer =>
      plan[layer].map(c => ({ target: c.target, what: `${layer} case '${c.target}:${c.test}'` }))
    ),
    ...plan.groups.flatMap(g =>
      g.cases.map(c => ({
        target: c.target,
        what: `group '${g.name}' case '${c.target}:${c.test}'`
      }))
    )
  ]
  const missing = named.filter(n => !exists(n.target))
  if (missing.length > 0) {
    const known = packages.flatMap(p => p.testTargets.map(t => (qualified ? `${p.name}/${t}` : t)))
    throw new InputError(
      `Invalid ${planOrigin(plan)}: it names ${missing.length === 1 ? 'a target' : `${missing.length} targets`} the crate does not have: ${missing.map(m => m.what).join(', ')}. Expected test targets of ${packages.map(p => p.name).join(', ')}: ${known.join(', ') || 'none'}.`
    )
  }
  return qualified ? plan : unqualified(plan)
}

/** Where the plan came from, in the words of an error. */
function planOrigin(plan: TestPlan): string {
  return plan.source.kind === 'file'
    ? `plan file ${plan.source.path}`
    : 'plan (inputs fast-targets, stress-cases, chaos-cases)'
}

/** The plan with `PKG/` dropped from every target: a run over one package names targets without it. */
function unqualified(plan: TestPlan): TestPlan {
  const drop = <C extends { target: string }>(c: C): C => ({
    ...c,
    target: splitTargetId(c.target).selector
  })
  return {
    ...plan,
    fast: { targets: plan.fast.targets.map(t => splitTargetId(t).selector) },
    stress: plan.stress.map(drop),
    chaos: plan.chaos.map(drop),
    groups: plan.groups.map(g => ({ ...g, cases: g.cases.map(drop) }))
  }
}
