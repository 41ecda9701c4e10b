/**
 * Unpacking a fork's zip with caps: real zips written in the test (a zip bomb of 1 GiB of zeros
 * deflated to about 1 MB, one whose header lies about its size, one with too many entries), the
 * directory watched while it unpacks so that what reaches the disk is seen, not assumed.
 */
import { mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { unpackCapped, UnzipCapError } from '../../../src/core/github/artifact-unzip.js'
import { buildZip, type ZipEntrySpec } from '../../harness/zip-writer.js'

const MiB = 1024 * 1024
const LIMITS = { maxEntries: 100, maxBytes: 16 * MiB }

/** The zip written to a fresh directory, and a directory to unpack into. */
async function zipOf(entries: ZipEntrySpec[]): Promise<{ zip: string; out: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'mace-unzip-'))
  const zip = join(dir, 'artifact.zip')
  writeFileSync(zip, await buildZip(entries))
  return { zip, out: mkdtempSync(join(dir, 'out-')) }
}

/** Runs `work` while sampling how many bytes `dir` holds every few milliseconds; the most seen. */
async function peakBytes<T>(dir: string, work: () => Promise<T>): Promise<[number, T | Error]> {
  let peak = 0
  const sample = (): void => {
    const bytes = readdirSync(dir).reduce((sum, f) => sum + statSync(join(dir, f)).size, 0)
    peak = Math.max(peak, bytes)
  }
  const timer = setInterval(sample, 2)
  try {
    const result = await work().catch((error: Error) => error)
    sample()
    return [peak, result]
  } finally {
    clearInterval(timer)
  }
}

describe('unpacking a zip someone else wrote', () => {
  it('unpacks only the entries asked for, and counts the rest', async () => {
    const doc = Buffer.from('{"mode":"compare"}')
    const { zip, out } = await zipOf([
      { name: 'compare.json', data: doc },
      { name: 'logs/head.bench.log', data: Buffer.from('bench output') },
      { name: 'report.md', data: Buffer.from('# report') }
    ])
    const unpacked = await unpackCapped(zip, out, ['compare.json'], LIMITS)
    expect(unpacked).toEqual([
      { name: 'compare.json', path: join(out, 'compare.json'), bytes: doc.length }
    ])
    expect(readdirSync(out)).toEqual(['compare.json'])
  })

  it('refuses a zip bomb (1 GiB of zeros in a 1 MB zip) by its declared size, writing nothing', async () => {
    const { zip, out } = await zipOf([{ name: 'compare.json', zeros: 1024 * MiB }])
    expect(statSync(zip).size).toBeLessThan(2 * MiB)
    const [peak, result] = await peakBytes(out, () =>
      unpackCapped(zip, out, ['compare.json'], LIMITS)
    )
    expect(result).toBeInstanceOf(UnzipCapError)
    expect((result as Error).message).toBe(
      `compare.json would unpack to ${1024 * MiB} bytes, over the ${16 * MiB} this step writes`
    )
    expect(peak).toBe(0)
    expect(readdirSync(out)).toEqual([])
  })

  it('stops a bomb whose header understates its size while it streams, below the cap', async () => {
    // Declares 8 MiB, holds 1 GiB: the size check before unpacking lets it through.
    const { zip, out } = await zipOf([
      { name: 'compare.json', zeros: 1024 * MiB, declaredSize: 8 * MiB }
    ])
    const [peak, result] = await peakBytes(out, () =>
      unpackCapped(zip, out, ['compare.json'], LIMITS)
    )
    expect(result).toBeInstanceOf(UnzipCapError)
    expect((result as Error).message).toBe(
      `compare.json unpacked past the ${8 * MiB} bytes its header declares: stopped there`
    )
    expect(peak).toBeLessThanOrEqual(16 * MiB)
    expect(readdirSync(out)).toEqual([])
  })

  it('refuses a zip of more entries than the cap before unpacking any', async () => {
    const entries = Array.from({ length: 101 }, (_, i) => ({
      name: i === 0 ? 'compare.json' : `logs/${i}.log`,
      data: Buffer.from(`entry ${i}`)
    }))
    const { zip, out } = await zipOf(entries)
    await expect(unpackCapped(zip, out, ['compare.json'], LIMITS)).rejects.toThrow(
      new UnzipCapError('it lists 101 entries, over the 100 this step reads')
    )
    expect(readdirSync(out)).toEqual([])
  })

  it('counts the bytes of every entry it unpacks against one cap', async () => {
    const { zip, out } = await zipOf([
      { name: 'a.json', zeros: 10 * MiB },
      { name: 'b.json', zeros: 10 * MiB }
    ])
    await expect(unpackCapped(zip, out, ['a.json', 'b.json'], LIMITS)).rejects.toThrow(
      `b.json would unpack to ${10 * MiB} bytes, over the ${16 * MiB} this step writes`
    )
  })
})
