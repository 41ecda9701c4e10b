/**
 * Runs one case of a layer: its command, retried up to `maxAttempts` times,
 * each attempt parsed into per-test outcomes.
 */
import { join } from 'node:path'
import type { TestListing } from '../cargo/listing.js'
import type { ListedTest, TargetOfExecutable } from '../libtest/list.js'
import { LibtestParser, type TargetCrash } from '../libtest/parser.js'
import type { Logger } from '../shared/logger.js'
import { readLogTail, runProcess, type ProcessOutcome } from '../process/runner.js'
import type { Attempt, AttemptEvidence, CaseResult, LayerName, TestResult } from './results.js'
import { caseStatusOf } from './verdict.js'

/** One case, ready to run. */
export interface CaseRequest {
  id: string
  layer: LayerName
  group?: string
  targets: string[]
  test?: string
  features: string
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  timeoutSeconds: number
  maxAttempts: number
  retryPauseMs: number
  killGraceMs: number
  repoRoot: string
  logDir: string
  /** Sequence number, keeps log files in run order. */
  seq: number
  logger: Logger
  signal?: AbortSignal
  /**
   * The selection's tests per target (`--list`, ignored ones flagged), so the reader
   * counts only these, blames the ones running at a hang or crash and names those that
   * never ran. Single-test cases run with `--exact` need none: their one test is known.
   */
  listed?: ListedTest[]
  /** Which target a built executable is (a workspace's `PKG/lib`), for the reader. */
  targetOf?: TargetOfExecutable
}

/** The tests `targets` select in `listing`, for `CaseRequest.listed`. */
export function listedSelection(listing: TestListing, targets: string[]): ListedTest[] {
  return targets.flatMap(target => {
    const tests = listing.get(target)
    if (tests === undefined) return []
    return [...tests.all].map(name => ({ target, name, ignored: tests.ignored.has(name) }))
  })
}

/** What differs from case to case; the rest of a CaseRequest is shared by a layer. */
export type CaseSpec = Pick<
  CaseRequest,
  'id' | 'layer' | 'group' | 'targets' | 'test' | 'features' | 'argv' | 'maxAttempts' | 'listed'
>

/** Runs the case and returns its result with every attempt. */
export async function runCase(req: CaseRequest): Promise<CaseResult> {
  const attempts: Attempt[] = []
  for (let n = 1; n <= req.maxAttempts; n++) {
    if (req.signal?.aborted) break
    if (n > 1) {
      req.logger.info(`${req.id}: attempt ${n - 1} failed, retrying in ${req.retryPauseMs} ms`)
      await new Promise(r => setTimeout(r, req.retryPauseMs))
    }
    const attempt = await runAttempt(req, n)
    attempts.push(attempt)
    if (attempt.passed) break
  }
  return {
    id: req.id,
    layer: req.layer,
    ...(req.group !== undefined ? { group: req.group } : {}),
    targets: req.targets,
    ...(req.test !== undefined ? { test: req.test } : {}),
    features: req.features,
    status: caseStatusOf(attempts),
    attempts,
    maxAttempts: req.maxAttempts
  }
}

async function runAttempt(req: CaseRequest, number: number): Promise<Attempt> {
  const slug = req.id.replace(/[^A-Za-z0-9_.-]+/g, '_')
  const logPath = join(req.logDir, `${String(req.seq).padStart(2, '0')}-${slug}.${number}.log`)
  const parser = new LibtestParser({
    repoRoot: req.repoRoot,
    cwd: req.cwd,
    ...selectionOf(req),
    ...threadsOf(req),
    ...(req.targetOf ? { targetOf: req.targetOf } : {}),
    clock: Date.now
  })
  const title = `${req.id}${req.maxAttempts > 1 ? ` (attempt ${number}/${req.maxAttempts})` : ''}`
  req.logger.startGroup(`${title}: ${req.argv.join(' ')}`)
  const outcome = await runProcess({
    argv: req.argv,
    cwd: req.cwd,
    env: req.env,
    timeoutSeconds: req.timeoutSeconds,
    graceMs: req.killGraceMs,
    logPath,
    onLine: line => parser.line(line),
    echo: chunk => req.logger.write(chunk),
    heartbeat: line => req.logger.info(line),
    ...(req.signal ? { signal: req.signal } : {})
  })
  req.logger.endGroup()
  const tests = parser.finish({
    timedOut: outcome.timedOut,
    signal: outcome.signal,
    exitCode: outcome.exitCode,
    cancelled: outcome.cancelled
  })
  blameExactTest(req, tests, outcome)
  const crashes = parser.crashes()
  const error = attemptError(req, outcome, tests, crashes)
  const passed = outcome.exitCode === 0 && !outcome.timedOut && error === undefined
  const verdict = passed
    ? 'passed'
    : outcome.cancelled
      ? 'CANCELLED'
      : outcome.timedOut
        ? 'TIMED OUT'
        : 'FAILED'
  req.logger.info(
    `${title}: ${verdict} in ${(outcome.durationMs / 1000).toFixed(1)}s (log: ${logPath})`
  )
  const unattributed = parser.unattributedPanics()
  const evidence = stoppedEarly(outcome, tests, crashes) ? evidenceOf(parser, logPath) : undefined
  return {
    number,
    passed,
    command: {
      argv: req.argv,
      cwd: req.cwd,
      exitCode: outcome.exitCode,
      signal: outcome.signal,
      timedOut: outcome.timedOut,
      timeoutSeconds: req.timeoutSeconds,
      durationMs: outcome.durationMs,
      logPath,
      ...(outcome.outputTruncated ? { outputTruncated: true } : {}),
      ...(outcome.leakedProcesses > 0 ? { leakedProcesses: outcome.leakedProcesses } : {})
    },
    tests,
    ...(error !== undefined ? { error } : {}),
    ...(unattributed.length > 0 ? { unattributedPanics: unattributed } : {}),
    ...(evidence !== undefined ? { evidence } : {}),
    ...(outcome.cancelled ? { cancelled: true } : {}),
    ...timesOf(parser, tests, threadsOf(req).threads)
  }
}

/** The targets' times, and why tests that ran have none (libtest names no time in parallel). */
function timesOf(
  parser: LibtestParser,
  tests: TestResult[],
  threads: number | undefined
): Pick<Attempt, 'targetTimes' | 'untimed'> {
  const targetTimes = [...parser.targetTimes()]
    .filter(([target]) => target !== '')
    .map(([target, durationMs]) => ({ target, durationMs }))
  const ran = tests.filter(t => t.outcome === 'passed' || t.outcome === 'failed')
  const untimed = ran.some(t => t.durationMs === undefined)
    ? `libtest on stable Rust prints no per-test time when tests run in parallel (--test-threads=${threads ?? 'default'}); each target's time is in targetTimes, and a target that ran one test gives that test's time`
    : undefined
  return {
    ...(targetTimes.length > 0 ? { targetTimes } : {}),
    ...(untimed !== undefined ? { untimed } : {})
  }
}

/** The reader's selection: the listing, or the one test an `--exact` case runs. */
function selectionOf(req: CaseRequest): { expected?: ListedTest[] } {
  if (req.listed !== undefined) return { expected: req.listed }
  const target = req.targets[0]
  if (req.test === undefined || !req.argv.includes('--exact')) return {}
  return { expected: [target === undefined ? { name: req.test } : { target, name: req.test }] }
}

/** libtest's `--test-threads` from the command line (or RUST_TEST_THREADS). */
function threadsOf(req: CaseRequest): { threads?: number } {
  const harness = req.argv.slice(req.argv.indexOf('--') + 1)
  const index = harness.findIndex(arg => arg.startsWith('--test-threads'))
  const flag = harness[index] ?? ''
  const value = flag.includes('=') ? flag.split('=')[1] : harness[index + 1]
  const threads = Number(index === -1 ? req.env.RUST_TEST_THREADS : value)
  return Number.isInteger(threads) && threads > 0 ? { threads } : {}
}

/** What went wrong beyond the tests' own results, if anything. */
function attemptError(
  req: CaseRequest,
  outcome: ProcessOutcome,
  tests: TestResult[],
  crashes: TargetCrash[]
): string | undefined {
  if (outcome.spawnError) return `could not start ${req.argv[0]}: ${outcome.spawnError}`
  if (outcome.cancelled) return 'cancelled before it finished'
  // A test binary that died with none of its tests named still says what killed it.
  const unnamed = crashes
    .filter(crash => crash.blamed === 0)
    .map(
      crash =>
        `${crash.target === undefined ? 'a test binary' : `target ${crash.target}`}: ${crash.cause}, and none of its tests could be named (see the log)`
    )
  if (outcome.timedOut && !tests.some(t => t.outcome === 'timed-out')) {
    return [`timed out after ${req.timeoutSeconds}s${unfinished(req, tests)}`, ...unnamed].join(
      '\n'
    )
  }
  if (unnamed.length > 0) return unnamed.join('\n')
  const failing = tests.filter(
    t => t.outcome === 'failed' || t.outcome === 'crashed' || t.outcome === 'timed-out'
  )
  const ran = failing.length + tests.filter(t => t.outcome === 'passed').length
  if (outcome.exitCode !== 0 && failing.length === 0) {
    return outcome.signal
      ? `killed by ${outcome.signal} with no test left to blame`
      : `exited with code ${outcome.exitCode} with no failed test to blame: see the log`
  }
  if (outcome.exitCode === 0 && ran === 0) return 'the command passed but ran no test'
  if (outcome.exitCode === 0) return unreported(req, tests)
  return undefined
}

/**
 * Listed tests that a passing command never reported: the listing and the
 * run disagree (another build ran, or tests were lost), which is never a pass.
 */
function unreported(req: CaseRequest, tests: TestResult[]): string | undefined {
  if (req.listed === undefined) return undefined
  const seen = new Set(tests.map(t => `${t.target ?? ''}\u0000${t.name}`))
  const missing = req.listed.filter(
    t => t.ignored !== true && !seen.has(`${t.target ?? ''}\u0000${t.name}`)
  )
  if (missing.length === 0) return undefined
  const shown = missing
    .slice(0, 10)
    .map(t => (t.target === undefined ? t.name : `${t.name} (${t.target})`))
    .join(', ')
  const more = missing.length > 10 ? ` and ${missing.length - 10} more` : ''
  return `the listing and the run disagree: ${missing.length} listed test(s) never reported a result: ${shown}${more}`
}

/** Whether the command ended before its tests did: a timeout, a signal, a crashed binary. */
function stoppedEarly(
  outcome: ProcessOutcome,
  tests: TestResult[],
  crashes: TargetCrash[]
): boolean {
  if (outcome.timedOut || outcome.signal !== null || crashes.length > 0) return true
  return tests.some(t => t.outcome === 'crashed' || t.outcome === 'timed-out')
}

const TAIL_LINES = 20
const TAIL_BYTES = 2048

/** The last panic the command printed and the end of its log. */
function evidenceOf(parser: LibtestParser, logPath: string): AttemptEvidence {
  const text = readLogTail(logPath, TAIL_BYTES)
  const lines = text.split('\n')
  // The first line may be cut mid-way by the byte window.
  if (text.length >= TAIL_BYTES) lines.shift()
  const logTail = lines
    .slice(-TAIL_LINES - 1)
    .join('\n')
    .trimEnd()
  const lastPanic = parser.lastPanic()
  return lastPanic === undefined ? { logTail } : { lastPanic, logTail }
}

/** Names the listed tests that never reported, when a multi-threaded run hung. */
function unfinished(req: CaseRequest, tests: TestResult[]): string {
  if (!req.listed) return ''
  const done = new Set(tests.map(t => `${t.target ?? ''}\u0000${t.name}`))
  const left = req.listed
    .filter(t => t.ignored !== true && !done.has(`${t.target ?? ''}\u0000${t.name}`))
    .map(t => t.name)
  if (left.length === 0) return ''
  const shown = left.slice(0, 10).join(', ')
  return `; tests without a result: ${shown}${left.length > 10 ? ` and ${left.length - 10} more` : ''}`
}

/**
 * A single-test case that hung or crashed before libtest printed its name
 * (multi-threaded libtest names a test only when it ends) is still that test.
 */
function blameExactTest(
  req: CaseRequest,
  tests: TestResult[],
  outcome: { timedOut: boolean; signal: string | null; cancelled: boolean }
): void {
  if (req.test === undefined || outcome.cancelled) return
  if (!outcome.timedOut && outcome.signal === null) return
  if (tests.some(t => t.name === req.test && t.outcome !== 'passed')) return
  const known = tests.find(t => t.name === req.test)
  if (known?.outcome === 'passed') return
  tests.push({
    ...(req.targets[0] !== undefined ? { target: req.targets[0] } : {}),
    name: req.test,
    outcome: outcome.timedOut ? 'timed-out' : 'crashed',
    message: outcome.timedOut
      ? `did not finish within ${req.timeoutSeconds}s; the process tree was killed`
      : `the test process was killed by ${outcome.signal}`
  })
}
