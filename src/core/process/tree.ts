/**
 * Finding every process a command started, so a timeout kills the whole tree:
 * the process group first, and also descendants that moved to a group of
 * their own (a plain group kill would leave those running).
 */
import { execFileSync } from 'node:child_process'
import { readdirSync, readFileSync } from 'node:fs'

/** A process seen in the table; `start` guards against pid reuse. */
export interface ProcessInfo {
  pid: number
  ppid: number
  pgid: number
  start: string
}

/** Reads the process table (Linux: /proc; elsewhere: `ps`). */
export function readProcessTable(): ProcessInfo[] {
  return process.platform === 'linux' ? readProc() : readPs()
}

function readProc(): ProcessInfo[] {
  const table: ProcessInfo[] = []
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let stat: string
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
    } catch {
      continue // exited while we looked
    }
    // The command name (field 2) may hold spaces and parentheses: parse after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    const state = fields[0]
    if (state === 'Z' || state === 'X') continue
    table.push({
      pid: Number(entry),
      ppid: Number(fields[1]),
      pgid: Number(fields[2]),
      start: fields[19] ?? ''
    })
  }
  return table
}

function readPs(): ProcessInfo[] {
  let out: string
  try {
    out = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,lstart='], { encoding: 'utf8' })
  } catch {
    return []
  }
  const table: ProcessInfo[] = []
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s+(\d+)\s+(\d+)\s+(.*)$/.exec(line)
    if (m) table.push({ pid: +m[1]!, ppid: +m[2]!, pgid: +m[3]!, start: m[4]!.trim() })
  }
  return table
}

/**
 * Every process below `root` (not `root` itself), plus members of its process
 * group and their descendants (group members orphaned by `root` still count).
 */
export function descendantsOf(root: number, table: ProcessInfo[]): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>()
  for (const p of table) {
    const list = children.get(p.ppid) ?? []
    list.push(p)
    children.set(p.ppid, list)
  }
  const found = new Map<number, ProcessInfo>()
  for (const p of table) if (p.pgid === root && p.pid !== root) found.set(p.pid, p)
  const queue = [root, ...found.keys()]
  while (queue.length > 0) {
    const pid = queue.pop()!
    for (const child of children.get(pid) ?? []) {
      if (found.has(child.pid) || child.pid === root) continue
      found.set(child.pid, child)
      queue.push(child.pid)
    }
  }
  return [...found.values()]
}

/**
 * Environment variable set on each command (value unique per command) and
 * inherited by everything it starts: it finds daemons that left both the tree
 * and the group (double fork + setsid) before we saw them.
 */
export const TREE_MARK_VAR = 'MACE_ACTIONS_PROCESS_TREE'

/** Whether a process's environment holds the mark (Linux; false when unreadable). */
function hasMark(pid: number, needle: Buffer): boolean {
  try {
    return Buffer.concat([Buffer.of(0), readFileSync(`/proc/${pid}/environ`)]).includes(needle)
  } catch {
    return false
  }
}

/**
 * Remembers every descendant ever seen, so processes orphaned when their
 * parent died (and re-parented to init) can still be found and killed.
 */
export class ProcessTracker {
  private readonly seen = new Map<number, ProcessInfo>()
  /** Processes whose environment was read and lacked the mark (pid → start). */
  private unmarked = new Map<number, string>()
  private readonly needle: Buffer | undefined

  /** `mark`: the command's value of TREE_MARK_VAR, if it was given one. */
  constructor(
    private readonly root: number,
    mark?: string
  ) {
    this.needle =
      mark === undefined || process.platform !== 'linux'
        ? undefined
        : Buffer.from(`\0${TREE_MARK_VAR}=${mark}\0`)
  }

  /** Takes a fresh look at the table and records new descendants. */
  refresh(table: ProcessInfo[] = readProcessTable()): void {
    for (const p of descendantsOf(this.root, table)) this.seen.set(p.pid, p)
    if (!this.needle) return
    const unmarked = new Map<number, string>()
    for (const p of table) {
      if (p.pid === process.pid || this.seen.get(p.pid)?.start === p.start) continue
      if (this.unmarked.get(p.pid) !== p.start && hasMark(p.pid, this.needle)) {
        this.seen.set(p.pid, p)
      } else unmarked.set(p.pid, p.start)
    }
    this.unmarked = unmarked
  }

  /** Tracked processes (and group members) that are still alive, pid reuse excluded. */
  alive(table: ProcessInfo[] = readProcessTable()): number[] {
    const byPid = new Map(table.map(p => [p.pid, p]))
    const pids = new Set<number>()
    for (const p of this.seen.values()) {
      if (byPid.get(p.pid)?.start === p.start) pids.add(p.pid)
    }
    for (const p of table) if (p.pgid === this.root) pids.add(p.pid)
    return [...pids]
  }
}

/** Sends a signal to a process group and to each listed pid, ignoring ones already gone. */
export function signalTree(pgid: number, pids: number[], signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal)
  } catch {
    // group already empty
  }
  for (const pid of pids) {
    try {
      process.kill(pid, signal)
    } catch {
      // already gone
    }
  }
}
