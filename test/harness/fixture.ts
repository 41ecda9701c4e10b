/** Helpers for tests that drive the real fixture crate. */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { inject } from 'vitest'
import { resolveTestSettings, type TestSettings } from '../../src/core/layers/settings.js'

/** The shared, already built copy of the fixture crate (a git repo of its own). */
export function fixtureDir(): string {
  return inject('fixtureDir')
}

/** 1-based line of the line carrying `// FIXTURE: <marker>` in a fixture file. */
export function markerLine(relativeFile: string, marker: string): number {
  const lines = readFileSync(join(fixtureDir(), relativeFile), 'utf8').split('\n')
  const i = lines.findIndex(l => l.includes(`// FIXTURE: ${marker}`))
  if (i === -1) throw new Error(`marker ${marker} not found in ${relativeFile}`)
  return i + 1
}

/** Settings for a run on the fixture, as flags would give them; output in a fresh temp dir. */
export function fixtureSettings(
  flags: Record<string, string>,
  env: NodeJS.ProcessEnv = {}
): TestSettings {
  const dir = fixtureDir()
  const outputDir = mkdtempSync(join(tmpdir(), 'mace-out-'))
  return resolveTestSettings(
    { get: n => ({ 'output-dir': outputDir, ...flags })[n], describe: n => `flag --${n}` },
    env,
    dir,
    dir
  )
}

/** Environment for the fixture's commands: ours plus the misbehaviour switches. */
export function fixtureEnv(switches: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env }
  for (const k of Object.keys(env)) if (k.startsWith('FIXTURE_')) delete env[k]
  return { ...env, ...switches }
}

/** Whether a process still runs; a zombie (exited, not yet reaped) counts as gone. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
  } catch {
    return false
  }
  try {
    return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'))
  } catch {
    return false
  }
}

/** Pids of the `<role>-<pid>` files the fixture writes into FIXTURE_PID_DIR. */
export function pidsIn(dir: string): number[] {
  return readdirSync(dir).map(f => Number(f.split('-').pop()))
}
