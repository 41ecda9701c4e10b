/**
 * Runs one command with a timeout that kills its whole process tree. The
 * child writes stdout and stderr straight into its log file (one file, in the
 * order it wrote them, never held in our memory); we tail that file to feed a
 * line parser and the step log.
 */
import { spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { closeSync, fstatSync, mkdirSync, openSync, readSync } from 'node:fs'
import { open } from 'node:fs/promises'
import { dirname } from 'node:path'
import { StringDecoder } from 'node:string_decoder'
import { formatDuration } from '../shared/text.js'
import { LineSplitter } from './line-splitter.js'
import { ProcessTracker, TREE_MARK_VAR, readProcessTable, signalTree } from './tree.js'

/** What to run and how to watch it. */
export interface ProcessRequest {
  argv: string[]
  cwd: string
  env: NodeJS.ProcessEnv
  /** Seconds before the tree is terminated; 0 means no limit. */
  timeoutSeconds: number
  /** Full output goes here (created or truncated). */
  logPath: string
  /** Time between SIGTERM and SIGKILL. */
  graceMs?: number
  /** Called for each output line, in order. */
  onLine?: (line: string) => void
  /** Receives raw output for the step log, up to `echoLimitBytes`. */
  echo?: (chunk: string) => void
  echoLimitBytes?: number
  maxLineBytes?: number
  /** Aborting terminates the tree as a timeout would, and marks the result cancelled. */
  signal?: AbortSignal
  /**
   * Receives a line every `heartbeatMs` while the command runs (what runs, how
   * long it has, its timeout), so a long command is never a silent log.
   */
  heartbeat?: (line: string) => void
  /** Between heartbeats, ms; the first comes after one interval. Default 60 s. */
  heartbeatMs?: number
}

/** How the command ended. */
export interface ProcessOutcome {
  exitCode: number | null
  signal: string | null
  timedOut: boolean
  cancelled: boolean
  durationMs: number
  outputBytes: number
  outputTruncated: boolean
  /** Processes left behind by the command after it ended (they were killed). */
  leakedProcesses: number
  /** Set when the command could not be started at all. */
  spawnError?: string
}

const POLL_MS = 50
const TRACK_MS = 500
const CANCEL_GRACE_MS = 2000
const DEFAULT_ECHO_LIMIT = 8 * 1024 * 1024
const HEARTBEAT_MS = 60_000

/** Runs a command to completion (or timeout) and reports how it ended. */
export async function runProcess(req: ProcessRequest): Promise<ProcessOutcome> {
  mkdirSync(dirname(req.logPath), { recursive: true })
  const fd = openSync(req.logPath, 'w')
  const started = Date.now()
  const tail = new LogTail(req)
  const mark = randomUUID()
  let child
  try {
    child = spawn(req.argv[0]!, req.argv.slice(1), {
      cwd: req.cwd,
      env: { ...req.env, [TREE_MARK_VAR]: mark },
      stdio: ['ignore', fd, fd],
      // Own process group, so the group can be signalled as one.
      detached: true
    })
  } finally {
    closeSync(fd)
  }
  const exited = new Promise<{ code: number | null; signal: string | null; error?: string }>(
    resolve => {
      child.once('error', e => resolve({ code: null, signal: null, error: e.message }))
      child.once('exit', (code, signal) => resolve({ code, signal }))
    }
  )
  const pid = child.pid
  let timedOut = false
  let cancelled = false
  let killing: Promise<void> | undefined
  const tracker = pid === undefined ? undefined : new ProcessTracker(pid, mark)
  const terminate = (graceMs: number): void => {
    if (pid === undefined || killing) return
    killing = killTree(pid, tracker!, graceMs, exited)
  }
  const timer =
    req.timeoutSeconds > 0
      ? setTimeout(() => {
          timedOut = true
          terminate(req.graceMs ?? 5000)
        }, req.timeoutSeconds * 1000)
      : undefined
  const onAbort = (): void => {
    cancelled = true
    // The runner kills everything 10 s after cancelling: leave time to write results.
    terminate(Math.min(req.graceMs ?? 5000, CANCEL_GRACE_MS))
  }
  req.signal?.addEventListener('abort', onAbort, { once: true })
  if (req.signal?.aborted) onAbort()
  const tracking = setInterval(() => tracker?.refresh(), TRACK_MS)
  tracker?.refresh()
  const beating = startHeartbeat(req, started)

  const tailing = tail.follow(exited)
  const end = await exited
  clearTimeout(timer)
  clearInterval(tracking)
  clearInterval(beating)
  req.signal?.removeEventListener('abort', onAbort)
  if (killing) await killing
  // Whatever the command left running (daemons, orphaned grandchildren) must not outlive it.
  let leaked = 0
  if (tracker) {
    tracker.refresh()
    const left = tracker.alive()
    leaked = left.length
    if (leaked > 0) await killTree(pid!, tracker, 0, Promise.resolve())
  }
  await tailing
  return {
    exitCode: end.code,
    signal: end.signal,
    timedOut,
    cancelled,
    durationMs: Date.now() - started,
    outputBytes: tail.bytes,
    outputTruncated: tail.bytes > (req.echoLimitBytes ?? DEFAULT_ECHO_LIMIT),
    leakedProcesses: killing ? 0 : leaked,
    ...(end.error !== undefined ? { spawnError: end.error } : {})
  }
}

/** Beats every `heartbeatMs` while the command runs; undefined when nobody listens. */
function startHeartbeat(req: ProcessRequest, started: number): NodeJS.Timeout | undefined {
  const say = req.heartbeat
  if (!say) return undefined
  return setInterval(
    () => say(heartbeatLine(req.argv, Date.now() - started, req.timeoutSeconds)),
    req.heartbeatMs ?? HEARTBEAT_MS
  )
}

/** `still running after 2m 00s (timeout 10m 00s): cargo test …`, the command cut at 200 characters. */
export function heartbeatLine(argv: string[], elapsedMs: number, timeoutSeconds: number): string {
  const command = argv.join(' ')
  const shown = command.length > 200 ? `${command.slice(0, 199)}…` : command
  const limit =
    timeoutSeconds > 0 ? `timeout ${formatDuration(timeoutSeconds * 1000)}` : 'no timeout'
  return `still running after ${formatDuration(elapsedMs)} (${limit}): ${shown}`
}

/** SIGTERM to the tree, a grace period, then SIGKILL to whatever is left. */
async function killTree(
  pgid: number,
  tracker: ProcessTracker,
  graceMs: number,
  exited: Promise<unknown>
): Promise<void> {
  tracker.refresh()
  signalTree(pgid, tracker.alive(), 'SIGTERM')
  const deadline = Date.now() + graceMs
  while (Date.now() < deadline) {
    await sleep(Math.min(100, Math.max(1, deadline - Date.now())))
    const table = readProcessTable()
    tracker.refresh(table)
    if (tracker.alive(table).length === 0 && (await settled(exited))) return
  }
  for (let i = 0; i < 20; i++) {
    const table = readProcessTable()
    tracker.refresh(table)
    const left = tracker.alive(table)
    if (left.length === 0) return
    signalTree(pgid, left, 'SIGKILL')
    await sleep(50)
  }
}

async function settled(p: Promise<unknown>): Promise<boolean> {
  return Promise.race([p.then(() => true), sleep(0).then(() => false)])
}

function sleep(ms: number): Promise<void> {
  return new Promise(resolve => setTimeout(resolve, ms))
}

/** Follows the log file as the child writes it. */
class LogTail {
  bytes = 0
  private echoed = 0
  // Output is read in arbitrary pieces: never echo half a UTF-8 character.
  private readonly decoder = new StringDecoder('utf8')
  private readonly splitter: LineSplitter
  private readonly echoLimit: number

  constructor(private readonly req: ProcessRequest) {
    this.splitter = new LineSplitter(line => req.onLine?.(line), req.maxLineBytes)
    this.echoLimit = req.echoLimitBytes ?? DEFAULT_ECHO_LIMIT
  }

  async follow(exited: Promise<unknown>): Promise<void> {
    const file = await open(this.req.logPath, 'r')
    const buffer = Buffer.alloc(1024 * 1024)
    let done = false
    void exited.then(() => (done = true))
    try {
      for (;;) {
        const finished = done
        const { bytesRead } = await file.read(buffer, 0, buffer.length, this.bytes)
        if (bytesRead > 0) {
          this.take(buffer.subarray(0, bytesRead))
          continue
        }
        // The child has exited and everything it wrote has been read.
        if (finished) break
        await sleep(POLL_MS)
      }
    } finally {
      await file.close()
    }
    this.splitter.end()
    if (this.bytes <= this.echoLimit) {
      const rest = this.decoder.end()
      if (rest !== '') this.req.echo?.(rest)
    } else {
      this.req.echo?.(
        `\n[… ${this.bytes - this.echoed} more bytes of output not echoed here; full log: ${this.req.logPath}]\n`
      )
    }
  }

  private take(chunk: Buffer): void {
    this.bytes += chunk.length
    this.splitter.push(chunk)
    if (this.req.echo && this.echoed < this.echoLimit) {
      const part = chunk.subarray(0, this.echoLimit - this.echoed)
      this.echoed += part.length
      const text = this.decoder.write(part)
      if (text !== '') this.req.echo(text)
    }
  }
}

/** Reads the last `bytes` of a log file, for error messages. */
export function readLogTail(path: string, bytes = 4096): string {
  let fd: number
  try {
    fd = openSync(path, 'r')
  } catch {
    return ''
  }
  try {
    const start = Math.max(0, fstatSync(fd).size - bytes)
    const buffer = Buffer.alloc(bytes)
    const n = readSync(fd, buffer, 0, bytes, start)
    return buffer.subarray(0, n).toString('utf8')
  } finally {
    closeSync(fd)
  }
}
