/**
 * `mace-actions soak` on the command line: its help lists every flag, and bad
 * usage exits 2 with a message naming the flag, before any cargo runs.
 */
import { resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli/context.js'
import { main } from '../../src/cli/main.js'
import { SOAK_FLAGS } from '../../src/cli/usage.js'

const FIXTURE = resolve(import.meta.dirname, '../..', 'fixture')

/** Runs the CLI with an empty environment and returns its exit code and what it wrote. */
async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  const chunks = { out: [] as Buffer[], err: [] as Buffer[] }
  out.on('data', (c: Buffer) => chunks.out.push(c))
  err.on('data', (c: Buffer) => chunks.err.push(c))
  const ctx: CliContext = { env: {}, cwd: FIXTURE, out, err }
  const code = await main(args, ctx)
  return {
    code,
    out: Buffer.concat(chunks.out).toString('utf8'),
    err: Buffer.concat(chunks.err).toString('utf8')
  }
}

describe('mace-actions soak --help', () => {
  it('prints the usage with every flag and exits 0', async () => {
    const { code, out, err } = await cli('soak', '--help')
    expect(code).toBe(0)
    expect(err).toBe('')
    expect(out).toMatch(/^Usage: mace-actions soak \[options\]\n/)
    for (const flag of SOAK_FLAGS) expect(out).toContain(`--${flag}`)
    expect(out).toContain('--env <KEY=VALUE>')
    expect(out).toContain('MACE_SOAK_CYCLE=N')
  })

  it('has no flag for what only a workflow has (tracking issue, token, artifact)', () => {
    for (const input of [
      'tracking-issue',
      'issue-title',
      'issue-label',
      'token',
      'artifact-name'
    ]) {
      expect(SOAK_FLAGS).not.toContain(input)
    }
    expect(SOAK_FLAGS).toContain('duration')
    expect(SOAK_FLAGS).toContain('drift-action')
  })

  it('also answers -h', async () => {
    const { code, out } = await cli('soak', '-h')
    expect(code).toBe(0)
    expect(out).toMatch(/^Usage: mace-actions soak/)
  })
})

describe('bad usage exits 2 with a message', () => {
  it('an unknown flag', async () => {
    const { code, out, err } = await cli('soak', '--durration', '90')
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(/^mace-actions: .*--durration/)
    expect(err).toContain("Run 'mace-actions soak --help' for usage.")
  })

  it('a positional argument', async () => {
    const { code, err } = await cli('soak', '90')
    expect(code).toBe(2)
    expect(err).toContain(
      'mace-actions: Unexpected argument: 90. The soak takes flags only, e.g. --duration 90.'
    )
  })

  it('a duration that is not one, naming --duration and showing an example', async () => {
    const { code, out, err } = await cli('soak', '--duration', 'abc')
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toContain("mace-actions: Invalid flag --duration: 'abc'.")
    expect(err).toContain("e.g. '90', '25m', '5h30m' or '1h 30m'")
  })

  it('a drift action that is neither warn nor fail', async () => {
    const { code, err } = await cli('soak', '--drift-action', 'explode')
    expect(code).toBe(2)
    expect(err).toContain(
      "mace-actions: Invalid flag --drift-action: 'explode'. Expected one of: warn, fail."
    )
  })

  it('a boolean flag given without its value', async () => {
    const { code, err } = await cli('soak', '--fail-fast')
    expect(code).toBe(2)
    expect(err).toMatch(/^mace-actions: .*--fail-fast/)
  })
})
