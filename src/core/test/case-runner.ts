/**
 * Runs one case of a layer: its command, retried up to `maxAttempts` times,
 * each attempt parsed into per-test outcomes.
 */
import { join } from 'node:path'
import { LibtestParser } from '../libtest/parser.js'
import type { Logger } from '../shared/logger.js'
import { runProcess } from '../process/runner.js'
import type { Attempt, CaseResult, CaseStatus, LayerName, TestResult } from './results.js'

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
  /** Names listed for the selection, to name the tests a hang left without a result. */
  listed?: string[]
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
    status: statusOf(attempts),
    attempts,
    maxAttempts: req.maxAttempts
  }
}

function statusOf(attempts: Attempt[]): CaseStatus {
  const last = attempts[attempts.length - 1]
  if (!last) return 'error'
  if (last.passed) return attempts.length > 1 ? 'flaky' : 'passed'
  return last.command.timedOut ? 'timed-out' : 'failed'
}

async function runAttempt(req: CaseRequest, number: number): Promise<Attempt> {
  const slug = req.id.replace(/[^A-Za-z0-9_.-]+/g, '_')
  const logPath = join(req.logDir, `${String(req.seq).padStart(2, '0')}-${slug}.${number}.log`)
  const parser = new LibtestParser({ repoRoot: req.repoRoot, cwd: req.cwd })
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
    exitCode: outcome.exitCode
  })
  blameExactTest(req, tests, outcome)
  const failedTests = tests.filter(t => t.outcome !== 'passed' && t.outcome !== 'ignored')
  const ran = tests.filter(t => t.outcome !== 'ignored').length
  let error: string | undefined
  if (outcome.spawnError) error = `could not start ${req.argv[0]}: ${outcome.spawnError}`
  else if (outcome.cancelled) error = 'cancelled before it finished'
  else if (outcome.timedOut && !tests.some(t => t.outcome === 'timed-out')) {
    error = `timed out after ${req.timeoutSeconds}s${unfinished(req, tests)}`
  } else if (outcome.exitCode !== 0 && failedTests.length === 0) {
    error = outcome.signal
      ? `killed by ${outcome.signal} with no test left to blame`
      : `exited with code ${outcome.exitCode} with no failed test to blame: see the log`
  } else if (outcome.exitCode === 0 && ran === 0) {
    error = 'the command passed but ran no test'
  }
  const passed = outcome.exitCode === 0 && !outcome.timedOut && error === undefined
  const verdict = passed ? 'passed' : outcome.timedOut ? 'TIMED OUT' : 'FAILED'
  req.logger.info(
    `${title}: ${verdict} in ${(outcome.durationMs / 1000).toFixed(1)}s (log: ${logPath})`
  )
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
    ...(error !== undefined ? { error } : {})
  }
}

/** Names the listed tests that never reported, when a multi-threaded run hung. */
function unfinished(req: CaseRequest, tests: TestResult[]): string {
  if (!req.listed) return ''
  const done = new Set(tests.map(t => t.name))
  const left = req.listed.filter(n => !done.has(n))
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
