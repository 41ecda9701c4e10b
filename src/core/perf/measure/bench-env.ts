/**
 * The threshold file's keys in the bench processes' environment. The reference
 * sources the file with `set -a`, so every key in it (the bench's own knobs
 * too: `MACE_BENCH_QUICK`, item counts, measurement seconds) reaches `cargo
 * bench` and the bench. We read the file as data (threshold-file.ts) and pass
 * each key on by value, never expanded; a variable the user set in the
 * environment wins (SPEC §1 "Perf gate").
 */
import { relative } from 'node:path'
import type { BenchEnvEntry } from '../results.js'
import type { ThresholdFile } from '../judge/threshold-file.js'

/** The environment of the builds and bench processes, and where each file key came from. */
export interface BenchEnvironment {
  env: NodeJS.ProcessEnv
  /** Every key of the file: its value from the file, or `environment` when the user's won. */
  entries: Record<string, BenchEnvEntry>
}

/**
 * Fills `env` with the file's keys. A key the environment leaves unset takes the file's value;
 * an empty one takes it too unless the line is `${KEY=VALUE}` (which, in a shell, fills only
 * an unset variable); any other value in the environment wins.
 * `path` names the file in `entries` (relative to `root` when inside it).
 */
export function benchEnvironment(
  env: NodeJS.ProcessEnv,
  file: ThresholdFile,
  path: string,
  root: string
): BenchEnvironment {
  const out: NodeJS.ProcessEnv = { ...env }
  const entries: Record<string, BenchEnvEntry> = {}
  const shown = relative(root, path).startsWith('..') ? path : relative(root, path)
  for (const [key, entry] of file) {
    const current = env[key]
    const fills = current === undefined || (current === '' && entry.kind !== 'default-if-unset')
    if (fills) {
      out[key] = entry.value
      entries[key] = { from: `${shown}:${entry.line}`, value: entry.value }
    } else {
      entries[key] = { from: 'environment' }
    }
  }
  return { env: out, entries }
}
