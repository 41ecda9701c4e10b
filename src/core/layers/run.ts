/**
 * A whole test run, in four phases: build first, list and guard every
 * selection, run the layers of the mode in order, finish. Each phase records
 * into the results document, which is written after every step.
 */
import { mkdirSync } from 'node:fs'
import type { TestListing } from '../cargo/listing.js'
import type { CargoPackage } from '../cargo/metadata.js'
import type { TargetIds } from '../cargo/target-ids.js'
import type { Logger } from '../shared/logger.js'
import { InputError } from '../shared/errors.js'
import { clearOwned } from '../shared/paths.js'
import { planSourceLabel, inlinePlan } from './inline-plan.js'
import { cargoEngine } from './cargo-engine.js'
import { addDocListing, docTargetsToList, isDocTestsTarget, withDocTests } from './doc-tests.js'
import type { TestEngine } from './engine.js'
import type { LayerContext } from './layer-run.js'
import { nextestEngine } from './nextest-engine.js'
import { loadPlanFile } from './plan-file.js'
import { checkPlanTargets, resolveGroupTargets, resolvePlanTargets } from './plan-targets.js'
import { preflight } from './preflight.js'
import {
  activeGroups,
  checkGroupSelections,
  checkMainSelections,
  discoverPlan,
  discoveryNotes,
  layerIsEmpty,
  layersOf,
  mainTargets
} from './plan-selection.js'
import { caseId, type TestPlan } from './plan.js'
import type { LayerName, RunNote, SelectionProblem, TestRunResult } from './results.js'
import { TestRunRecord } from './run-record.js'
import { commandEnv, type TestSettings } from './settings.js'
import { planDigest, plannedCases } from './shard.js'
import { readTimings } from './shard-timings.js'

/** What the core needs from its caller. */
export interface RunDependencies {
  logger: Logger
  /** Aborted when the job is cancelled: the running command is killed, results are kept. */
  signal?: AbortSignal
  /** Base environment (defaults to process.env). */
  env?: NodeJS.ProcessEnv
}

/** The settings, the environment, the record and the engine every phase of one run shares. */
interface RunContext {
  s: TestSettings
  deps: RunDependencies
  env: NodeJS.ProcessEnv
  record: TestRunRecord
  engine: TestEngine
  targetIds: TargetIds
  /** The packages the run covers, when cargo metadata could say. */
  packages: CargoPackage[] | undefined
  /** Of the shard timings read, when any: part of the plan digest when the shards were dealt by them. */
  timingsDigest?: string
}

/** What the list-and-guard phase found: the plan to run and what may not run. */
interface GuardedPlan {
  plan: TestPlan
  listing: TestListing
  groupListings: Map<string, TestListing>
  problems: SelectionProblem[]
}

/**
 * Runs the tests described by the settings and returns (and writes to
 * `<outputDir>/results.json`) the results document.
 * @throws InputError when the plan file cannot be read, the working directory
 * is not a crate, or the output directory cannot be used (see `preflight`).
 */
export async function runTestLayers(
  given: TestSettings,
  deps: RunDependencies
): Promise<TestRunResult> {
  const planned = given.planFile ? await loadPlanFile(given.planFile) : inlinePlan(given.inline)
  const {
    settings: s,
    notes,
    targetIds,
    packages
  } = await preflight(given, deps.env ?? process.env)
  const givenPlan =
    planned && packages ? checkPlanTargets(planned, packages, targetIds.qualified) : planned
  const record = new TestRunRecord(s, planSourceLabel(givenPlan), deps.signal)
  addNotes(record, deps.logger, notes)
  clearOwned(s.outputDir, 'logs')
  mkdirSync(record.logDir, { recursive: true })
  const env = commandEnv(deps.env ?? process.env, givenPlan?.env ?? {}, s.env)
  // Read before anything runs: a bad file is an input error, not a failed shard.
  const timings = s.shardTimings ? readTimings(s.shardTimings.file, s.shardTimings.from) : undefined
  const engineCtx = {
    s,
    env,
    record,
    logger: deps.logger,
    signal: deps.signal,
    targetIds,
    ...(timings ? { timings } : {})
  }
  const engine = s.runner === 'nextest' ? await nextestEngine(engineCtx) : cargoEngine(engineCtx)
  const ctx: RunContext = {
    s,
    deps,
    env,
    record,
    engine,
    targetIds,
    packages,
    ...(timings ? { timingsDigest: timings.digest } : {})
  }
  const layers = layersOf(s.mode)
  const guarded = await buildListAndGuard(ctx, givenPlan, layers)
  if (guarded !== undefined) {
    await runLayers(ctx, shardOf(ctx, guarded, layers), layers)
    // nextest's partition is only known once it ran: a share that ran no test is said afterwards.
    if (s.shard && engine.name === 'nextest' && !record.result.cancelled && ranNoTest(record)) {
      warnEmptyShard(ctx)
    }
  }
  return record.finish()
}

/** True when no case of the run executed a test (an empty shard). */
function ranNoTest(record: TestRunRecord): boolean {
  return record.result.layers.every(l =>
    l.cases.every(c => (c.attempts.at(-1)?.tests.length ?? 0) === 0)
  )
}

/** The warning of a shard that holds no test of the plan. */
function warnEmptyShard(ctx: RunContext): void {
  const shard = ctx.s.shard!
  addNotes(ctx.record, ctx.deps.logger, [
    {
      level: 'warning',
      message: `Shard ${shard.index}/${shard.total} holds no test of this plan: the other shards run it all.`
    }
  ])
}

/** Records notes on the run and says them in the log as they arise. */
function addNotes(record: TestRunRecord, logger: Logger, notes: RunNote[]): void {
  record.result.notes.push(...notes)
  for (const note of notes) {
    if (note.level === 'warning') logger.warning(note.message)
    else logger.info(`notice: ${note.message}`)
  }
}

/** Builds one feature set's targets with the run's engine, recording the build. */
async function build(ctx: RunContext, features: string, targets: string[]): Promise<boolean> {
  const out = await ctx.engine.build(features, targets)
  if (out === undefined) return true
  ctx.record.result.builds.push(out.result)
  ctx.record.save()
  return out.result.passed
}

/** Lists what one feature set's targets hold, with the run's engine, marked as running. */
async function list(ctx: RunContext, features: string, targets: string[]): Promise<TestListing> {
  ctx.record.begin({ step: 'listing', features })
  try {
    return await ctx.engine.list(features, targets)
  } finally {
    ctx.record.end()
  }
}

/**
 * A shard's part of the guarded plan, and its record of which share it ran
 * (the digest is of the whole plan, the same in every shard); the whole plan
 * when the run is not a shard.
 */
function shardOf(ctx: RunContext, guarded: GuardedPlan, layers: LayerName[]): GuardedPlan {
  const { s, record } = ctx
  if (s.shard === undefined) return guarded
  const dealt = ctx.engine.shard(guarded.plan, guarded.listing)
  const { plan } = dealt
  record.result.shard = {
    ...s.shard,
    // Every shard must deal by the same times: a shard given other ones ran another plan.
    planDigest: planDigest(guarded.plan, {
      mode: s.mode,
      features: s.features,
      runner: s.runner,
      ...(dealt.dealtBy === 'time' ? { timings: ctx.timingsDigest } : {})
    }),
    share: dealt.share,
    dealtBy: dealt.dealtBy,
    ...(dealt.expectedSeconds ? { expectedSeconds: dealt.expectedSeconds } : {}),
    // nextest's partition deals as it runs: only a plan dealt here is known case by case.
    ...(dealt.dealtBy === 'partition' ? {} : { planned: plannedCases(plan, layers) })
  }
  addNotes(record, ctx.deps.logger, dealt.notes)
  if (layers.every(layer => layerIsEmpty(plan, layer))) warnEmptyShard(ctx)
  record.save()
  return { ...guarded, plan }
}

/**
 * Phases 1 and 2: build with the main features, list, resolve the plan
 * (given or discovered), then build and list each feature-gated group and
 * check every selection against its listing (the zero-test guard). Returns
 * undefined when nothing can run (the main build or listing failed).
 */
async function buildListAndGuard(
  ctx: RunContext,
  givenPlan: TestPlan | undefined,
  layers: LayerName[]
): Promise<GuardedPlan | undefined> {
  const { s, record } = ctx
  // Doc tests are built by rustdoc as they run: a build or listing of `--doc` beside
  // other targets is one cargo refuses.
  const targets = givenPlan ? mainTargets(givenPlan, layers).filter(t => !isDocTestsTarget(t)) : []
  if (!(await build(ctx, s.features, targets))) return undefined
  let listing: TestListing
  try {
    listing = await list(ctx, s.features, targets)
  } catch (e) {
    if (e instanceof InputError) throw e
    record.result.selectionProblems.push({ id: layers.join('+'), message: (e as Error).message })
    return undefined
  }
  const docProblem = await listDocs(ctx, givenPlan, layers, listing)
  const plan = withDocTests(
    resolvePlanTargets(givenPlan ?? discoverPlan(listing), listing),
    listing,
    s
  )
  const problems = [
    ...checkMainSelections(plan, layers, listing, s.features),
    ...(docProblem ? [docProblem] : [])
  ]
  addNotes(record, ctx.deps.logger, discoveryNotes(plan, layers, listing, s.features))
  const groupListings = await guardGroups(ctx, plan, layers, problems)
  // Report problems in the order the layers run, as the failures list does.
  const rank = (id: string): number => layers.indexOf(id.split(':')[0] as LayerName)
  record.result.selectionProblems = [...problems].sort((a, b) => rank(a.id) - rank(b.id))
  record.save()
  return { plan, listing, groupListings, problems }
}

/** Lists the doc tests the run may run into `listing`; a failed listing is their problem. */
async function listDocs(
  ctx: RunContext,
  givenPlan: TestPlan | undefined,
  layers: LayerName[],
  listing: TestListing
): Promise<SelectionProblem | undefined> {
  const { s, packages, targetIds } = ctx
  const targets = docTargetsToList(s, layers, packages, targetIds, givenPlan?.fast.targets)
  if (targets.length === 0) return undefined
  if (s.archiveFile !== undefined) {
    addNotes(ctx.record, ctx.deps.logger, [ARCHIVE_DOC_NOTE])
    return undefined
  }
  const docCtx = { ...ctx, heartbeat: (line: string) => ctx.deps.logger.info(line) }
  return addDocListing(docCtx, listing, s.features, targets)
}

/** Why a run from a nextest archive leaves the doc tests out. */
const ARCHIVE_DOC_NOTE: RunNote = {
  level: 'notice',
  message:
    "The doc tests are not run from a nextest archive: it holds no doc test (cargo-nextest cannot run them; rustdoc builds them as they run). Run them where the archive is built ('cargo test --doc'), or set doc-tests: false to silence this."
}

/** Builds and lists each active group; adds its selection problems; returns the listings. */
async function guardGroups(
  ctx: RunContext,
  plan: TestPlan,
  layers: LayerName[],
  problems: SelectionProblem[]
): Promise<Map<string, TestListing>> {
  const groupListings = new Map<string, TestListing>()
  for (const group of activeGroups(plan, layers)) {
    if (ctx.deps.signal?.aborted) break
    const targets = [...new Set(group.cases.map(c => c.target))]
    if (!(await build(ctx, group.features, targets))) continue
    try {
      const l = await list(ctx, group.features, targets)
      groupListings.set(group.name, l)
      const resolved = resolveGroupTargets(group, l)
      plan.groups = plan.groups.map(g => (g === group ? resolved : g))
      problems.push(...checkGroupSelections(resolved, l))
    } catch (e) {
      for (const c of group.cases) {
        problems.push({
          id: caseId(group.layer, c.test, group.name),
          message: (e as Error).message
        })
      }
    }
  }
  return groupListings
}

/** Phase 3: the layers of the mode, in order, each case saved as it ends. */
async function runLayers(
  ctx: RunContext,
  guarded: GuardedPlan,
  layers: LayerName[]
): Promise<void> {
  const layerCtx: LayerContext = {
    s: ctx.s,
    env: ctx.env,
    record: ctx.record,
    logger: ctx.deps.logger,
    signal: ctx.deps.signal,
    ...guarded,
    blocked: new Set(guarded.problems.map(p => p.id)),
    targetIds: ctx.targetIds
  }
  for (const layer of layers) await ctx.engine.runLayer(layerCtx, layer)
}

export type { LayerName }
