/**
 * An output directory on a full disk is refused before anything runs, naming
 * the flag, the directory and its free space (a test that cannot write its
 * output would otherwise fail for that alone, and a results document be lost).
 * The disk is a real 1 MiB tmpfs.
 */
import { readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli/context.js'
import { main } from '../../src/cli/main.js'
import { mountSmallDisk, type SmallDisk } from '../harness/small-disk.js'

const FIXTURE = resolve(import.meta.dirname, '../..', 'fixture')

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (c: Buffer) => (stdout += c.toString()))
  err.on('data', (c: Buffer) => (stderr += c.toString()))
  const ctx: CliContext = { env: { PATH: process.env.PATH }, cwd: FIXTURE, out, err }
  const code = await main(args, ctx)
  return { code, out: stdout, err: stderr }
}

describe('an output directory on a full disk', () => {
  let disk: SmallDisk
  beforeAll(() => {
    disk = mountSmallDisk(1)
  })
  afterAll(() => disk.unmount())

  it.each([
    ['test', ['test', 'fast', '--output-dir'], 'flag --output-dir'],
    ['soak', ['soak', '--perf-every', '0', '--metrics-dir'], 'flag --metrics-dir'],
    ['perf', ['perf', 'snapshot', '--out-dir'], 'flag --out-dir']
  ])('is refused by %s before anything runs, named', async (_, args, flag) => {
    const dir = join(disk.dir, 'out')
    const { code, err } = await cli([...args, dir])
    expect(code).toBe(2)
    expect(err).toMatch(
      new RegExp(
        `Invalid ${flag}: '${dir}' is on a disk too full for a run \\([\\d.]+ (B|KiB|MiB) free; at least 64\\.0 MiB needed for results and logs`
      )
    )
    // Nothing was created, so nothing ran.
    expect(readdirSync(disk.dir)).toEqual([])
  })
})
