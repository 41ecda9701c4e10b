/**
 * A whole test run: build first, resolve the plan, guard every selection,
 * then run the layers of the mode in order and write the results document.
 */
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import { buildTests, type BuildOutcome } from '../cargo/build.js'
import { runCase, type CaseSpec } from './case-runner.js'
import { fastArgv, groupCaseArgv, ignoredCaseArgv } from './layer-commands.js'
import type { Logger } from '../shared/logger.js'
import { loadPlanFile } from './plan-file.js'
import {
  activeGroups,
  checkGroupSelections,
  checkMainSelections,
  discoverPlan,
  layersOf,
  mainTargets
} from './plan-selection.js'
import { caseId, targetArgs, type TestPlan } from './plan.js'
import type {
  CaseResult,
  LayerName,
  LayerResult,
  SelectionProblem,
  TestRunResult
} from './results.js'
import { listTests, type TestListing } from '../cargo/listing.js'
import { writeTestResults } from './results-file.js'
import { STRESS_ENV_DEFAULTS, type TestSettings } from './settings.js'
import { planSourceLabel, inlinePlan } from './inline-plan.js'

/** What the core needs from its caller. */
export interface RunDependencies {
  logger: Logger
  /** Aborted when the job is cancelled: the running command is killed, results are kept. */
  signal?: AbortSignal
  /** Base environment (defaults to process.env). */
  env?: NodeJS.ProcessEnv
}

/** Runs the tests described by the settings and returns (and writes) the results. */
export async function runTestLayers(
  s: TestSettings,
  deps: RunDependencies
): Promise<TestRunResult> {
  const { logger, signal } = deps
  const started = Date.now()
  const logDir = join(s.outputDir, 'logs')
  rmSync(logDir, { recursive: true, force: true })
  mkdirSync(logDir, { recursive: true })
  const givenPlan = s.planFile ? await loadPlanFile(s.planFile) : inlinePlan(s.inline)
  const env: NodeJS.ProcessEnv = {
    ...STRESS_ENV_DEFAULTS,
    ...(deps.env ?? process.env),
    ...(givenPlan?.env ?? {}),
    ...s.env
  }
  const layers = layersOf(s.mode)
  const result: TestRunResult = {
    schemaVersion: 1,
    tool: 'mace-actions test',
    mode: s.mode,
    startedAt: new Date(started).toISOString(),
    durationMs: 0,
    workingDirectory: s.workingDirectory,
    passed: false,
    cancelled: false,
    planSource: planSourceLabel(givenPlan),
    builds: [],
    selectionProblems: [],
    layers: [],
    failures: [],
    flaky: [],
    outputDir: s.outputDir
  }
  const save = (): void => {
    result.durationMs = Date.now() - started
    result.cancelled = signal?.aborted ?? false
    result.failures = failuresOf(result)
    result.flaky = result.layers.flatMap(l =>
      l.cases.filter(c => c.status === 'flaky').map(c => c.id)
    )
    result.passed = !result.cancelled && result.failures.length === 0
    writeTestResults(result)
  }
  const common = { cargoArgs: s.cargoArgs, cwd: s.workingDirectory, env, signal }
  let seq = 0
  const build = async (features: string, targets: string[]): Promise<BuildOutcome> => {
    const out = await buildTests({
      ...common,
      features,
      targetArgs: targets.length > 0 ? targets.flatMap(targetArgs) : ['--tests'],
      timeoutSeconds: s.timeouts.build,
      repoRoot: s.repoRoot,
      logPath: join(logDir, `${String(seq++).padStart(2, '0')}-build.log`),
      logger
    })
    result.builds.push(out.result)
    save()
    return out
  }
  const list = (features: string, targets: string[]): Promise<TestListing> =>
    listTests({
      ...common,
      features,
      targetArgs: targets.length > 0 ? targets.flatMap(targetArgs) : ['--tests'],
      timeoutSeconds: s.timeouts.build,
      logPrefix: join(logDir, `${String(seq++).padStart(2, '0')}-${features || 'default'}`)
    })

  // Build first, with the main features; discovery needs the built targets listed.
  const main = await build(s.features, givenPlan ? mainTargets(givenPlan, layers) : [])
  if (!main.result.passed) return finish()
  let listing: TestListing
  try {
    listing = await list(s.features, givenPlan ? mainTargets(givenPlan, layers) : [])
  } catch (e) {
    result.selectionProblems.push({ id: layers.join('+'), message: (e as Error).message })
    return finish()
  }
  const plan: TestPlan = givenPlan ?? discoverPlan(listing)
  const problems = checkMainSelections(plan, layers, listing, s.features)
  const groupListings = new Map<string, TestListing>()
  for (const group of activeGroups(plan, layers)) {
    if (signal?.aborted) break
    const targets = [...new Set(group.cases.map(c => c.target))]
    const built = await build(group.features, targets)
    if (!built.result.passed) continue
    try {
      const l = await list(group.features, targets)
      groupListings.set(group.name, l)
      problems.push(...checkGroupSelections(group, l))
    } catch (e) {
      for (const c of group.cases) {
        problems.push({
          id: caseId(group.layer, c.test, group.name),
          message: (e as Error).message
        })
      }
    }
  }
  // Report problems in the order the layers run, as the failures list does.
  const rank = (id: string): number => layers.indexOf(id.split(':')[0] as LayerName)
  result.selectionProblems = [...problems].sort((a, b) => rank(a.id) - rank(b.id))
  save()
  const blocked = new Set(problems.map(p => p.id))
  const base = { cargoArgs: s.cargoArgs, threads: s.threads }

  for (const layer of layers) {
    const layerResult: LayerResult = { name: layer, status: 'passed', durationMs: 0, cases: [] }
    result.layers.push(layerResult)
    const layerStart = Date.now()
    const timeout = s.timeouts[layer]
    const run = async (c: CaseSpec): Promise<void> => {
      if (signal?.aborted || blocked.has(c.id)) return
      const caseResult: CaseResult = await runCase({
        ...c,
        cwd: s.workingDirectory,
        env: layer === 'chaos' ? { ...env, RUST_BACKTRACE: '1' } : env,
        timeoutSeconds: timeout,
        retryPauseMs: s.retryPauseMs,
        killGraceMs: s.killGraceMs,
        repoRoot: s.repoRoot,
        logDir,
        seq: seq++,
        logger,
        ...(signal ? { signal } : {})
      })
      layerResult.cases.push(caseResult)
      save()
    }
    const attempts = layer === 'chaos' ? s.chaosAttempts : 1
    if (layer === 'fast' && plan.fast.targets.length > 0) {
      await run({
        id: 'fast',
        layer,
        targets: plan.fast.targets,
        features: s.features,
        argv: fastArgv(base, s.features, plan.fast.targets),
        maxAttempts: 1,
        listed: plan.fast.targets.flatMap(t => nonIgnored(listing, t))
      })
    }
    if (layer !== 'fast') {
      for (const c of plan[layer]) {
        await run({
          id: caseId(layer, c.test),
          layer,
          targets: [c.target],
          test: c.test,
          features: s.features,
          argv: ignoredCaseArgv(base, s.features, c.target, c.test),
          maxAttempts: attempts
        })
      }
    }
    for (const group of plan.groups.filter(g => g.layer === layer)) {
      if (!groupListings.has(group.name)) continue
      for (const c of group.cases) {
        await run({
          id: caseId(layer, c.test, group.name),
          layer,
          group: group.name,
          targets: [c.target],
          test: c.test,
          features: group.features,
          argv: groupCaseArgv(base, group.features, c),
          maxAttempts: attempts
        })
      }
    }
    layerResult.durationMs = Date.now() - layerStart
    const failed =
      layerResult.cases.some(c => c.status !== 'passed' && c.status !== 'flaky') ||
      problems.some(p => p.id === layer || p.id.startsWith(`${layer}:`))
    layerResult.status = failed ? 'failed' : layerResult.cases.length === 0 ? 'skipped' : 'passed'
  }
  return finish()

  function finish(): TestRunResult {
    save()
    return result
  }
}

function nonIgnored(listing: TestListing, target: string): string[] {
  const t = listing.get(target)
  return t ? [...t.all].filter(n => !t.ignored.has(n)) : []
}

/** Reference names of everything that failed, in run order, without repeats. */
function failuresOf(r: TestRunResult): string[] {
  const out: string[] = []
  const add = (id: string): void => {
    if (!out.includes(id)) out.push(id)
  }
  r.builds.forEach((b, i) => {
    if (!b.passed) add(i === 0 ? 'build' : `build:${b.features}`)
  })
  r.selectionProblems.forEach((p: SelectionProblem) => add(p.id))
  for (const layer of r.layers) {
    for (const c of layer.cases) if (c.status !== 'passed' && c.status !== 'flaky') add(c.id)
  }
  return out
}

export type { LayerName }
