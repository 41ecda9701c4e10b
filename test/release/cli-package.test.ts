/**
 * The CLI as npm users get it: `npm run release:cli` assembles
 * @mace-actions/cli, `npm pack` packs it, and the tarball installs in an
 * empty directory with no network (the bundle has no dependencies), where
 * `npx mace-actions` answers --version and --help and tests a crate that has
 * nothing to do with this repository.
 */
import { spawnSync, type SpawnSyncReturns } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  writeFileSync
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const VERSION = (
  JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }
).version

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8' })
  if (result.error) throw result.error
  return result
}

/** A tiny crate of its own in a temporary directory: one passing unit test, one ignored stress test. */
function tinyCrate(): string {
  const dir = mkdtempSync(join(tmpdir(), 'tiny-crate-'))
  writeFileSync(
    join(dir, 'Cargo.toml'),
    '[package]\nname = "tiny"\nversion = "0.1.0"\nedition = "2021"\n\n[features]\nfailpoints = []\n'
  )
  mkdirSync(join(dir, 'src'))
  writeFileSync(
    join(dir, 'src', 'lib.rs'),
    'pub fn add(a: u32, b: u32) -> u32 { a + b }\n\n#[cfg(test)]\nmod tests {\n    #[test]\n    fn adds() { assert_eq!(super::add(2, 2), 4); }\n}\n'
  )
  mkdirSync(join(dir, 'tests'))
  writeFileSync(
    join(dir, 'tests', 'stress.rs'),
    '#[test]\n#[ignore]\nfn stress_adds() { for i in 0..1000 { assert_eq!(tiny::add(i, 1), i + 1); } }\n'
  )
  return dir
}

let tarball: string
let installed: string

beforeAll(() => {
  const work = mkdtempSync(join(tmpdir(), 'mace-npm-'))
  const assemble = run(
    'npm',
    ['run', '--silent', 'release:cli', '--', '--out', join(work, 'package')],
    ROOT
  )
  expect(assemble.status, assemble.stderr).toBe(0)
  const pack = run('npm', ['pack', '--pack-destination', work, join(work, 'package')], work)
  expect(pack.status, pack.stderr).toBe(0)
  tarball = join(
    work,
    readdirSync(work).find(f => f.endsWith('.tgz'))!
  )
  installed = join(work, 'empty')
  mkdirSync(installed)
  const install = run(
    'npm',
    ['install', '--offline', '--no-audit', '--no-fund', tarball],
    installed
  )
  expect(install.status, install.stderr).toBe(0)
})

describe('@mace-actions/cli from its tarball', () => {
  it('is the bundle, its licenses, README, LICENSE and CHANGELOG, with no dependencies', () => {
    expect(tarball).toMatch(new RegExp(`mace-actions-cli-${VERSION.replace(/\./g, '\\.')}\\.tgz$`))
    const dir = join(installed, 'node_modules', '@mace-actions', 'cli')
    expect(readdirSync(dir).sort()).toEqual([
      'CHANGELOG.md',
      'LICENSE',
      'README.md',
      'index.js',
      'licenses.txt',
      'package.json'
    ])
    const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<
      string,
      unknown
    >
    expect(manifest).toMatchObject({
      name: '@mace-actions/cli',
      version: VERSION,
      bin: { 'mace-actions': 'index.js' },
      license: 'MIT',
      type: 'module'
    })
    expect(manifest.dependencies).toBeUndefined()
    // Installed offline: nothing else came with it.
    expect(readdirSync(join(installed, 'node_modules')).filter(d => !d.startsWith('.'))).toEqual([
      '@mace-actions'
    ])
  })

  it('npx mace-actions --version prints the version', () => {
    const result = run('npx', ['--offline', 'mace-actions', '--version'], installed)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toBe(`${VERSION}\n`)
  })

  it('npx mace-actions --help lists the commands', () => {
    const result = run('npx', ['--offline', 'mace-actions', '--help'], installed)
    expect(result.status, result.stderr).toBe(0)
    expect(result.stdout).toMatch(/^Usage: mace-actions <command> \[options\]/)
    for (const command of ['test', 'perf', 'soak'])
      expect(result.stdout).toContain(`\n  ${command} `)
  })

  it('npx mace-actions test runs the layers of a crate outside this repository', () => {
    const crate = tinyCrate()
    const result = run(
      'npx',
      [
        '--offline',
        '--no',
        'mace-actions',
        'test',
        'all',
        '2',
        '--working-directory',
        crate,
        '--quiet'
      ],
      installed
    )
    const junit = join(crate, 'target', 'mace-actions', 'test', 'junit.xml')
    // No chaos_* test in this crate: fast and stress pass; the empty chaos layer is named.
    expect(result.stdout + result.stderr).toContain('stress:stress_adds')
    expect(existsSync(junit)).toBe(true)
    const fast = run(
      'npx',
      [
        '--offline',
        '--no',
        'mace-actions',
        'test',
        'fast',
        '2',
        '--working-directory',
        crate,
        '--quiet'
      ],
      installed
    )
    expect(fast.status, fast.stdout + fast.stderr).toBe(0)
    expect(fast.stdout).toMatch(/result: .*pass/i)
  })
})
