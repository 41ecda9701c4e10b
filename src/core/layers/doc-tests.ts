/**
 * The libraries' doc tests in the fast layer. cargo-nextest cannot run them
 * (nextest-rs/nextest#16), and cargo cannot mix `--doc` with another target
 * selection, so under either runner they are one case of their own, `fast:doc`:
 * `cargo test --doc` over every library of the run that has doc tests (target
 * `doc:lib`, in a workspace `PKG/doc:lib`), listed with `-- --list` like any
 * target, so the zero-test guard, shards and counts treat them as one.
 */
import type { TestListing } from '../cargo/listing.js'
import { listTests } from '../cargo/listing.js'
import type { CargoPackage } from '../cargo/metadata.js'
import type { TargetIds } from '../cargo/target-ids.js'
import { DOC_TESTS_TARGET, isDocTestsTarget } from '../libtest/list.js'
import { featureArgs } from '../cargo/build.js'
import type { CaseSpec } from './case-runner.js'
import { listedSelection } from './case-runner.js'
import type { CommandBase } from './layer-commands.js'
import { targetsArgs, type TestPlan } from './plan.js'
import type { LayerName, SelectionProblem } from './results.js'
import { errorMessage } from '../shared/errors.js'
import type { TestRunRecord } from './run-record.js'
import type { TestSettings } from './settings.js'

/** The id of the doc tests' case in the failures list and every report. */
export const DOC_CASE_ID = 'fast:doc'

export { DOC_TESTS_TARGET, isDocTestsTarget }

/**
 * The doc-test targets a run lists: each package's `doc:lib` whose library has doc
 * tests, when the settings run them and the fast layer runs; those a given plan
 * names, whatever the setting.
 */
export function docTargetsToList(
  s: Pick<TestSettings, 'docTests'>,
  layers: readonly LayerName[],
  packages: readonly CargoPackage[] | undefined,
  targetIds: TargetIds,
  planned: readonly string[] = []
): string[] {
  if (!layers.includes('fast')) return []
  const named = planned.filter(isDocTestsTarget)
  if (!s.docTests) return named
  // Without cargo metadata nothing says there is a library (and the build fails next).
  const found = (packages ?? [])
    .filter(p => p.testTargets.includes(DOC_TESTS_TARGET))
    .map(p => targetIds.id(p.name, DOC_TESTS_TARGET))
  return [...new Set([...found, ...named])]
}

/** What a doc-test listing needs from the run. */
export interface DocListContext {
  s: TestSettings
  env: NodeJS.ProcessEnv
  record: TestRunRecord
  targetIds: TargetIds
  heartbeat: (line: string) => void
}

/**
 * `cargo test --doc -- --list` (and `--ignored`) of `targets`: their doc tests, by target.
 * @throws Error with cargo's own words when listing fails (a library that does not build).
 */
export function listDocTests(
  ctx: DocListContext,
  features: string,
  targets: string[]
): Promise<TestListing> {
  const { s } = ctx
  return listTests({
    cargoArgs: s.cargoArgs,
    cwd: s.workingDirectory,
    env: ctx.env,
    features: ctx.targetIds.featuresFor(targets, features),
    targetArgs: targetsArgs(targets),
    timeoutSeconds: s.timeouts.build,
    logPrefix: ctx.record.nextLogPath('doc'),
    heartbeat: ctx.heartbeat,
    targetOf: (name, kind) => ctx.targetIds.ofExecutable(name, kind)
  })
}

/**
 * Lists the doc tests of `targets` into `listing`, marked as the run's listing step;
 * a listing that fails is the selection problem of the `fast:doc` case (the rest runs).
 */
export async function addDocListing(
  ctx: DocListContext,
  listing: TestListing,
  features: string,
  targets: string[]
): Promise<SelectionProblem | undefined> {
  ctx.record.begin({ step: 'listing', features })
  try {
    for (const [target, tests] of await listDocTests(ctx, features, targets)) {
      listing.set(target, tests)
    }
    return undefined
  } catch (e) {
    return { id: DOC_CASE_ID, message: errorMessage(e) }
  } finally {
    ctx.record.end()
  }
}

/**
 * The plan with the listed doc-test targets that have a test to run added to its
 * fast targets (when the settings run doc tests); a plan that names them keeps them.
 */
export function withDocTests(
  plan: TestPlan,
  listing: TestListing,
  s: Pick<TestSettings, 'docTests'>
): TestPlan {
  if (!s.docTests) return plan
  const found = [...listing.keys()].filter(t => {
    const tests = listing.get(t)!
    return isDocTestsTarget(t) && tests.all.size > tests.ignored.size
  })
  const added = found.filter(t => !plan.fast.targets.includes(t)).sort()
  return added.length === 0
    ? plan
    : { ...plan, fast: { targets: [...plan.fast.targets, ...added] } }
}

/** Fast targets split into the doc tests and the rest (which one cargo or nextest command runs). */
export function splitDocTargets(targets: readonly string[]): { doc: string[]; other: string[] } {
  return {
    doc: targets.filter(isDocTestsTarget),
    other: targets.filter(t => !isDocTestsTarget(t))
  }
}

/**
 * `cargo test --features F --no-fail-fast -p PKG… --doc -- --test-threads=N`. Output
 * stays captured (no `--nocapture`): each failure then comes in its own block, whose
 * compiler error or panic is that doc test's, at any thread count.
 */
export function docArgv(base: CommandBase, features: string, targets: string[]): string[] {
  return [
    'cargo',
    'test',
    ...base.cargoArgs,
    ...featureArgs(features),
    '--no-fail-fast',
    ...targetsArgs(targets),
    '--',
    `--test-threads=${base.threads}`
  ]
}

/** The `fast:doc` case over the plan's doc-test targets, or undefined when it has none. */
export function docCaseSpec(
  plan: TestPlan,
  listing: TestListing,
  base: CommandBase,
  featuresFor: (targets: string[]) => string
): CaseSpec | undefined {
  const { doc } = splitDocTargets(plan.fast.targets)
  if (doc.length === 0) return undefined
  const features = featuresFor(doc)
  return {
    id: DOC_CASE_ID,
    layer: 'fast',
    targets: doc,
    features,
    argv: docArgv(base, features, doc),
    maxAttempts: 1,
    listed: listedSelection(listing, doc)
  }
}
