/**
 * The `cargo nextest run` invocations of one layer, in the order the cargo
 * runner runs their cases: the fast targets (all their tests, or a shard's
 * exact share of them; never the doc tests, which nextest cannot run), the
 * stress or chaos cases, each feature-gated group's cases. A case the guard
 * blocked is left out.
 */
import type { TestListing } from '../cargo/listing.js'
import type { ExactTest } from '../nextest/command.js'
import { splitDocTargets } from './doc-tests.js'
import type { LayerContext } from './layer-run.js'
import type { Invocation, SelectedCase } from './nextest-cases.js'
import { caseId } from './plan.js'
import { planCaseId } from './plan-targets.js'
import type { LayerName } from './results.js'
import { testKey } from './shard-timings.js'

/** The layer's selections, in the order the cargo runner runs them. */
export function invocations(
  ctx: LayerContext,
  layer: LayerName,
  fastTests: Set<string> | undefined
): Invocation[] {
  const { s, plan, listing, blocked } = ctx
  const list: Invocation[] = []
  // Dealt by time, the shard's exact tests; none selects no test (never every test).
  const exactTests = fastTests ? exactTestsOf(plan.fast.targets, listing, fastTests) : undefined
  const fastTargets = splitDocTargets(plan.fast.targets).other
  if (layer === 'fast' && fastTargets.length > 0 && !blocked.has('fast')) {
    if (exactTests?.length !== 0) {
      list.push({
        label: 'fast',
        features: ctx.targetIds.featuresFor(fastTargets, s.features),
        targets: fastTargets,
        runIgnored: 'default',
        ...(exactTests ? { exactTests } : {})
      })
    }
  }
  if (layer !== 'fast') {
    const cases = selected(
      plan[layer].map(c => ({ ...c, id: planCaseId(layer, c), exact: true })),
      listing,
      blocked
    )
    if (cases.length > 0) list.push(caseInvocation(ctx, layer, s.features, cases))
  }
  for (const group of plan.groups.filter(g => g.layer === layer)) {
    const groupListing = ctx.groupListings.get(group.name)
    if (groupListing === undefined) continue
    const cases = selected(
      group.cases.map(c => ({
        id: caseId(layer, c.test, group.name),
        group: group.name,
        target: c.target,
        test: c.test,
        exact: c.exact
      })),
      groupListing,
      blocked
    )
    if (cases.length > 0) {
      list.push(caseInvocation(ctx, `${layer}-${group.name}`, group.features, cases))
    }
  }
  return list
}

/** This shard's tests of the fast targets, by binary id, in listing order. */
function exactTestsOf(targets: string[], listing: TestListing, mine: Set<string>): ExactTest[] {
  return targets.flatMap(target => {
    const tests = listing.get(target)
    if (tests?.binaryId === undefined) return []
    const binaryId = tests.binaryId
    return [...tests.all]
      .filter(name => mine.has(testKey(target, name)))
      .map(test => ({ binaryId, test, exact: true }))
  })
}

/** The cases that may run (not blocked by the guard), with their binary ids from the listing. */
function selected(
  cases: Omit<SelectedCase, 'binaryId'>[],
  listing: TestListing,
  blocked: Set<string>
): SelectedCase[] {
  return cases.flatMap(c => {
    const binaryId = listing.get(c.target)?.binaryId
    return binaryId === undefined || blocked.has(c.id) ? [] : [{ ...c, binaryId }]
  })
}

function caseInvocation(
  ctx: LayerContext,
  label: string,
  features: string,
  cases: SelectedCase[]
): Invocation {
  const targets = [...new Set(cases.map(c => c.target))]
  return {
    label,
    features: ctx.targetIds.featuresFor(targets, features),
    targets,
    runIgnored: 'all',
    cases
  }
}
