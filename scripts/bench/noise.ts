/**
 * Injected noise for the gate benchmark: one child process that burns CPU
 * with a duty cycle that changes at random every 0.1–1 s (idle to fully
 * busy), pinned to the last core when `taskset` exists. It dies with its
 * parent: stopped explicitly, on exit, on Ctrl-C, and when the IPC channel to
 * the parent closes (the parent was killed).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { availableParallelism } from 'node:os'

const BURNER = `
process.on('disconnect', () => process.exit(0))
let duty = 0, until = 0
const sleep = ms => new Promise(r => setTimeout(r, ms))
;(async () => {
  for (;;) {
    const now = Date.now()
    if (now >= until) { duty = Math.random(); until = now + 100 + Math.random() * 900 }
    const busyUntil = Date.now() + duty * 10
    while (Date.now() < busyUntil) {}
    await sleep(Math.max(1, (1 - duty) * 10))
  }
})()
`

/** A running CPU burner; `stop` is idempotent. */
export interface Noise {
  stop(): void
}

/** Starts the burner. */
export function startNoise(): Noise {
  const core = availableParallelism() - 1
  const pinned = spawnSync('taskset', ['--version']).status === 0
  const argv = pinned
    ? ['taskset', '-c', String(core), process.execPath, '-e', BURNER]
    : [process.execPath, '-e', BURNER]
  const child: ChildProcess = spawn(argv[0]!, argv.slice(1), {
    stdio: ['ignore', 'ignore', 'inherit', 'ipc']
  })
  const stop = (): void => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    process.off('exit', stop)
  }
  process.on('exit', stop)
  return { stop }
}

const SPINNER = `
process.on('disconnect', () => process.exit(0))
let x = 0
for (;;) x = (x + 1) % 1e9
`

/**
 * The "busy runner": `count` CPU-bound processes (each spins on one core all the time), not
 * pinned, as other jobs on a shared runner are not; killed by `stop`, on exit and on Ctrl-C.
 */
export function startBusy(count = 2): Noise {
  const children: ChildProcess[] = Array.from({ length: count }, () =>
    spawn(process.execPath, ['-e', SPINNER], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] })
  )
  const stop = (): void => {
    for (const child of children) {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
    }
    process.off('exit', stop)
  }
  process.on('exit', stop)
  return { stop }
}

/** Ctrl-C and SIGTERM end the script through `exit`, so every burner is killed. */
export function exitOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => process.exit(130))
  }
}
