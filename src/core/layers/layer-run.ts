/**
 * One layer of a test run: the fast command, each stress or chaos case, and
 * the cases of the feature-gated groups of that layer, each through
 * `runCase` with the layer's timeout and attempts.
 */
import type { TestListing } from '../cargo/listing.js'
import type { TargetIds } from '../cargo/target-ids.js'
import type { Logger } from '../shared/logger.js'
import { listedSelection, runCase, type CaseSpec } from './case-runner.js'
import { fastArgv, groupCaseArgv, ignoredCaseArgv } from './layer-commands.js'
import { docCaseSpec, splitDocTargets } from './doc-tests.js'
import { caseId, type TestPlan } from './plan.js'
import { commandTargets, planCaseId } from './plan-targets.js'
import {
  type CaseResult,
  type LayerName,
  type LayerResult,
  type SelectionProblem
} from './results.js'
import type { TestRunRecord } from './run-record.js'
import type { TestSettings } from './settings.js'
import { layerStatusOf } from './verdict.js'

/** What every layer of one run shares. */
export interface LayerContext {
  s: TestSettings
  env: NodeJS.ProcessEnv
  record: TestRunRecord
  logger: Logger
  signal: AbortSignal | undefined
  plan: TestPlan
  listing: TestListing
  /** Listings of the groups that built and listed; a group without one does not run. */
  groupListings: Map<string, TestListing>
  problems: SelectionProblem[]
  /** Ids of cases whose selection failed the guard: they do not run. */
  blocked: Set<string>
  /** How the run names targets (by package too, over several packages). */
  targetIds: TargetIds
}

/** Runs one layer's cases in order and adds the layer's result to the record. */
export async function runLayer(ctx: LayerContext, layer: LayerName): Promise<void> {
  const open = startLayer(ctx, layer)
  for (const spec of caseSpecs(ctx, layer)) {
    const caseResult = await runOne(ctx, layer, spec)
    if (caseResult === undefined) continue
    open.result.cases.push(caseResult)
    ctx.record.save()
  }
  finishLayer(ctx, open)
}

/** A layer being run: its result, which cases are added to as they end, and when it started. */
export interface OpenLayer {
  result: LayerResult
  /** ms since the epoch. */
  started: number
}

/** Adds an empty result for `layer` to the record and starts its clock. */
export function startLayer(ctx: LayerContext, layer: LayerName): OpenLayer {
  // No verdict until it ends: a document written meanwhile (or left by a kill) says so.
  const result: LayerResult = { name: layer, status: 'incomplete', durationMs: 0, cases: [] }
  ctx.record.result.layers.push(result)
  return { result, started: Date.now() }
}

/**
 * Stops the layer's clock and gives it its verdict: failed, incomplete (the
 * run was cancelled during it), skipped (no case ran) or passed.
 */
export function finishLayer(ctx: LayerContext, open: OpenLayer): void {
  const layerResult = open.result
  const layer = layerResult.name
  layerResult.durationMs = Date.now() - open.started
  const cut = ctx.signal?.aborted ?? false
  layerResult.status = layerStatusOf(layerResult.cases, layer, ctx.problems, cut)
}

/** Runs one case unless the job was cancelled or its selection is blocked. */
export async function runOne(
  ctx: LayerContext,
  layer: LayerName,
  c: CaseSpec
): Promise<CaseResult | undefined> {
  const { s, signal } = ctx
  if (signal?.aborted || ctx.blocked.has(c.id)) return undefined
  ctx.record.begin({ step: 'case', case: c.id, features: c.features, argv: c.argv })
  const result = await runCase({
    ...c,
    cwd: s.workingDirectory,
    env: layer === 'chaos' ? { ...ctx.env, RUST_BACKTRACE: '1' } : ctx.env,
    timeoutSeconds: s.timeouts[layer],
    retryPauseMs: s.retryPauseMs,
    killGraceMs: s.killGraceMs,
    repoRoot: s.repoRoot,
    logDir: ctx.record.logDir,
    seq: ctx.record.nextSeq(),
    logger: ctx.logger,
    targetOf: (name, kind) => ctx.targetIds.ofExecutable(name, kind),
    ...(signal ? { signal } : {})
  })
  ctx.record.end()
  return result
}

/** The cases of one layer in run order: fast command, plan cases, then group cases. */
function caseSpecs(ctx: LayerContext, layer: LayerName): CaseSpec[] {
  const { s, plan, listing } = ctx
  const base = { cargoArgs: s.cargoArgs, threads: s.threads }
  const attempts = layer === 'chaos' ? s.chaosAttempts : 1
  const specs: CaseSpec[] = []
  const featuresFor = (targets: string[], features: string): string =>
    ctx.targetIds.featuresFor(targets, features)
  const { other } = splitDocTargets(plan.fast.targets)
  if (layer === 'fast' && other.length > 0) {
    const targets = commandTargets(other, listing)
    const features = featuresFor(targets, s.features)
    specs.push({
      id: 'fast',
      layer,
      targets,
      features,
      argv: fastArgv(base, features, other),
      maxAttempts: 1,
      listed: listedSelection(listing, targets)
    })
  }
  const doc =
    layer === 'fast' ? docCaseSpec(plan, listing, base, t => featuresFor(t, s.features)) : undefined
  if (doc !== undefined) specs.push(doc)
  if (layer !== 'fast') {
    for (const c of plan[layer]) {
      const features = featuresFor([c.target], s.features)
      specs.push({
        id: planCaseId(layer, c),
        layer,
        targets: [c.target],
        test: c.test,
        features,
        argv: ignoredCaseArgv(base, features, c.target, c.test),
        maxAttempts: attempts
      })
    }
  }
  for (const group of plan.groups.filter(g => g.layer === layer)) {
    if (!ctx.groupListings.has(group.name)) continue
    for (const c of group.cases) {
      const features = featuresFor([c.target], group.features)
      specs.push({
        id: caseId(layer, c.test, group.name),
        layer,
        group: group.name,
        targets: [c.target],
        test: c.test,
        features,
        argv: groupCaseArgv(base, features, c),
        maxAttempts: attempts
      })
    }
  }
  return specs
}
