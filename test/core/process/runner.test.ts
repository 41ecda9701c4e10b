/**
 * Running one command the way every cargo command is run: output in one log
 * file in the order it was written, lines fed to a parser as they come, and a
 * timeout (or a cancel) that leaves no process of the command alive.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { readLogTail, runProcess, type ProcessRequest } from '../../../src/core/process/runner.js'
import { ProcessTracker, descendantsOf, type ProcessInfo } from '../../../src/core/process/tree.js'

let dir: string
const started: number[] = []

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mace-process-'))
})

afterEach(() => {
  // A failed test must not leave its sleepers behind for the rest of the suite.
  for (const pid of started.splice(0)) if (!isGone(pid)) process.kill(pid, 'SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Runs `script` with `sh -c` in the test's directory. */
function sh(script: string, options: Partial<ProcessRequest> = {}): ReturnType<typeof runProcess> {
  return runProcess({
    argv: ['sh', '-c', script],
    cwd: dir,
    env: process.env,
    timeoutSeconds: 10,
    logPath: join(dir, 'logs', 'command.log'),
    graceMs: 200,
    ...options
  })
}

/** The pid a script wrote to `name` (recorded so that cleanup can find it). */
function pidFrom(name: string): number {
  const pid = Number(readFileSync(join(dir, name), 'utf8').trim())
  expect(pid).toBeGreaterThan(1)
  started.push(pid)
  return pid
}

/** The `/proc/<pid>/stat` fields after the command name (state first). */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')
  } catch {
    return undefined
  }
}

/** True when no such process runs; a zombie (killed, not yet reaped by init) counts as gone. */
function isGone(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return true
  }
  const state = statFields(pid)?.[0]
  return state === undefined || state === 'Z' || state === 'X'
}

/** Shell that waits until the file `name` exists. */
const waitFor = (name: string): string => `while [ ! -s ${name} ]; do sleep 0.01; done`

describe('how a command ended', () => {
  it('reports the exit code of a command that exits by itself', async () => {
    const outcome = await sh('exit 3')
    expect(outcome).toMatchObject({
      exitCode: 3,
      signal: null,
      timedOut: false,
      cancelled: false,
      leakedProcesses: 0
    })
    expect(outcome.spawnError).toBeUndefined()
  })

  it('reports the signal that killed a command', async () => {
    const outcome = await sh('kill -KILL $$')
    expect(outcome).toMatchObject({ exitCode: null, signal: 'SIGKILL', timedOut: false })
  })

  it('reports a command that cannot be started as a spawn error, without throwing', async () => {
    const outcome = await runProcess({
      argv: ['mace-no-such-command-here'],
      cwd: dir,
      env: process.env,
      timeoutSeconds: 10,
      logPath: join(dir, 'missing.log')
    })
    expect(outcome.spawnError).toMatch(/ENOENT/)
    expect(outcome).toMatchObject({ exitCode: null, timedOut: false, outputBytes: 0 })
  })

  it('runs in the given directory with the given environment', async () => {
    const lines: string[] = []
    await sh('pwd; echo "knob=$MACE_PROD_BUCKET_STRESS_ROUNDS"', {
      env: { ...process.env, MACE_PROD_BUCKET_STRESS_ROUNDS: '64' },
      onLine: line => lines.push(line)
    })
    expect(lines).toEqual([dir, 'knob=64'])
  })
})

describe('output', () => {
  it('keeps interleaved stdout and stderr in the log file in the order they were written', async () => {
    const outcome = await sh(
      'echo out 1; echo err 1 >&2; echo out 2; echo err 2 >&2; echo err 3 >&2; echo out 3'
    )
    const log = readFileSync(join(dir, 'logs', 'command.log'), 'utf8')
    expect(log).toBe('out 1\nerr 1\nout 2\nerr 2\nerr 3\nout 3\n')
    expect(outcome.outputBytes).toBe(Buffer.byteLength(log))
  })

  it('feeds every line to onLine in order, the last one even without a newline', async () => {
    const lines: string[] = []
    await sh(
      `printf 'running 2 tests\\r\\ntest a ... ok\\n' ; echo oops >&2; printf 'test b ... '`,
      {
        onLine: line => lines.push(line)
      }
    )
    expect(lines).toEqual(['running 2 tests', 'test a ... ok', 'oops', 'test b ... '])
  })

  it('feeds lines while the command is still running', async () => {
    // The command finishes only after onLine has seen its first line.
    const outcome = await sh(`echo ready; ${waitFor('go')}; echo done`, {
      timeoutSeconds: 10,
      onLine: line => {
        if (line === 'ready') writeFileSync(join(dir, 'go'), 'yes')
      }
    })
    expect(outcome).toMatchObject({ exitCode: 0, timedOut: false })
  })

  it('caps lines at maxLineBytes', async () => {
    const lines: string[] = []
    await sh('printf "%0100d\\nend\\n" 0', { maxLineBytes: 10, onLine: line => lines.push(line) })
    expect(lines).toEqual(['0000000000 […line truncated]', 'end'])
  })

  it('echoes output to the step log up to echoLimitBytes, then says where the rest is', async () => {
    let echoed = ''
    const logPath = join(dir, 'big.log')
    const outcome = await sh('printf "%0100d" 0', {
      logPath,
      echoLimitBytes: 10,
      echo: chunk => (echoed += chunk)
    })
    expect(echoed).toBe(
      `0000000000\n[… 90 more bytes of output not echoed here; full log: ${logPath}]\n`
    )
    expect(outcome).toMatchObject({ outputBytes: 100, outputTruncated: true })
    expect(readFileSync(logPath, 'utf8')).toBe('0'.repeat(100))
  })

  it('echoes everything, with no note, when the output fits', async () => {
    let echoed = ''
    const outcome = await sh('echo short', { echoLimitBytes: 100, echo: c => (echoed += c) })
    expect(echoed).toBe('short\n')
    expect(outcome.outputTruncated).toBe(false)
  })

  it('echoes a character split across two writes whole', async () => {
    let echoed = ''
    // ✓ is e2 9c 93: written in two pieces with a pause between them.
    await sh(`printf '\\342'; sleep 0.2; printf '\\234\\223 done\\n'`, {
      echo: c => (echoed += c)
    })
    expect(echoed).toBe('✓ done\n')
  })

  it('readLogTail gives the end of a log for error messages, and nothing for a missing log', async () => {
    await sh('printf "first line\\nerror: could not compile\\n"')
    expect(readLogTail(join(dir, 'logs', 'command.log'), 25)).toBe('error: could not compile\n')
    expect(readLogTail(join(dir, 'no.log'))).toBe('')
  })
})

describe('timeouts and cancelling', () => {
  it('a hanging command is killed at its timeout with its whole process tree', async () => {
    let ownGroup: string | undefined
    const outcome = await sh(
      [
        'sleep 30 & echo $! > sibling.pid',
        `setsid sh -c 'echo $$ > own-group.pid; exec sleep 30' &`,
        waitFor('own-group.pid'),
        'echo started',
        'sleep 30'
      ].join('\n'),
      {
        timeoutSeconds: 0.5,
        onLine: line => {
          if (line === 'started') ownGroup = statFields(pidFrom('own-group.pid'))?.[2]
        }
      }
    )
    const sibling = pidFrom('sibling.pid')
    const grandchild = pidFrom('own-group.pid')
    // The grandchild really had left the command's process group.
    expect(ownGroup).toBe(String(grandchild))
    expect(outcome).toMatchObject({ timedOut: true, cancelled: false, signal: 'SIGTERM' })
    expect(outcome.durationMs).toBeLessThan(10_000)
    expect(isGone(sibling)).toBe(true)
    expect(isGone(grandchild)).toBe(true)
  })

  it('a process that daemonized (own session, parent gone) is killed at the timeout too', async () => {
    const outcome = await sh(
      [
        `(setsid sh -c 'echo $$ > daemon.pid; exec sleep 30' &)`,
        waitFor('daemon.pid'),
        'sleep 30'
      ].join('\n'),
      { timeoutSeconds: 0.5 }
    )
    expect(outcome.timedOut).toBe(true)
    expect(isGone(pidFrom('daemon.pid'))).toBe(true)
  })

  it('a command that ignores SIGTERM is killed with SIGKILL after the grace period', async () => {
    const outcome = await sh(
      `trap '' TERM; echo $$ > root.pid; sleep 30 & echo $! > child.pid; wait`,
      {
        timeoutSeconds: 0.3,
        graceMs: 300
      }
    )
    expect(outcome).toMatchObject({ timedOut: true, signal: 'SIGKILL' })
    expect(outcome.durationMs).toBeLessThan(10_000)
    expect(isGone(pidFrom('root.pid'))).toBe(true)
    expect(isGone(pidFrom('child.pid'))).toBe(true)
  })

  it('aborting the signal cancels the command and kills its tree', async () => {
    const cancel = new AbortController()
    const outcome = await sh(`sleep 30 & echo $! > child.pid; echo started; wait`, {
      timeoutSeconds: 10,
      signal: cancel.signal,
      onLine: line => {
        if (line === 'started') cancel.abort()
      }
    })
    expect(outcome).toMatchObject({ cancelled: true, timedOut: false, signal: 'SIGTERM' })
    expect(outcome.durationMs).toBeLessThan(10_000)
    expect(isGone(pidFrom('child.pid'))).toBe(true)
  })

  it('a command started with an already aborted signal is cancelled at once', async () => {
    const outcome = await sh('echo $$ > root.pid; sleep 30', {
      signal: AbortSignal.abort(),
      timeoutSeconds: 10
    })
    expect(outcome).toMatchObject({ cancelled: true, timedOut: false, exitCode: null })
    expect(outcome.durationMs).toBeLessThan(10_000)
    if (existsSync(join(dir, 'root.pid'))) expect(isGone(pidFrom('root.pid'))).toBe(true)
  })
})

describe('processes left behind', () => {
  it('a background process left running by a command that exited is killed and reported', async () => {
    const outcome = await sh('sleep 30 & echo $! > leak.pid; exit 0')
    expect(outcome).toMatchObject({ exitCode: 0, timedOut: false, leakedProcesses: 1 })
    expect(isGone(pidFrom('leak.pid'))).toBe(true)
  })

  it('a process that left the group and outlived the command is killed and reported', async () => {
    const outcome = await sh(
      `setsid sh -c 'echo $$ > daemon.pid; exec sleep 30' & ${waitFor('daemon.pid')}; exit 0`
    )
    expect(outcome).toMatchObject({ exitCode: 0, leakedProcesses: 1 })
    expect(isGone(pidFrom('daemon.pid'))).toBe(true)
  })

  it('a command that waits for its children leaves nothing behind', async () => {
    const outcome = await sh('sleep 0.1 & wait')
    expect(outcome).toMatchObject({ exitCode: 0, leakedProcesses: 0 })
  })
})

describe('finding the process tree', () => {
  const p = (pid: number, ppid: number, pgid: number, start = 's'): ProcessInfo => ({
    pid,
    ppid,
    pgid,
    start
  })

  it('includes children, grandchildren and group members, but not the root or strangers', () => {
    const table = [
      p(100, 1, 100), // root
      p(101, 100, 100), // child
      p(102, 101, 102), // grandchild in its own group
      p(103, 1, 100), // orphaned group member
      p(104, 103, 104), // its child, in a group of its own
      p(200, 1, 200) // unrelated
    ]
    const found = descendantsOf(100, table)
      .map(x => x.pid)
      .sort()
    expect(found).toEqual([101, 102, 103, 104])
  })

  it('a tracked process stays known after it is orphaned, but a reused pid is not mistaken for it', () => {
    const tracker = new ProcessTracker(100)
    tracker.refresh([p(100, 1, 100), p(101, 100, 101, 'early'), p(102, 100, 102, 'early')])
    // The root is gone; 101 now belongs to init; 102 exited and its pid went to another process.
    const later = [p(101, 1, 101, 'early'), p(102, 1, 102, 'late')]
    expect(tracker.alive(later)).toEqual([101])
  })
})
