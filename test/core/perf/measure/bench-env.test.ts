/**
 * The threshold file's keys reach the builds and bench processes, as the
 * reference's `set -a; source` makes them: every key of both forms, by value,
 * with a variable the user set in the environment winning.
 */
import { describe, expect, it } from 'vitest'
import { benchEnvironment } from '../../../../src/core/perf/measure/bench-env.js'
import { parseThresholdFile } from '../../../../src/core/perf/judge/threshold-file.js'

const ROOT = '/repo'
const PATH = '/repo/scripts/perf_thresholds.env'

function env(text: string, given: NodeJS.ProcessEnv = {}): ReturnType<typeof benchEnvironment> {
  return benchEnvironment(given, parseThresholdFile(text, PATH), PATH, ROOT)
}

const MACE_STYLE = [
  ': "${MACE_PERF_REGRESS_PCT:=5}"',
  ': "${MACE_BENCH_QUICK:=1}"',
  'MACE_BENCH_ITEMS=2000',
  "export MACE_BENCH_MEASURE_SECS='0.2'"
].join('\n')

describe('the bench environment', () => {
  it('passes every key of the file on, our own and the bench knobs, in both forms', () => {
    const { env: out, entries } = env(MACE_STYLE, { PATH: '/bin' })
    expect(out).toMatchObject({
      PATH: '/bin',
      MACE_PERF_REGRESS_PCT: '5',
      MACE_BENCH_QUICK: '1',
      MACE_BENCH_ITEMS: '2000',
      MACE_BENCH_MEASURE_SECS: '0.2'
    })
    expect(entries).toEqual({
      MACE_PERF_REGRESS_PCT: { from: 'scripts/perf_thresholds.env:1', value: '5' },
      MACE_BENCH_QUICK: { from: 'scripts/perf_thresholds.env:2', value: '1' },
      MACE_BENCH_ITEMS: { from: 'scripts/perf_thresholds.env:3', value: '2000' },
      MACE_BENCH_MEASURE_SECS: { from: 'scripts/perf_thresholds.env:4', value: '0.2' }
    })
  })

  it('lets a variable set in the environment win, and does not publish its value', () => {
    const { env: out, entries } = env(MACE_STYLE, {
      MACE_BENCH_ITEMS: '500',
      MACE_BENCH_QUICK: '0'
    })
    expect(out.MACE_BENCH_ITEMS).toBe('500')
    expect(out.MACE_BENCH_QUICK).toBe('0')
    expect(entries.MACE_BENCH_ITEMS).toEqual({ from: 'environment' })
    expect(entries.MACE_BENCH_QUICK).toEqual({ from: 'environment' })
  })

  it('fills an empty variable from := and plain lines, as a shell would, but not from ${KEY=VALUE}', () => {
    const text = [': "${A:=1}"', 'B=2', ': "${C=3}"'].join('\n')
    const { env: out } = env(text, { A: '', B: '', C: '' })
    expect(out).toMatchObject({ A: '1', B: '2', C: '' })
  })

  it('passes values as data: a quoted $ stays a $, nothing is expanded or run', () => {
    const { env: out } = env(`NAME='$HOME/x'\nCMD="echo; rm -rf x"`, { HOME: '/home/u' })
    expect(out.NAME).toBe('$HOME/x')
    expect(out.CMD).toBe('echo; rm -rf x')
  })

  it('names a file outside the working directory by its full path', () => {
    const { entries } = benchEnvironment({}, parseThresholdFile('A=1', 'x'), '/etc/t.env', ROOT)
    expect(entries.A).toEqual({ from: '/etc/t.env:1', value: '1' })
  })
})
