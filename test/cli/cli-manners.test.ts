/**
 * The command line behaves as people expect of one: `--version`; each command
 * has its own `--help` listing every flag; a mistyped flag or command names
 * itself and the nearest one; `perf` without a mode is bad usage (exit 2) and
 * runs nothing; bad usage exits 2 before any cargo or git runs.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import type { CliContext } from '../../src/cli/context.js'
import { main } from '../../src/cli/main.js'
import {
  PERF_FLAGS,
  PERF_FLAG_HELP,
  SOAK_FLAGS,
  SOAK_FLAG_HELP,
  TEST_FLAGS,
  TEST_FLAG_HELP
} from '../../src/cli/usage.js'
import { attempt, layer, run, test, testCase } from '../core/layers/render/fixtures.js'

const ROOT = resolve(import.meta.dirname, '../..')
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version

/** Runs the CLI in an empty directory (not a git checkout, no crate) and returns what it did. */
async function cli(
  args: string[],
  env: NodeJS.ProcessEnv = {}
): Promise<{ code: number; out: string; err: string }> {
  const out = new PassThrough()
  const err = new PassThrough()
  let stdout = ''
  let stderr = ''
  out.on('data', (c: Buffer) => (stdout += c.toString()))
  err.on('data', (c: Buffer) => (stderr += c.toString()))
  const ctx: CliContext = { env, cwd: mkdtempSync(join(tmpdir(), 'mace-cli-')), out, err }
  const code = await main(args, ctx)
  return { code, out: stdout, err: stderr }
}

describe('--version', () => {
  it.each([['--version'], ['-V']])(
    '%s prints the version of package.json and exits 0',
    async flag => {
      const { code, out, err } = await cli([flag])
      expect(code).toBe(0)
      expect(out).toBe(`${VERSION}\n`)
      expect(err).toBe('')
    }
  )
})

describe('every command has its own --help', () => {
  it.each([
    ['test', 'test [mode] [threads] [options]', TEST_FLAGS, TEST_FLAG_HELP],
    ['perf', 'perf <snapshot|compare|track> [options]', PERF_FLAGS, PERF_FLAG_HELP],
    ['soak', 'soak [options]', SOAK_FLAGS, SOAK_FLAG_HELP]
  ] as const)(
    '%s --help shows its usage and every flag with its help line',
    async (name, usage, flags, help) => {
      const { code, out, err } = await cli([name, '--help'])
      expect(code).toBe(0)
      expect(err).toBe('')
      expect(out).toMatch(
        new RegExp(`^Usage: mace-actions ${usage.replace(/[[\]|<>]/g, '\\$&')}\n`)
      )
      for (const flag of flags) {
        expect(help[flag]?.help, `help line of --${flag}`).toBeTruthy()
        // cargo's feature switches may stand alone, as cargo's do: `[VALUE]`.
        const value = ['all-features', 'no-default-features'].includes(flag)
          ? `[${help[flag]!.value}]`
          : `<${help[flag]!.value}>`
        expect(out).toContain(`--${flag} ${value}`)
      }
      expect(out).toMatch(/Exit codes: 0 pass, 1 .*, 2 bad usage\./)
    }
  )

  it('help COMMAND shows the same as COMMAND --help', async () => {
    expect((await cli(['help', 'perf'])).out).toBe((await cli(['perf', '--help'])).out)
  })

  it('the top-level help lists the commands', async () => {
    const { code, out } = await cli(['--help'])
    expect(code).toBe(0)
    expect(out).toMatch(/^Usage: mace-actions <command> \[options\]\n/)
    for (const command of ['test', 'perf', 'soak'])
      expect(out).toMatch(new RegExp(`\n  ${command} `))
  })

  it('no command at all is bad usage: the help goes to stderr and the exit code is 2', async () => {
    const { code, out, err } = await cli([])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toMatch(/^Usage: mace-actions <command>/)
  })
})

describe('perf without snapshot, compare or track', () => {
  it('is bad usage (exit 2) naming the two modes, and runs nothing', async () => {
    const { code, out, err } = await cli(['perf', '--regress-pct', '5'])
    expect(code).toBe(2)
    expect(out).toBe('')
    expect(err).toBe(
      "mace-actions: perf needs a mode: snapshot, compare or track, e.g. mace-actions perf compare.\nRun 'mace-actions perf --help' for usage.\n"
    )
  })

  it('a mode that is neither names what is accepted', async () => {
    const { code, err } = await cli(['perf', 'snap'])
    expect(code).toBe(2)
    expect(err).toContain(
      "Invalid mode argument: 'snap'. Expected one of: snapshot, compare, track."
    )
  })
})

describe('a mistyped flag or command', () => {
  it.each([
    ['soak', '--durration', '90', '--duration'],
    ['test', '--stres-timeout', '60', '--stress-timeout'],
    ['perf', '--regres-pct', '5', '--regress-pct']
  ])(
    '%s %s … names itself and suggests the nearest flag',
    async (command, typo, value, nearest) => {
      const args = command === 'perf' ? [command, 'compare', typo, value] : [command, typo, value]
      const { code, out, err } = await cli(args)
      expect(code).toBe(2)
      expect(out).toBe('')
      expect(err).toBe(
        `mace-actions: unknown option '${typo}' (did you mean ${nearest}?)\nRun 'mace-actions ${command} --help' for usage.\n`
      )
    }
  )

  it('an unknown command suggests the nearest', async () => {
    const { code, err } = await cli(['tset', 'all'])
    expect(code).toBe(2)
    expect(err).toContain("mace-actions: unknown command 'tset' (did you mean test?)")
  })

  it.each([
    ['merge', 'test merge'],
    ['stress', 'test stress'],
    ['compare', 'perf compare']
  ])(
    "a command's own word as the command (%s) points to the command it belongs to",
    async (word, meant) => {
      const { code, err } = await cli([word, 'a', 'b'])
      expect(code).toBe(2)
      expect(err).toContain(`mace-actions: unknown command '${word}' (did you mean '${meant}'?)`)
    }
  )
})

describe("today's command line still means what it meant", () => {
  it('test takes [mode] [threads] as prod_test.sh does, and refuses a third', async () => {
    expect((await cli(['test', 'everything'])).err).toContain(
      "Invalid mode/threads argument or --mode: 'everything'. Expected one of: fast, stress, chaos, all."
    )
    expect((await cli(['test', 'all', 'eight'])).err).toContain(
      "Invalid mode/threads argument or --threads: 'eight'."
    )
    const { code, err } = await cli(['test', 'all', '8', '9'])
    expect(code).toBe(2)
    expect(err).toContain('Too many arguments: all 8 9. Expected at most [mode] [threads]')
  })

  it('a value that starts with - is taken in the = form and as the next word', async () => {
    for (const args of [
      ['perf', 'snapshot', '--bench-args=--noplot --sample-size 10', '--min-base-ns', 'x'],
      ['perf', 'snapshot', '--bench-args', '--noplot', '--min-base-ns', 'x']
    ]) {
      const { code, err } = await cli(args)
      expect(code).toBe(2)
      expect(err).toContain("Invalid flag --min-base-ns: 'x'")
    }
  })

  it('settings fall back to the reference environment variables, named when bad', async () => {
    const { code, err } = await cli(['soak'], { SOAK_DURATION_SECS: 'forever' })
    expect(code).toBe(2)
    expect(err).toContain("Invalid environment variable SOAK_DURATION_SECS: 'forever'.")
  })

  it('test merge refuses a flag of a run (it would ignore it) before reading any file', async () => {
    const shard = await cli(['test', 'merge', 'missing.json', '--shard', '1/3'])
    expect(shard.code).toBe(2)
    expect(shard.err).toContain(
      "Invalid flag --shard with 'test merge': a merge runs no test, it reads the shards' results. Expected only --output-dir (and --quiet)"
    )
    const env = await cli(['test', 'merge', 'missing.json', '--env', 'A=1'])
    expect(env.err).toContain("Invalid flag --env with 'test merge'")
  })

  it("test merge takes a shard's output directory for the results.json in it", async () => {
    const dirs = [1, 2].map(index => {
      const dir = mkdtempSync(join(tmpdir(), `mace-shard-${index}-`))
      const result = run(
        [layer('fast', [testCase('fast', [attempt(1, [test('put_then_get')])])])],
        {
          outputDir: dir,
          shard: { index, total: 2, planDigest: 'p1', share: `share ${index}` }
        }
      )
      writeFileSync(join(dir, 'results.json'), JSON.stringify(result))
      return dir
    })
    const out = join(mkdtempSync(join(tmpdir(), 'mace-merged-')), 'merged')
    const merged = await cli(['test', 'merge', ...dirs, '--output-dir', out])
    expect(merged.err).toBe('')
    expect(merged.code).toBe(0)
    expect(merged.out).toContain('merged from 2 of 2 shards')
    const empty = mkdtempSync(join(tmpdir(), 'mace-empty-'))
    const none = await cli(['test', 'merge', dirs[0]!, empty, '--output-dir', out])
    expect(none.code).toBe(2)
    expect(none.err).toContain(
      `Invalid shard results '${empty}': a directory without results.json. Expected a shard's results.json, or the --output-dir of a run with --shard K/N that holds it.`
    )
  })

  it('--env is repeatable, each KEY=VALUE checked', async () => {
    const { code, err } = await cli(['test', '--env', 'A=1', '--env', 'not a pair'])
    expect(code).toBe(2)
    expect(err).toContain("Invalid flag --env: line 'not a pair'")
  })
})
