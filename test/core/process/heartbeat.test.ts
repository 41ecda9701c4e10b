/**
 * A long command is never a silent log: while it runs, the runner says at a
 * steady interval what runs, how long it has run and its timeout; a command
 * that ends within the interval says nothing more; and every command the
 * product runs asks for these heartbeats.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { heartbeatLine, runProcess } from '../../../src/core/process/runner.js'

let dir: string

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'mace-heartbeat-'))
})

afterEach(() => {
  rmSync(dir, { recursive: true, force: true })
})

/** Runs `sleep <seconds>`, collecting heartbeats every `everyMs`, with their times. */
async function sleepWithBeats(
  seconds: string,
  everyMs: number,
  timeoutSeconds = 600
): Promise<{ beats: { at: number; line: string }[]; endedAt: number }> {
  const beats: { at: number; line: string }[] = []
  const start = Date.now()
  await runProcess({
    argv: ['sleep', seconds],
    cwd: dir,
    env: process.env,
    timeoutSeconds,
    logPath: join(dir, 'sleep.log'),
    heartbeat: line => beats.push({ at: Date.now() - start, line }),
    heartbeatMs: everyMs
  })
  return { beats, endedAt: Date.now() - start }
}

describe('heartbeats of a running command', () => {
  it('come at a steady interval and name the command, the time it has run and its timeout', async () => {
    const { beats, endedAt } = await sleepWithBeats('1.3', 300)
    // 1.3 s at 300 ms: beats at 0.3, 0.6, 0.9 and 1.2 s, fewer only on a very loaded machine.
    expect(beats.length).toBeGreaterThanOrEqual(2)
    expect(beats.length).toBeLessThanOrEqual(4)
    for (const [i, beat] of beats.entries()) {
      expect(beat.line).toMatch(/^still running after \d+\.\ds \(timeout 10m 00s\): sleep 1\.3$/)
      // Never before its time: the i-th beat after (i + 1) intervals.
      expect(beat.at).toBeGreaterThanOrEqual((i + 1) * 300 - 20)
      expect(beat.at).toBeLessThanOrEqual(endedAt)
    }
  })

  it('stop when the command ends: one shorter than the interval gives none', async () => {
    const { beats } = await sleepWithBeats('0.2', 1000)
    expect(beats).toEqual([])
  })

  it('say when a command has no timeout', async () => {
    const { beats } = await sleepWithBeats('0.5', 200, 0)
    expect(beats[0]?.line).toMatch(/^still running after 0\.\ds \(no timeout\): sleep 0\.5$/)
  })
})

describe('the heartbeat line', () => {
  it('reads in minutes and hours past a minute, and cuts a very long command', () => {
    expect(heartbeatLine(['cargo', 'test'], 125_000, 600)).toBe(
      'still running after 2m 05s (timeout 10m 00s): cargo test'
    )
    expect(heartbeatLine(['cargo', 'bench'], 3_720_000, 7200)).toBe(
      'still running after 1h 02m (timeout 2h 00m): cargo bench'
    )
    const long = heartbeatLine(['x'.repeat(300)], 60_000, 60)
    expect(long).toMatch(/: x{199}…$/)
  })
})

describe('every command the product runs', () => {
  it('asks the runner for heartbeats (each runProcess call in src/ passes one)', () => {
    const src = resolve(import.meta.dirname, '../../../src')
    const calls: { file: string; call: string }[] = []
    for (const file of sourceFiles(src)) {
      const text = readFileSync(file, 'utf8')
      for (const m of text.matchAll(/await runProcess\(\{/g)) {
        const end = text.indexOf('\n  })', m.index)
        calls.push({ file, call: text.slice(m.index, end) })
      }
    }
    expect(calls.length).toBeGreaterThanOrEqual(4)
    for (const { file, call } of calls) expect(call, file).toMatch(/\bheartbeat\b/)
  })
})

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap(name => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourceFiles(path)
    return path.endsWith('.ts') ? [path] : []
  })
}
