/**
 * One layer run by cargo-nextest. Each selection of the layer (the fast
 * targets; the stress or chaos cases; a feature-gated group's cases) is one
 * `cargo nextest run` with a profile of its own (the layer's per-test
 * timeout, the chaos attempts as retries, JUnit), listed first with the same
 * options so a test nextest never reported is named, never lost. Its JUnit
 * becomes the same cases, attempts and tests the cargo runner records: one
 * `fast` case over the fast targets, one case per stress, chaos or group case.
 */
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { LocationResolver } from '../libtest/panic.js'
import {
  nextestListArgv,
  nextestRunArgv,
  type NextestArchive,
  type NextestSelection
} from '../nextest/command.js'
import { profileName, writeToolConfig } from '../nextest/config.js'
import { toolConfigOf } from '../nextest/policy.js'
import { readNextestJunit } from '../nextest/junit.js'
import { listWithNextest } from '../nextest/listing.js'
import { readLogTail, runProcess, type ProcessOutcome } from '../process/runner.js'
import { errorMessage } from '../shared/errors.js'
import type { LayerContext } from './layer-run.js'
import { finishLayer, runOne, startLayer } from './layer-run.js'
import { docCaseSpec } from './doc-tests.js'
import { invocations } from './nextest-invocations.js'
import { targetsArgs } from './plan.js'
import { layerPolicy, type RunPolicy } from './nextest-policy.js'
import type { CaseResult, LayerName } from './results.js'
import {
  caseResult,
  fastCase,
  listingFailed,
  type Expected,
  type Invocation,
  type Ran
} from './nextest-cases.js'

/** What a nextest layer run needs beyond the layer context. */
export interface NextestLayerOptions {
  /** Whose settings apply: the crate's nextest config, the given ones, ours. */
  policy: RunPolicy
  archive?: NextestArchive
  /** This shard's `--partition`. */
  partition?: string
  /** Dealt by time: the fast targets' tests this shard runs (`testKey`), instead of a partition. */
  fastTests?: Set<string>
}

/** Runs one layer with cargo-nextest and adds its result to the record. */
export async function runNextestLayer(
  ctx: LayerContext,
  options: NextestLayerOptions,
  layer: LayerName
): Promise<void> {
  const open = startLayer(ctx, layer)
  const all = invocations(ctx, layer, options.fastTests)
  const run = async (invs: Invocation[]): Promise<void> => {
    for (const inv of invs) {
      if (ctx.signal?.aborted) break
      open.result.cases.push(...(await runInvocation(ctx, options, layer, inv)))
      ctx.record.save()
    }
  }
  await run(all.filter(inv => inv.label === 'fast'))
  // The doc tests, which nextest cannot run, after the fast targets as with runner cargo.
  if (layer === 'fast' && !ctx.signal?.aborted) await runDocTests(ctx, options, open.result.cases)
  await run(all.filter(inv => inv.label !== 'fast'))
  finishLayer(ctx, open)
}

/** The `fast:doc` case, with `cargo test --doc` at the policy's test threads. */
async function runDocTests(
  ctx: LayerContext,
  options: NextestLayerOptions,
  cases: CaseResult[]
): Promise<void> {
  const base = { cargoArgs: ctx.s.cargoArgs, threads: options.policy.resolved.threads }
  const featuresFor = (targets: string[]): string =>
    ctx.targetIds.featuresFor(targets, ctx.s.features)
  const spec = docCaseSpec(ctx.plan, ctx.listing, base, featuresFor)
  if (spec === undefined) return
  const result = await runOne(ctx, 'fast', spec)
  if (result === undefined) return
  cases.push(result)
  ctx.record.save()
}

/** Where an invocation's files go and how it runs: its selection, profile and report. */
interface Prepared {
  sel: NextestSelection
  /** `mace-actions:<path>` of its tool config, and the profile of it to run. */
  toolConfig: string
  profile: string
  junitPath: string
  /** Log files start with this: `<logDir>/<seq>-<label>`. */
  logBase: string
  attempts: number
  /** Per-test limit, seconds: the policy's, else (never killed by nextest) the layer timeout. */
  limitSeconds: number
  /** Tests run at once (the policy's test threads). */
  threads: number
  env: NodeJS.ProcessEnv
}

/** Lists, runs and reads one selection; returns its cases (none when a shard holds none of it). */
async function runInvocation(
  ctx: LayerContext,
  options: NextestLayerOptions,
  layer: LayerName,
  inv: Invocation
): Promise<CaseResult[]> {
  const p = prepare(ctx, options, layer, inv)
  let expected: Expected[]
  try {
    expected = await listSelection(ctx, p, `${p.logBase}.list.log`)
  } catch (e) {
    return listingFailed(ctx, layer, inv, errorMessage(e))
  }
  if (expected.length === 0) return []
  const ran = await runSelection(ctx, layer, inv, p, expected)
  return inv.cases === undefined
    ? [fastCase(ctx, layer, ran, p.attempts)]
    : inv.cases.flatMap(c => caseResult(ctx, layer, ran, c, p.attempts))
}

/** The invocation's selection, its profile written to a tool config, a fresh report path. */
function prepare(
  ctx: LayerContext,
  options: NextestLayerOptions,
  layer: LayerName,
  inv: Invocation
): Prepared {
  const { s } = ctx
  const name = `${String(ctx.record.nextSeq()).padStart(2, '0')}-${inv.label.replace(/[^A-Za-z0-9_.-]+/g, '_')}`
  const dir = join(s.outputDir, 'nextest')
  mkdirSync(dir, { recursive: true })
  const junitPath = join(dir, `${name}.junit.xml`)
  // nextest leaves an earlier report in place when it fails to build: never read a stale one.
  rmSync(junitPath, { force: true })
  const { request, resolved } = options.policy
  const attempts = layerPolicy(resolved, layer).retryCount + 1
  const layerRequest = request.layers.find(l => l.name === layer)!
  const toolConfig = writeToolConfig(
    join(dir, `${name}.toml`),
    toolConfigOf(request, layerRequest, profileName(layer), junitPath)
  )
  const sel: NextestSelection = {
    cargoArgs: s.cargoArgs,
    features: inv.features,
    targetArgs: targetsArgs(inv.targets),
    ...(options.archive ? { archive: options.archive } : {}),
    runIgnored: inv.runIgnored,
    tests:
      inv.exactTests ??
      (inv.cases ?? []).map(c => ({ binaryId: c.binaryId, test: c.test, exact: c.exact })),
    ...(inv.cases !== undefined ? { ignoreDefaultFilter: true } : {}),
    ...(options.partition ? { partition: options.partition } : {})
  }
  const env = layer === 'chaos' ? { ...ctx.env, RUST_BACKTRACE: '1' } : ctx.env
  const limit = layerPolicy(resolved, layer).limitSeconds
  return {
    sel,
    toolConfig,
    profile: profileName(layer),
    junitPath,
    logBase: join(ctx.record.logDir, name),
    attempts,
    limitSeconds: limit ?? s.timeouts[layer],
    threads: resolved.threads,
    env
  }
}

/** Runs the selection and reads its JUnit report. */
async function runSelection(
  ctx: LayerContext,
  layer: LayerName,
  inv: Invocation,
  p: Prepared,
  expected: Expected[]
): Promise<Ran> {
  const { s } = ctx
  const logPath = `${p.logBase}.log`
  const argv = nextestRunArgv(p.sel, {
    profile: p.profile,
    toolConfig: p.toolConfig,
    // Given, it wins; else the crate's test-threads, or our 8 beneath it.
    ...(s.given.threads !== undefined ? { threads: s.threads } : {})
  })
  ctx.logger.startGroup(`${inv.label}: ${argv.join(' ')}`)
  // One nextest run holds the selection's cases: it is what runs, under the selection's label.
  ctx.record.begin({ step: 'case', case: inv.label, features: inv.features, argv })
  const outcome = await runProcess({
    argv,
    cwd: s.workingDirectory,
    env: p.env,
    // nextest enforces each test's limit; this only bounds a nextest that hangs itself.
    timeoutSeconds:
      s.timeouts[layer] * p.attempts * Math.ceil(expected.length / p.threads) +
      s.killGraceMs / 1000 +
      120,
    graceMs: s.killGraceMs,
    logPath,
    echo: chunk => ctx.logger.write(chunk),
    heartbeat: line => ctx.logger.info(line),
    ...(ctx.signal ? { signal: ctx.signal } : {})
  })
  ctx.record.end()
  ctx.logger.endGroup()
  ctx.logger.info(
    `${inv.label}: cargo nextest exited with ${outcome.exitCode ?? outcome.signal} in ${(outcome.durationMs / 1000).toFixed(1)}s (log: ${logPath})`
  )
  const report = existsSync(p.junitPath)
    ? readNextestJunit(readFileSync(p.junitPath, 'utf8'))
    : undefined
  const error = invocationError(outcome, report !== undefined, logPath)
  return {
    inv,
    expected,
    outcome,
    reported: new Map((report?.cases ?? []).map(c => [`${c.binaryId}\n${c.name}`, c])),
    resolver: new LocationResolver(s.repoRoot, s.workingDirectory),
    ...(error !== undefined ? { error } : {}),
    command: {
      argv,
      cwd: s.workingDirectory,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      timedOut: outcome.timedOut,
      timeoutSeconds: p.limitSeconds,
      durationMs: outcome.durationMs,
      logPath,
      ...(outcome.outputTruncated ? { outputTruncated: true } : {}),
      ...(outcome.leakedProcesses > 0 ? { leakedProcesses: outcome.leakedProcesses } : {})
    }
  }
}

/** The tests the selection picks, from `cargo nextest list` with the same options. */
async function listSelection(ctx: LayerContext, p: Prepared, logPath: string): Promise<Expected[]> {
  const listing = await listWithNextest({
    argv: nextestListArgv(p.sel, { profile: p.profile, toolConfig: p.toolConfig }),
    cwd: ctx.s.workingDirectory,
    env: p.env,
    timeoutSeconds: ctx.s.timeouts.build,
    logPath,
    heartbeat: line => ctx.logger.info(line),
    qualified: ctx.targetIds.qualified
  })
  return [...listing].flatMap(([target, t]) =>
    [...t.matching].sort().map(name => ({ target, binaryId: t.binaryId, name }))
  )
}

/** What went wrong with the nextest command itself, beyond its tests. */
function invocationError(
  outcome: ProcessOutcome,
  hasReport: boolean,
  logPath: string
): string | undefined {
  if (outcome.spawnError) return `could not start cargo: ${outcome.spawnError}`
  if (outcome.cancelled) return 'cancelled before it finished'
  if (outcome.timedOut) return `cargo nextest itself did not finish in time; see ${logPath}`
  // 0: every test passed; 100: some test failed, crashed or timed out (nextest's exit codes).
  if (outcome.exitCode === 0 || outcome.exitCode === 100) {
    return hasReport ? undefined : `cargo nextest wrote no JUnit report; see ${logPath}`
  }
  const tail = readLogTail(logPath, 2048).trim().split('\n').slice(-3).join(' ')
  return `cargo nextest exited with code ${outcome.exitCode ?? outcome.signal}: ${tail}`
}
