/**
 * Where the two processes of a duet round run: two CPUs of the set this
 * process may use, each side pinned to one with `taskset` (util-linux), so
 * neither side's process migrates onto the other's core. Found at run time:
 * a runner that allows fewer than two CPUs, has no taskset, or is not Linux
 * runs the duet unpinned, and the summary says why.
 */
import { spawnSync } from 'node:child_process'
import { readFileSync } from 'node:fs'

/** The CPUs a duet pins its sides to, or why it runs unpinned. */
export type DuetCpus = { cpus: [number, number] } | { unpinned: string }

/**
 * Reads `Cpus_allowed_list` of /proc/self/status (e.g. `0-3,6`) and checks `taskset`. Picks the
 * last two allowed CPUs: CPU 0 takes more of the machine's interrupts on most kernels.
 */
export function duetCpus(
  platform: NodeJS.Platform = process.platform,
  status: () => string = () => readFileSync('/proc/self/status', 'utf8'),
  hasTaskset: () => boolean = tasksetWorks
): DuetCpus {
  if (platform !== 'linux') return { unpinned: `CPU pinning needs Linux (this is ${platform})` }
  let allowed: number[]
  try {
    allowed = parseCpuList(/^Cpus_allowed_list:\s*(.+)$/m.exec(status())?.[1] ?? '')
  } catch {
    return { unpinned: 'the CPUs this process may use could not be read (/proc/self/status)' }
  }
  if (allowed.length < 2) {
    return {
      unpinned: `this process may use ${allowed.length === 1 ? 'only CPU ' + allowed[0] : 'no CPU it can name'}: two are needed to give each side its own`
    }
  }
  if (!hasTaskset()) return { unpinned: 'taskset (util-linux) is not installed' }
  return { cpus: [allowed.at(-2)!, allowed.at(-1)!] }
}

/** `0-3,6` → [0, 1, 2, 3, 6], sorted and without repeats. */
export function parseCpuList(text: string): number[] {
  const cpus = new Set<number>()
  for (const part of text.trim().split(',')) {
    if (part.trim() === '') continue
    const m = /^(\d+)(?:-(\d+))?$/.exec(part.trim())
    if (!m) throw new Error(`not a CPU list: '${text}'`)
    const from = Number(m[1])
    const to = m[2] === undefined ? from : Number(m[2])
    for (let c = from; c <= to; c++) cpus.add(c)
  }
  return [...cpus].sort((a, b) => a - b)
}

/** The command prefix that pins a process to `cpu`. */
export function pinnedTo(cpu: number): string[] {
  return ['taskset', '-c', String(cpu)]
}

function tasksetWorks(): boolean {
  return spawnSync('taskset', ['--version'], { stdio: 'ignore' }).status === 0
}
