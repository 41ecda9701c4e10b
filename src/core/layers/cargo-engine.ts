/**
 * The `cargo` runner: the reference's engine. Builds with `cargo test
 * --no-run`, lists with libtest's `--list`, runs each layer's commands as
 * prod_test.sh does (layer-run.ts), and cuts a shard's share out of the plan
 * itself (shard.ts).
 */
import { buildArgv, buildTests, type BuildOutcome } from '../cargo/build.js'
import { listTests } from '../cargo/listing.js'
import type { TargetIds } from '../cargo/target-ids.js'
import type { Logger } from '../shared/logger.js'
import { plural } from '../shared/text.js'
import type { TestEngine } from './engine.js'
import { runLayer } from './layer-run.js'
import { targetsArgs, type TestPlan } from './plan.js'
import type { TestRunRecord } from './run-record.js'
import type { TestSettings } from './settings.js'
import { shardPlan } from './shard.js'
import { byCountNote, expectedText } from './shard-notes.js'
import { shareByTime } from './shard-time.js'
import type { Timings } from './shard-timings.js'

/** What an engine needs from the run. */
export interface EngineContext {
  s: TestSettings
  env: NodeJS.ProcessEnv
  record: TestRunRecord
  logger: Logger
  signal: AbortSignal | undefined
  /** How the run names targets; each build teaches it its executables. */
  targetIds: TargetIds
  /** An earlier run's times (`shard-timings`), to deal shards by. */
  timings?: Timings
}

/** cargo's target arguments for a selection: every test target when none is named. */
export function targetSelection(targets: string[]): string[] {
  return targets.length > 0 ? targetsArgs(targets) : ['--tests']
}

/**
 * `cargo test --no-run` of one feature set's targets, under the build timeout,
 * logged as the run's next `build.log`; both runners build this way so compile
 * errors keep their `file:line` annotations.
 */
export async function buildSelection(
  ctx: EngineContext,
  features: string,
  targets: string[]
): Promise<BuildOutcome> {
  const { s, env, record, logger, signal } = ctx
  const command = { cargoArgs: s.cargoArgs, features, targetArgs: targetSelection(targets) }
  record.begin({ step: 'build', features, argv: buildArgv(command) })
  try {
    const outcome = await buildTests({
      ...command,
      cwd: s.workingDirectory,
      env,
      signal,
      timeoutSeconds: s.timeouts.build,
      repoRoot: s.repoRoot,
      logPath: record.nextLogPath('build.log'),
      logger
    })
    ctx.targetIds.learn(outcome.executables)
    return outcome
  } finally {
    record.end()
  }
}

/** The `cargo` engine of one run. */
export function cargoEngine(ctx: EngineContext): TestEngine {
  const { s, env, record, logger } = ctx
  return {
    name: 'cargo',
    build: (features, targets) => buildSelection(ctx, features, targets),
    list: (features, targets) =>
      listTests({
        cargoArgs: s.cargoArgs,
        cwd: s.workingDirectory,
        env,
        features,
        targetArgs: targetSelection(targets),
        timeoutSeconds: s.timeouts.build,
        logPrefix: record.nextLogPath(features || 'default'),
        heartbeat: line => logger.info(line),
        targetOf: (name, kind) => ctx.targetIds.ofExecutable(name, kind)
      }),
    shard: (plan, listing) => {
      const shard = s.shard ?? { index: 1, total: 1 }
      const timed = ctx.timings
        ? shareByTime(plan, listing, shard, ctx.timings, 'cargo', s.threads)
        : undefined
      if (timed !== undefined) {
        return {
          plan: timed.plan,
          share: `${shareText(plan, timed.plan)}; ${expectedText(shard, timed.expected)}`,
          dealtBy: 'time',
          expectedSeconds: timed.expected,
          notes: timed.notes
        }
      }
      const mine = shardPlan(plan, listing, shard)
      return {
        plan: mine,
        share: shareText(plan, mine),
        dealtBy: 'count',
        notes: [byCountNote(ctx.timings, 'fast targets by test count, cases in turn')]
      }
    },
    runLayer
  }
}

/** What a shard of the cargo runner runs, in words. */
function shareText(whole: TestPlan, mine: TestPlan): string {
  const fast =
    mine.fast.targets.length > 0
      ? `fast targets ${mine.fast.targets.join(', ')} (${mine.fast.targets.length} of ${whole.fast.targets.length})`
      : `no fast target (of ${whole.fast.targets.length})`
  return [fast, caseShareText(whole, mine)].join('; ')
}

/** A shard's stress, chaos and group cases, in words: `2 of 5 stress cases; …`. */
export function caseShareText(whole: TestPlan, mine: TestPlan): string {
  const parts = [
    `${mine.stress.length} of ${plural(whole.stress.length, 'stress case')}`,
    `${mine.chaos.length} of ${plural(whole.chaos.length, 'chaos case')}`
  ]
  const groupCases = (p: TestPlan): number => p.groups.reduce((n, g) => n + g.cases.length, 0)
  if (groupCases(whole) > 0) {
    parts.push(`${groupCases(mine)} of ${plural(groupCases(whole), 'group case')}`)
  }
  return parts.join('; ')
}
