/**
 * Trust on a crate we did not write: defaults that fit it, layers that are
 * empty said as such, paths checked before anything runs, and nothing the user
 * wrote deleted. Real cargo on crates written here from scratch.
 */
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import { OWNER_MARKER } from '../../../src/core/shared/paths.js'
import { renderJobSummary } from '../../../src/core/layers/render/job-summary.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import { resolveTestSettings, type TestSettings } from '../../../src/core/layers/settings.js'
import { fixtureDir, fixtureEnv } from '../../harness/fixture.js'
import { scratchCrate } from '../../harness/scratch-crate.js'

/** Settings as CLI flags give them (an unset flag is undefined). */
function settings(dir: string, flags: Record<string, string>): TestSettings {
  const out = flags['output-dir'] ?? mkdtempSync(join(tmpdir(), 'mace-out-'))
  const all: Record<string, string> = { ...flags, 'output-dir': out }
  return resolveTestSettings(
    { get: n => all[n], describe: n => `flag --${n}` },
    fixtureEnv(),
    dir,
    dir
  )
}

async function refusal(run: Promise<unknown>): Promise<string> {
  try {
    await run
  } catch (e) {
    expect(e).toBeInstanceOf(InputError)
    return (e as Error).message
  }
  throw new Error('the run was not refused')
}

const deps = { logger: silentLogger, env: fixtureEnv() }

describe('on a crate with no failpoints feature, no chaos_* test and an ignored test of another name', () => {
  let crate = ''
  beforeAll(() => {
    crate = scratchCrate('plain-kv', {
      'tests/basic.rs': [
        '#[test] fn adds() { assert_eq!(1 + 1, 2) }',
        '#[test] #[ignore] fn stress_many_puts() { assert_eq!(2 * 2, 4) }',
        '#[test] #[ignore] fn recovers_after_torn_write() {}',
        ''
      ].join('\n')
    })
  })

  it('mode all builds with no extra features, runs fast and stress, and says what it left out', async () => {
    const result = await runTestLayers(settings(crate, { mode: 'all', threads: '8' }), deps)
    expect(result.failures).toEqual([])
    expect(result.passed).toBe(true)
    expect(result.builds.map(b => [b.features, b.passed])).toEqual([['', true]])
    expect(result.layers.map(l => [l.name, l.status])).toEqual([
      ['fast', 'passed'],
      ['stress', 'passed'],
      ['chaos', 'skipped']
    ])
    expect(result.notes).toEqual([
      {
        level: 'notice',
        message:
          "The crate declares no 'failpoints' feature (the reference default), so the tests run with no extra features. Set 'features' to choose them."
      },
      {
        level: 'warning',
        message:
          "The chaos layer is empty: discovery found no #[ignore] test named chaos_* (features 'default'); the other layers ran."
      },
      {
        level: 'warning',
        message:
          '1 #[ignore] test is in no layer (discovery takes only stress_* and chaos_* names): basic:recovers_after_torn_write. To run it, list it in a plan file, e.g. `chaos: [basic:recovers_after_torn_write]`, or in the stress-cases / chaos-cases input.'
      }
    ])
    const summary = renderJobSummary(result)
    expect(summary).toContain('> ℹ️ The crate declares no')
    expect(summary).toContain('> ⚠️ The chaos layer is empty')
  })

  it('mode chaos, where nothing would run, fails instead of passing with zero tests', async () => {
    const result = await runTestLayers(settings(crate, { mode: 'chaos' }), deps)
    expect(result.passed).toBe(false)
    expect(result.failures).toEqual(['chaos'])
    expect(result.selectionProblems[0]?.message).toContain(
      'no #[ignore] test named chaos_* was found'
    )
  })

  it('a case a plan names that lists no test still fails (the zero-test guard stays)', async () => {
    const s = settings(crate, { mode: 'chaos', 'chaos-cases': 'basic:chaos_missing' })
    const result = await runTestLayers(s, deps)
    expect(result.failures).toEqual(['chaos:chaos_missing'])
  })

  it("features 'failpoints' given by the user on this crate is the user's choice: the build fails and says why", async () => {
    const result = await runTestLayers(settings(crate, { features: 'failpoints' }), deps)
    expect(result.failures).toEqual(['build'])
    expect(result.notes).toEqual([])
  })
})

describe('an explicitly empty features value means no extra features', () => {
  it('on the fixture, which declares failpoints, the build has none', async () => {
    const result = await runTestLayers(
      settings(fixtureDir(), { features: '', 'fast-targets': 'basic' }),
      deps
    )
    expect(result.builds.map(b => b.features)).toEqual([''])
    expect(result.passed).toBe(true)
    expect(result.notes).toEqual([])
  })
})

describe('paths are looked at before anything runs', () => {
  it('a working directory that does not exist is refused, named, and not created', async () => {
    const base = mkdtempSync(join(tmpdir(), 'mace-wd-'))
    const s = settings(base, { 'working-directory': 'does/not/exist' })
    expect(await refusal(runTestLayers(s, deps))).toBe(
      `Invalid flag --working-directory: '${join(base, 'does/not/exist')}' does not exist. Expected the directory of a Rust crate or workspace (holding Cargo.toml).`
    )
    expect(existsSync(join(base, 'does'))).toBe(false)
  })

  it('a working directory without Cargo.toml is refused, naming the crate above it', async () => {
    const crate = scratchCrate('nested', {})
    const s = settings(crate, { 'working-directory': 'src' })
    expect(await refusal(runTestLayers(s, deps))).toBe(
      `Invalid flag --working-directory: '${join(crate, 'src')}' holds no Cargo.toml. Expected the directory of a Rust crate or workspace (holding Cargo.toml). The nearest crate above it is '${crate}'.`
    )
  })

  it("output-dir '.' holding the user's files is refused, and every file survives", async () => {
    const crate = scratchCrate('user-files', { 'logs/keep.txt': 'mine\n' })
    const s = settings(crate, { 'output-dir': crate })
    const message = await refusal(runTestLayers(s, deps))
    expect(message).toContain(
      `Invalid flag --output-dir: '${crate}' is not empty and was not written by mace-actions`
    )
    expect(readFileSync(join(crate, 'logs', 'keep.txt'), 'utf8')).toBe('mine\n')
    expect(existsSync(join(crate, OWNER_MARKER))).toBe(false)
    expect(existsSync(join(crate, 'target'))).toBe(false)
  })

  it('an output directory that cannot be created is refused at once (under /proc)', async () => {
    const s = settings(fixtureDir(), { 'output-dir': '/proc/mace-actions/out' })
    expect(await refusal(runTestLayers(s, deps))).toMatch(
      /^Invalid flag --output-dir: '\/proc\/mace-actions\/out' cannot be created \(/
    )
  })

  it('an output directory that is a file is refused', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mace-file-')), 'results')
    writeFileSync(file, 'x')
    const s = settings(fixtureDir(), { 'output-dir': join(file, 'sub') })
    expect(await refusal(runTestLayers(s, deps))).toContain(`'${file}' is a file, not a directory`)
  })

  it("an earlier run's output directory (from before markers) is taken; only its logs are replaced", async () => {
    const out = mkdtempSync(join(tmpdir(), 'mace-earlier-'))
    mkdirSync(join(out, 'logs'))
    writeFileSync(join(out, 'logs', 'old.log'), 'old\n')
    writeFileSync(join(out, 'results.json'), JSON.stringify({ tool: 'mace-actions test' }))
    writeFileSync(join(out, 'notes.txt'), 'kept\n')
    const s = settings(fixtureDir(), { 'output-dir': out, 'fast-targets': 'basic' })
    const result = await runTestLayers(s, deps)
    expect(result.passed).toBe(true)
    expect(readdirSync(join(out, 'logs'))).not.toContain('old.log')
    expect(readFileSync(join(out, 'notes.txt'), 'utf8')).toBe('kept\n')
    expect(existsSync(join(out, OWNER_MARKER))).toBe(true)
  })
})
