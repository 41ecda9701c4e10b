/**
 * cargo's feature switches on the command line read as cargo's do: a bare
 * `--all-features` or `--no-default-features` means true, a value is still
 * taken, and an absent switch is not given at all (commander keeps `--no-NAME`
 * flags as negations, which must not make them look given).
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli/context.js'
import { buildProgram, type ParsedArgs } from '../../src/cli/program.js'

async function parse(args: string[]): Promise<ParsedArgs> {
  const ctx: CliContext = { env: {}, cwd: '/', out: new PassThrough(), err: new PassThrough() }
  let seen: ParsedArgs | undefined
  const runner = (parsed: ParsedArgs): Promise<number> => {
    seen = parsed
    return Promise.resolve(0)
  }
  const program = buildProgram(ctx, { test: runner, perf: runner, soak: runner }, () => {})
  await program.parseAsync(args, { from: 'user' })
  return seen!
}

describe('test --all-features and --no-default-features', () => {
  it('stand alone for true, as in cargo', async () => {
    const { flags, positionals } = await parse([
      'test',
      'all',
      '4',
      '--all-features',
      '--no-default-features'
    ])
    expect(flags).toEqual({ 'all-features': 'true', 'no-default-features': 'true' })
    expect(positionals).toEqual(['all', '4'])
  })

  it('take a value too, and are not given when absent', async () => {
    expect((await parse(['test', '--all-features', 'false'])).flags).toEqual({
      'all-features': 'false'
    })
    expect((await parse(['test', '--no-default-features=true'])).flags).toEqual({
      'no-default-features': 'true'
    })
    expect((await parse(['test', 'fast'])).flags).toEqual({})
  })

  it('are perf flags too, for the benches of base and head', async () => {
    expect((await parse(['perf', 'compare', '--all-features', '--features', 'x'])).flags).toEqual({
      'all-features': 'true',
      features: 'x'
    })
  })
})
