/**
 * Turning a listing into a plan (discovery) and checking a plan against a
 * listing (the zero-test guard): a selection that lists no test is a failure,
 * never a silent pass of zero tests.
 */
import { caseId, type GroupCase, type PlanGroup, type TestPlan } from './plan.js'
import { planCaseId } from './plan-targets.js'
import type { TestListing } from '../cargo/listing.js'
import { shortName } from '../cargo/listing.js'
import { DOC_CASE_ID, isDocTestsTarget } from './doc-tests.js'
import type { LayerName, RunNote, SelectionProblem } from './results.js'
import type { TestMode } from './settings.js'

/** Layers a mode runs, in order. */
export function layersOf(mode: TestMode): LayerName[] {
  return mode === 'all' ? ['fast', 'stress', 'chaos'] : [mode]
}

/**
 * Non-ignored tests form `fast`; ignored `stress_*` form stress; ignored `chaos_*` form
 * chaos. A doc test marked `ignore` is an example not meant to run: never a case.
 */
export function discoverPlan(listing: TestListing): TestPlan {
  const order = (t: string): string => (t === 'lib' ? '0' : t.startsWith('bin:') ? '1' : '2') + t
  const targets = [...listing.keys()].sort((a, b) => order(a).localeCompare(order(b)))
  const plan: TestPlan = {
    source: { kind: 'discovered' },
    fast: { targets: [] },
    stress: [],
    chaos: [],
    groups: [],
    env: {}
  }
  for (const target of targets) {
    const tests = listing.get(target)!
    if (tests.all.size > tests.ignored.size) plan.fast.targets.push(target)
    if (isDocTestsTarget(target)) continue
    for (const test of [...tests.ignored].sort()) {
      const name = shortName(test)
      if (name.startsWith('stress_')) plan.stress.push({ target, test })
      else if (name.startsWith('chaos_')) plan.chaos.push({ target, test })
    }
  }
  return plan
}

/** Target selectors a plan's active layers need built with the main features. */
export function mainTargets(plan: TestPlan, layers: LayerName[]): string[] {
  const set = new Set<string>()
  if (layers.includes('fast')) plan.fast.targets.forEach(t => set.add(t))
  if (layers.includes('stress')) plan.stress.forEach(c => set.add(c.target))
  if (layers.includes('chaos')) plan.chaos.forEach(c => set.add(c.target))
  return [...set]
}

/** Groups whose layer is active. */
export function activeGroups(plan: TestPlan, layers: LayerName[]): PlanGroup[] {
  return plan.groups.filter(g => layers.includes(g.layer))
}

/** Problems with the main selections of the active layers. */
export function checkMainSelections(
  plan: TestPlan,
  layers: LayerName[],
  listing: TestListing,
  features: string
): SelectionProblem[] {
  const problems: SelectionProblem[] = []
  const feat = `features '${features || 'default'}'`
  // A discovered layer that found nothing is a warning (see discoveryNotes) while
  // another layer has tests; a run where nothing at all would run still fails.
  const tolerated = plan.source.kind === 'discovered' && layers.some(l => !layerIsEmpty(plan, l))
  if (layers.includes('fast')) {
    if (layerIsEmpty(plan, 'fast') && !tolerated) {
      problems.push({ id: 'fast', message: `The fast layer selects no test target (${feat}).` })
    }
    for (const target of plan.fast.targets) {
      const t = listing.get(target)
      if (!t || t.all.size - t.ignored.size === 0) {
        problems.push({
          // The doc tests run apart: their problem stops them alone.
          id: isDocTestsTarget(target) ? DOC_CASE_ID : 'fast',
          message: `Fast target '${target}' lists no test that is not #[ignore] (${feat}): feature gate drift, or a target without tests.`
        })
      }
    }
  }
  for (const layer of ['stress', 'chaos'] as const) {
    if (!layers.includes(layer)) continue
    const cases = plan[layer]
    if (layerIsEmpty(plan, layer) && !tolerated) {
      const how =
        plan.source.kind === 'discovered'
          ? `no #[ignore] test named ${layer}_* was found`
          : 'the plan has no case for it'
      problems.push({
        id: layer,
        message: `The ${layer} layer selects no test (${feat}): ${how}.`
      })
    }
    for (const c of cases) {
      if (!listing.get(c.target)?.ignored.has(c.test)) {
        problems.push({
          id: planCaseId(layer, c),
          message: `'${c.target}:${c.test}' lists 0 tests with --ignored --exact (${feat}): the test is missing, not #[ignore], or behind another feature.`
        })
      }
    }
  }
  return problems
}

/** Whether a layer of the plan selects nothing: no target or case, and no group. */
export function layerIsEmpty(plan: TestPlan, layer: LayerName): boolean {
  const own = layer === 'fast' ? plan.fast.targets.length : plan[layer].length
  return own === 0 && !plan.groups.some(g => g.layer === layer)
}

/**
 * What a discovered plan should tell the user: each active layer that found
 * nothing while others have tests (the run goes on without it), and the
 * `#[ignore]` tests discovery put in no layer, with the plan line that would
 * run them. A plan the user wrote gets no notes: its selections are guarded.
 */
export function discoveryNotes(
  plan: TestPlan,
  layers: LayerName[],
  listing: TestListing,
  features: string
): RunNote[] {
  if (plan.source.kind !== 'discovered') return []
  const notes: RunNote[] = []
  const feat = `features '${features || 'default'}'`
  if (layers.some(l => !layerIsEmpty(plan, l))) {
    for (const layer of layers.filter(l => layerIsEmpty(plan, l))) {
      const what =
        layer === 'fast'
          ? 'no test target with a test that is not #[ignore]'
          : `no #[ignore] test named ${layer}_*`
      notes.push({
        level: 'warning',
        message: `The ${layer} layer is empty: discovery found ${what} (${feat}); the other layers ran.`
      })
    }
  }
  const unplaced = unplacedIgnored(listing)
  if (unplaced.length > 0) {
    const named = unplaced.map(c => `${c.target}:${c.test}`)
    const shown =
      named.slice(0, 10).join(', ') + (named.length > 10 ? `, and ${named.length - 10} more` : '')
    notes.push({
      level: 'warning',
      message: `${named.length} #[ignore] ${named.length === 1 ? 'test is' : 'tests are'} in no layer (discovery takes only stress_* and chaos_* names): ${shown}. To run ${named.length === 1 ? 'it' : 'them'}, list ${named.length === 1 ? 'it' : 'them'} in a plan file, e.g. \`chaos: [${named[0]}]\`, or in the stress-cases / chaos-cases input.`
    })
  }
  return notes
}

/** `#[ignore]` tests whose names put them in neither the stress nor the chaos layer. */
function unplacedIgnored(listing: TestListing): { target: string; test: string }[] {
  const out: { target: string; test: string }[] = []
  for (const [target, tests] of listing) {
    // A doc test marked `ignore` is an example not meant to run, not a case to place.
    if (isDocTestsTarget(target)) continue
    for (const test of [...tests.ignored].sort()) {
      const name = shortName(test)
      if (!name.startsWith('stress_') && !name.startsWith('chaos_')) out.push({ target, test })
    }
  }
  return out
}

/** Problems with the cases of one feature-gated group. */
export function checkGroupSelections(group: PlanGroup, listing: TestListing): SelectionProblem[] {
  const problems: SelectionProblem[] = []
  for (const c of group.cases) {
    const n = matchCount(c, listing)
    const ok = c.exact ? n === 1 : n >= 1
    if (!ok) {
      const flags = `${c.mode === 'crash' ? '--ignored ' : ''}${c.exact ? '--exact' : '(filter)'}`
      problems.push({
        id: caseId(group.layer, c.test, group.name),
        message: `Group '${group.name}': '${c.target}:${c.test}' lists ${n} tests with ${flags.trim()} (features '${group.features}'); expected ${c.exact ? 'exactly one' : 'at least one'}: feature gate drift.`
      })
    }
  }
  return problems
}

function matchCount(c: GroupCase, listing: TestListing): number {
  const t = listing.get(c.target)
  if (!t) return 0
  const pool = c.mode === 'crash' ? [...t.ignored] : [...t.all].filter(n => !t.ignored.has(n))
  return pool.filter(n => (c.exact ? n === c.test : n.includes(c.test))).length
}
