/**
 * What a nextest selection holds, asked of `cargo nextest list
 * --message-format json` (nextest's documented list format: `rust-suites`
 * keyed by binary id, each with `binary-name`, `kind` and `testcases` whose
 * `ignored` flag says `#[ignore]` and whose `filter-match` says whether the
 * selection's options and filterset, partition included, pick it), turned
 * into the listing the test domain's discovery and zero-test guard read.
 */
import { readLogTail, runProcess } from '../process/runner.js'

/** Tests of one cargo target, and the binary id nextest gives it. */
export interface NextestTarget {
  /** Binary id, e.g. `mini-kv::basic` or `mini-kv` for the lib's unit tests. */
  binaryId: string
  all: Set<string>
  ignored: Set<string>
  /** The tests the selection picks (`filter-match` `matches`). */
  matching: Set<string>
}

/**
 * Tests per target id, as the test domain names them: `lib`, `bin:NAME`, an
 * integration test's name; `PKG/lib`… when the run covers several packages.
 */
export type NextestListing = Map<string, NextestTarget>

/** How to ask. */
export interface NextestListRequest {
  /** The whole argv, from `nextestListArgv`. */
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutSeconds: number
  logPath: string
  /** Where a listing that runs long says it still runs. */
  heartbeat?: (line: string) => void
  /** Name targets by package too (`PKG/lib`): the run covers several packages. */
  qualified?: boolean
}

interface ListJson {
  'rust-suites': Record<
    string,
    {
      'binary-id': string
      'binary-name': string
      'package-name'?: string
      kind: string
      testcases: Record<string, { ignored: boolean; 'filter-match'?: { status: string } }>
    }
  >
}

/**
 * Lists the selection's binaries and tests, ignored ones included, and
 * which of them the selection picks.
 * @throws Error with nextest's or cargo's own words when listing fails.
 */
export async function listWithNextest(req: NextestListRequest): Promise<NextestListing> {
  const { argv } = req
  let json: string | undefined
  const outcome = await runProcess({
    argv,
    cwd: req.cwd,
    env: req.env,
    timeoutSeconds: req.timeoutSeconds,
    logPath: req.logPath,
    maxLineBytes: 256 * 1024 * 1024,
    ...(req.heartbeat ? { heartbeat: req.heartbeat } : {}),
    onLine: line => {
      if (line.startsWith('{"rust-build-meta"') || line.startsWith('{"rust-suites"')) json = line
    }
  })
  if (outcome.exitCode !== 0 || json === undefined) {
    const why = outcome.timedOut
      ? `timed out after ${req.timeoutSeconds}s`
      : lastError(readLogTail(req.logPath, 4096))
    throw new Error(`\`${argv.join(' ')}\` failed: ${why}`)
  }
  return parseNextestList(json, req.qualified ?? false)
}

/**
 * nextest's (or cargo's) last `error:` with its `Caused by:` chain on one
 * line (`error: error extracting archive …: I/O error reading archive:
 * incomplete frame`), else the log's last three lines.
 */
function lastError(tail: string): string {
  const lines = tail.trim().split('\n')
  const at = lines.findLastIndex(l => /^error(\[\w+\])?:/.test(l))
  if (at === -1) return lines.slice(-3).join(' ')
  return lines
    .slice(at)
    .map(l => l.trim())
    .filter(l => l !== '' && l !== 'Caused by:')
    .join(': ')
}

/**
 * Reads nextest's list JSON (one document); `qualified` names each target by
 * its package too (`PKG/lib`), as a run over several packages must.
 * @throws Error when two binaries would get one target id (two packages' libraries,
 * unqualified): one would hide the other's tests.
 */
export function parseNextestList(json: string, qualified = false): NextestListing {
  const doc = JSON.parse(json) as ListJson
  const listing: NextestListing = new Map()
  for (const suite of Object.values(doc['rust-suites'])) {
    const selector = targetName(suite.kind, suite['binary-name'])
    if (selector === undefined) continue
    const pkg = suite['package-name'] ?? suite['binary-id'].split('::')[0]
    const target = qualified ? `${pkg}/${selector}` : selector
    const clash = listing.get(target)
    if (clash !== undefined) {
      throw new Error(
        `nextest lists two test binaries as target '${target}' (${clash.binaryId} and ${suite['binary-id']}): the run covers several packages but names targets without them`
      )
    }
    const entry: NextestTarget = {
      binaryId: suite['binary-id'],
      all: new Set(),
      ignored: new Set(),
      matching: new Set()
    }
    for (const [name, test] of Object.entries(suite.testcases)) {
      entry.all.add(name)
      if (test.ignored) entry.ignored.add(name)
      if (test['filter-match']?.status === 'matches') entry.matching.add(name)
    }
    listing.set(target, entry)
  }
  return listing
}

/** The test domain's target selector for a nextest binary; undefined for kinds it does not run. */
function targetName(kind: string, binaryName: string): string | undefined {
  if (kind === 'lib' || kind === 'proc-macro') return 'lib'
  if (kind === 'test') return binaryName
  if (kind === 'bin') return `bin:${binaryName}`
  return undefined
}
