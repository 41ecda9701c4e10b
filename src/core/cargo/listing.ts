/**
 * What a selection would run, asked of libtest itself with `-- --list` and
 * `-- --list --ignored`: the basis of discovery and of the zero-test guard.
 */
import { featureArgs } from './build.js'
import { readLogTail, runProcess } from '../process/runner.js'
import { parseTestList, type TargetOfExecutable } from '../libtest/list.js'

/** Tests of one cargo target. */
export interface TargetTests {
  /** Every test, ignored ones included. */
  all: Set<string>
  ignored: Set<string>
  /** The test binary's id, when cargo-nextest listed it (`crate::target`). */
  binaryId?: string
}

/** Tests per target selector (`lib`, `bin:NAME`, integration test name). */
export type TestListing = Map<string, TargetTests>

/** How to ask. */
export interface ListRequest {
  features: string
  targetArgs: string[]
  cargoArgs: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutSeconds: number
  /** Log file prefix; `.list.log` and `.list-ignored.log` are appended. */
  logPrefix: string
  /** Where a listing that runs long says it still runs. */
  heartbeat?: (line: string) => void
  /** Which target a built executable is (a workspace's `PKG/lib`), from the run's builds. */
  targetOf?: TargetOfExecutable
}

/** Lists tests; throws an Error with cargo's own words when listing fails. */
export async function listTests(req: ListRequest): Promise<TestListing> {
  const all = await listOnce(req, false)
  const ignored = await listOnce(req, true)
  const listing: TestListing = new Map()
  const entry = (target: string): TargetTests => {
    let e = listing.get(target)
    if (!e) listing.set(target, (e = { all: new Set(), ignored: new Set() }))
    return e
  }
  for (const t of all) entry(t.target ?? '?').all.add(t.name)
  for (const t of ignored) {
    entry(t.target ?? '?').ignored.add(t.name)
    entry(t.target ?? '?').all.add(t.name)
  }
  return listing
}

async function listOnce(
  req: ListRequest,
  ignored: boolean
): Promise<{ target?: string; name: string }[]> {
  const argv = [
    'cargo',
    'test',
    ...req.cargoArgs,
    ...featureArgs(req.features),
    ...req.targetArgs,
    '--',
    '--list',
    ...(ignored ? ['--ignored'] : [])
  ]
  const lines: string[] = []
  const logPath = `${req.logPrefix}.${ignored ? 'list-ignored' : 'list'}.log`
  const outcome = await runProcess({
    argv,
    cwd: req.cwd,
    env: req.env,
    timeoutSeconds: req.timeoutSeconds,
    logPath,
    onLine: line => lines.push(line),
    ...(req.heartbeat ? { heartbeat: req.heartbeat } : {})
  })
  if (outcome.exitCode !== 0) {
    const why = outcome.timedOut ? `timed out after ${req.timeoutSeconds}s` : lastError(logPath)
    throw new Error(`\`${argv.join(' ')}\` failed: ${why}`)
  }
  return parseTestList(lines.join('\n'), req.targetOf)
}

/** Cargo's own error line, the most useful thing to show. */
function lastError(logPath: string): string {
  const tail = readLogTail(logPath, 8192)
  const errors = tail.split('\n').filter(l => /^error(\[\w+\])?:/.test(l.trim()))
  return errors.length > 0 ? errors.join(' ').trim() : tail.trim().split('\n').slice(-3).join(' ')
}

/** Short name of a test (last path segment), for `stress_*` / `chaos_*` discovery. */
export function shortName(test: string): string {
  const i = test.lastIndexOf('::')
  return i === -1 ? test : test.slice(i + 2)
}
