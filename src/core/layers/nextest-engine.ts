/**
 * The `nextest` runner: the same plan, layers, features, timeouts and chaos
 * attempts, run by cargo-nextest (one process per test). It builds as the
 * cargo runner does (so compile errors keep their annotations) unless it runs
 * from a prebuilt archive, lists through `cargo nextest list`, and gives a
 * shard its share with nextest's own `--partition`.
 */
import type { TestListing } from '../cargo/listing.js'
import type { NextestArchive } from '../nextest/command.js'
import { nextestListArgv } from '../nextest/command.js'
import { nextestVersion } from '../nextest/installed.js'
import { listWithNextest } from '../nextest/listing.js'
import {
  buildSelection,
  caseShareText,
  targetSelection,
  type EngineContext
} from './cargo-engine.js'
import type { EngineShare, TestEngine } from './engine.js'
import type { TestPlan } from './plan.js'
import { runNextestLayer } from './nextest-layer.js'
import { errorMessage, InputError } from '../shared/errors.js'
import { nextestPolicy, policyNotes } from './nextest-policy.js'
import { byCountNote, expectedText } from './shard-notes.js'
import { shareByTime } from './shard-time.js'
import { DOC_CASE_ID, splitDocTargets } from './doc-tests.js'
import { plural } from '../shared/text.js'

// `slice:` partitions balance best; older nextest has only `count:` and `hash:`.
const SLICE_SINCE = [0, 9, 127]
// A profile's `inherits`, which our layer profiles use to run under the crate's.
const INHERITS_SINCE = [0, 9, 115]

/**
 * The `nextest` engine of one run.
 * @throws InputError naming the runner setting, with the install hint, when
 * cargo-nextest is missing.
 */
export async function nextestEngine(ctx: EngineContext): Promise<TestEngine> {
  const { s, env, record, logger } = ctx
  const version = await nextestVersion(s.workingDirectory, env, s.origins.runner)
  const archive: NextestArchive | undefined = s.archiveFile
    ? { file: s.archiveFile, workspace: s.workingDirectory }
    : undefined
  const partition = s.shard
    ? `${atLeast(version, SLICE_SINCE) ? 'slice' : 'count'}:${s.shard.index}/${s.shard.total}`
    : undefined
  const policy = await nextestPolicy(s, env)
  if (policy.resolved.profile !== 'default' && !atLeast(version, INHERITS_SINCE)) {
    throw new InputError(
      `Invalid ${s.nextestProfile?.from ?? `nextest profile (${policy.resolved.profileFrom})`}: '${policy.resolved.profile}' needs cargo-nextest 0.9.115 or later (profile inheritance); this is ${version}. Update cargo-nextest, or set nextest-profile to 'default'.`
    )
  }
  record.result.nextest = policy.resolved
  let fastTests: Set<string> | undefined
  for (const note of policyNotes(policy.resolved, s)) {
    record.result.notes.push(note)
    if (note.level === 'warning') logger.warning(note.message)
    else logger.info(`notice: ${note.message}`)
  }
  return {
    name: 'nextest',
    build: async (features, targets) =>
      archive ? undefined : buildSelection(ctx, features, targets),
    list: async (features, targets): Promise<TestListing> =>
      archiveChecked(
        s.archiveFile,
        s.origins.archiveFile,
        listWithNextest({
          argv: nextestListArgv({
            cargoArgs: s.cargoArgs,
            features,
            targetArgs: targetSelection(targets),
            ...(archive ? { archive } : {}),
            runIgnored: 'all',
            tests: []
          }),
          cwd: s.workingDirectory,
          env,
          timeoutSeconds: s.timeouts.build,
          logPath: record.nextLogPath(`${features || 'default'}.nextest-list.log`),
          heartbeat: line => logger.info(line),
          qualified: ctx.targetIds.qualified
        })
      ),
    shard: (plan, listing) => {
      const share = nextestShare(ctx, plan, listing, partition, policy.resolved.threads)
      fastTests = share.fastTests
      return share.share
    },
    runLayer: (layerCtx, layer) =>
      runNextestLayer(
        layerCtx,
        {
          policy,
          ...(archive ? { archive } : {}),
          // Dealt by time, the share is exact tests; else nextest's partition.
          ...(fastTests ? { fastTests } : partition ? { partition } : {})
        },
        layer
      )
  }
}

/**
 * A shard's share under nextest: dealt by an earlier run's times (exact fast tests
 * and cases) when `ctx.timings` deal it, else nextest's own `--partition` (`partition`).
 */
function nextestShare(
  ctx: EngineContext,
  plan: TestPlan,
  listing: TestListing,
  partition: string | undefined,
  threads: number
): { share: EngineShare; fastTests?: Set<string> } {
  const shard = ctx.s.shard ?? { index: 1, total: 1 }
  const timed = ctx.timings
    ? shareByTime(plan, listing, shard, ctx.timings, 'nextest', threads)
    : undefined
  if (timed === undefined) {
    // nextest's partition cannot hold the doc tests (cargo runs them): shard 1 runs them whole.
    const { doc, other } = splitDocTargets(plan.fast.targets)
    const mine = shard.index === 1 ? plan : { ...plan, fast: { targets: other } }
    const how = `nextest --partition ${partition ?? ''} of every layer's tests${doc.length > 0 ? `; the doc tests (${DOC_CASE_ID}) in shard 1` : ''}`
    return {
      share: {
        plan: mine,
        share: how,
        dealtBy: 'partition',
        notes: [byCountNote(ctx.timings, how)]
      }
    }
  }
  const all = plan.fast.targets.reduce(
    (n, t) => n + (listing.get(t)?.all.size ?? 0) - (listing.get(t)?.ignored.size ?? 0),
    0
  )
  const fast = `${timed.fastTests?.size ?? 0} of ${plural(all, 'fast test')}`
  return {
    ...(timed.fastTests ? { fastTests: timed.fastTests } : {}),
    share: {
      plan: timed.plan,
      share: `${fast}; ${caseShareText(plan, timed.plan)}; ${expectedText(shard, timed.expected)}`,
      dealtBy: 'time',
      expectedSeconds: timed.expected,
      notes: timed.notes
    }
  }
}

/**
 * The listing, unless cargo-nextest could not read the archive (`error
 * extracting archive`): a damaged or truncated download is the input's fault,
 * not a test failure.
 * @throws InputError naming the input, the file and nextest's words.
 */
async function archiveChecked(
  file: string | undefined,
  from: string | undefined,
  listing: Promise<TestListing>
): Promise<TestListing> {
  try {
    return await listing
  } catch (e) {
    const message = errorMessage(e)
    if (file === undefined || !/error extracting archive|error reading archive/.test(message)) {
      throw e
    }
    const said = message.slice(message.indexOf('error extracting archive'))
    throw new InputError(
      `Invalid ${from ?? 'archive-file'}: cargo-nextest cannot read '${file}' (${said}). Expected a whole archive written by 'cargo nextest archive --archive-file' (a download cut short or damaged is not one): build it again, or check the artifact it came from.`
    )
  }
}

function atLeast(version: string, least: number[]): boolean {
  const parts = version.split('.').map(Number)
  for (const [i, want] of least.entries()) {
    const have = parts[i] ?? 0
    if (have !== want) return have > want
  }
  return true
}
