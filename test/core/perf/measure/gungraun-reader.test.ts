/**
 * Reading gungraun's summary.json files: real files of gungraun 0.20 (schema
 * v7) keyed by their full id, and a clear refusal of what cannot be read.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'
import { readGungraunCases } from '../../../../src/core/perf/measure/gungraun-reader.js'

const SAMPLES = fileURLToPath(new URL('../../../samples/gungraun/', import.meta.url))

describe('reading a gungraun home', () => {
  it('gives one case per summary, named module_path::id, with its instructions', () => {
    const cases = readGungraunCases(join(SAMPLES, 'home-0.20.0'))
    expect(cases.map(c => [c.id, c.instructions])).toEqual([
      ['b::group::plain', 513],
      ['b::group::summed::many_0', 5013],
      ['b::group::summed::many_1', 10013],
      ['b::group::summed::small', 63]
    ])
  })

  it('keeps the other callgrind metrics of the total, without Ir', () => {
    const plain = readGungraunCases(join(SAMPLES, 'home-0.20.0'))[0]!
    expect(plain.callgrind.EstimatedCycles).toBeGreaterThan(plain.instructions)
    expect(Object.keys(plain.callgrind)).toEqual(
      expect.arrayContaining(['EstimatedCycles', 'L1hits', 'LLhits', 'RamHits', 'TotalRW'])
    )
    expect(plain.callgrind.Ir).toBeUndefined()
  })

  it('gives no case for a home that does not exist (the caller decides what that means)', () => {
    expect(readGungraunCases(join(tmpdir(), 'no-such-gungraun-home'))).toEqual([])
  })

  it('refuses a summary of schema v6 (gungraun 0.19), naming the file and the version', () => {
    expect(() => readGungraunCases(join(SAMPLES, 'v6-0.19.4'))).toThrow(
      /summary\.json has no callgrind profile with total metrics \(summary version "6"; this reads version 7, written by gungraun 0\.20\)/
    )
  })

  it('refuses a file that is not JSON, and two summaries of one id', () => {
    const home = mkdtempSync(join(tmpdir(), 'gungraun-home-'))
    mkdirSync(join(home, 'a'))
    writeFileSync(join(home, 'a', 'summary.json'), '{"module_path": "x::g::f"')
    expect(() => readGungraunCases(home)).toThrow(/a\/summary\.json could not be read/)
    const summary = {
      version: '7',
      module_path: 'x::g::f',
      id: 'one',
      profiles: [
        { tool: 'Callgrind', data: { total: { metrics: { Ir: { values: { new: 7 } } } } } }
      ]
    }
    writeFileSync(join(home, 'a', 'summary.json'), JSON.stringify(summary))
    mkdirSync(join(home, 'b'))
    writeFileSync(join(home, 'b', 'summary.json'), JSON.stringify(summary))
    expect(() => readGungraunCases(home)).toThrow(/two summaries for x::g::f::one/)
  })
})
