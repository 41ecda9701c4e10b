/**
 * The runner's fingerprint: CPU model, cores, kernel, compiler and metric. A
 * history compares only points of one fingerprint; a new one starts a new
 * series and is said, never judged as a shift.
 */
import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { availableParallelism, cpus, release } from 'node:os'
import { promisify } from 'node:util'
import type { PerfMetric } from '../perf/results.js'
import type { Fingerprint } from './point.js'

const run = promisify(execFile)

/**
 * This machine's fingerprint for `metric`, with the compiler `rustc` gives in `cwd` (so a
 * `rust-toolchain.toml` there applies).
 * @throws Error when rustc cannot be run: a bench could not have been built either.
 */
export async function runnerFingerprint(
  metric: PerfMetric,
  cwd: string,
  env: NodeJS.ProcessEnv = process.env
): Promise<Fingerprint> {
  let rustc: string
  try {
    rustc = (await run('rustc', ['--version'], { cwd, env })).stdout.trim()
  } catch (error) {
    throw new Error(`rustc --version failed in ${cwd}: ${(error as Error).message}`)
  }
  return { cpu: cpuModel(), cores: availableParallelism(), kernel: release(), rustc, metric }
}

/** The CPU model: `/proc/cpuinfo`'s model name on Linux, else what Node reports. */
function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8')
    const model = /^model name\s*:\s*(.+)$/m.exec(info)?.[1]?.trim()
    if (model) return model.replace(/\s+/g, ' ')
  } catch {
    // not Linux
  }
  return cpus()[0]?.model.trim().replace(/\s+/g, ' ') || 'unknown CPU'
}

/** A short stable id of a fingerprint (12 hex digits of the SHA-256 of its fields). */
export function fingerprintId(f: Fingerprint): string {
  const canonical = JSON.stringify([f.cpu, f.cores, f.kernel, f.rustc, f.metric])
  return createHash('sha256').update(canonical).digest('hex').slice(0, 12)
}

/** Whether two fingerprints are the same runner. */
export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  return fingerprintId(a) === fingerprintId(b)
}

/** What changed between two fingerprints, e.g. `kernel 6.5.0-1025-azure → 6.8.0-1017-azure`. */
export function fingerprintChange(from: Fingerprint, to: Fingerprint): string {
  const fields: (keyof Fingerprint)[] = ['cpu', 'cores', 'kernel', 'rustc', 'metric']
  const changed = fields
    .filter(k => from[k] !== to[k])
    .map(k => `${k} ${String(from[k])} → ${String(to[k])}`)
  return changed.join(', ') || 'nothing'
}

/** A fingerprint in one line, for summaries and the page. */
export function describeFingerprint(f: Fingerprint): string {
  return `${f.cpu}, ${f.cores} cores, kernel ${f.kernel}, ${f.rustc}, ${f.metric}`
}
