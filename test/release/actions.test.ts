/**
 * The three actions as they are published: `npm run release:split` writes
 * self-contained trees, `npm run release:publish` pushes them to their own
 * repositories (here: local bare ones) with the version tag and the major tag,
 * and what `uses: mace/action-X@v1` resolves to (the `v1` tag, checked out in
 * a fresh directory) runs as the runner runs it: `node <runs.main>` with the
 * INPUT_* environment built from that tree's action.yml.
 */
import { execFileSync, spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { parse } from 'yaml'
import { filesOf } from '../../scripts/release/split.js'
import { fixtureDir } from '../harness/fixture.js'
import { perfRepo, QUICK_BENCH_ARGS } from '../harness/perf-repo.js'
import { runAction } from '../harness/run-action.js'
import { quickSoakEnv, quickSoakFlags, warmSoakRepo } from '../harness/soak-repo.js'

const ROOT = resolve(import.meta.dirname, '../..')
const ACTIONS = ['action-test', 'action-perf', 'action-soak'] as const

const git = (cwd: string, ...args: string[]): string =>
  execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim()

/** Runs an npm script of this repository as a maintainer would; throws with its output on failure. */
function npmRun(script: string, ...args: string[]): string {
  const run = spawnSync('npm', ['run', '--silent', script, '--', ...args], {
    cwd: ROOT,
    encoding: 'utf8'
  })
  if (run.status !== 0) throw new Error(`npm run ${script} failed:\n${run.stdout}\n${run.stderr}`)
  return run.stdout
}

/** What `uses: mace/<action>@<ref>` gives the runner: the ref checked out in a fresh directory. */
function checkout(remotes: string, action: string, ref: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mace-uses-${action}-`))
  git(dir, 'clone', '--quiet', '--branch', ref, `file://${remotes}/${action}.git`, '.')
  return dir
}

const temp = (prefix: string): string => mkdtempSync(join(tmpdir(), prefix))

let split: string
let remotes: string

beforeAll(() => {
  split = temp('mace-split-')
  npmRun('release:split', '--out', split)
  remotes = temp('mace-remotes-')
  for (const action of ACTIONS) git(remotes, 'init', '--quiet', '--bare', `${action}.git`)
  npmRun(
    'release:publish',
    '--from',
    split,
    '--tag',
    'v1.0.0',
    '--remote-base',
    `file://${remotes}/`
  )
})

describe('npm run release:split', () => {
  it.each(ACTIONS)(
    '%s is a tree of its own: action.yml at the root running dist/index.js, README, LICENSE, CHANGELOG',
    action => {
      const tree = join(split, action)
      expect(filesOf(tree)).toEqual([
        'CHANGELOG.md',
        'LICENSE',
        'README.md',
        'action.yml',
        'dist/index.js',
        'dist/licenses.txt',
        'dist/package.json'
      ])
      const meta = parse(readFileSync(join(tree, 'action.yml'), 'utf8')) as {
        runs: Record<string, string>
      }
      expect(meta.runs).toEqual({ using: 'node24', main: 'dist/index.js' })
      // Everything else is the monorepo's action.yml, line for line.
      const here = readFileSync(join(ROOT, action, 'action.yml'), 'utf8').split('\n')
      const there = readFileSync(join(tree, 'action.yml'), 'utf8').split('\n')
      expect(there.filter((line, i) => line !== here[i])).toEqual(['  main: dist/index.js'])
      const bundle = action.replace('action-', '')
      const same = readFileSync(join(tree, 'dist/index.js')).equals(
        readFileSync(join(ROOT, 'dist', bundle, 'index.js'))
      )
      expect(same, `dist/index.js is dist/${bundle}/index.js`).toBe(true)
    }
  )

  it.each(ACTIONS)(
    '%s README links into the monorepo by address, never by a relative path',
    action => {
      const readme = readFileSync(join(split, action, 'README.md'), 'utf8')
      expect(readme).toContain(`uses: mace/${action}@v1`)
      expect(readme).toContain('## Permissions')
      const relative = [...readme.matchAll(/\]\(([^)]+)\)/g)]
        .map(m => m[1]!)
        .filter(t => !/^(https:|#)/.test(t))
      expect(relative).toEqual([])
      expect(readme).toMatch(
        /\]\(https:\/\/github\.com\/mace\/mace-actions\/blob\/main\/\.github\/examples\//
      )
    }
  )
})

describe('published to their own repositories', () => {
  it.each(ACTIONS)('%s: main, v1.0.0 and v1 are one commit holding exactly the tree', action => {
    const bare = join(remotes, `${action}.git`)
    const main = git(bare, 'rev-parse', 'main')
    expect(git(bare, 'rev-parse', 'v1.0.0^{commit}')).toBe(main)
    expect(git(bare, 'rev-parse', 'v1^{commit}')).toBe(main)
    const dir = checkout(remotes, action, 'v1')
    expect(filesOf(dir).filter(f => !f.startsWith('.git/'))).toEqual(filesOf(join(split, action)))
  })

  it('uses: mace/action-test@v1 runs mode all on the fixture end to end', async () => {
    const action = checkout(remotes, 'action-test', 'v1')
    const outputDir = temp('mace-published-test-')
    const run = await runAction({
      action,
      workspace: fixtureDir(),
      inputs: { mode: 'all', threads: '2', 'output-dir': outputDir, 'artifact-name': '' }
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toMatchObject({
      result: 'success',
      failed: '0',
      'junit-path': join(outputDir, 'junit.xml')
    })
    expect(existsSync(join(outputDir, 'results.json'))).toBe(true)
    expect(run.summary).toMatch(/✅/)
  })

  it('uses: mace/action-perf@v1 refuses a bad input before anything runs, and takes a snapshot', async () => {
    const action = checkout(remotes, 'action-perf', 'v1')
    const repo = perfRepo('base')
    const bad = await runAction({ action, workspace: repo, inputs: { mode: 'sideways' } })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.map(a => a.message)).toContain(
      "Invalid input 'mode': 'sideways'. Expected one of: snapshot, compare, track, report."
    )
    const outDir = temp('mace-published-perf-')
    const run = await runAction({
      action,
      workspace: repo,
      inputs: {
        mode: 'snapshot',
        'bench-args': `${QUICK_BENCH_ARGS} Put/`,
        'out-dir': outDir,
        comment: 'never',
        'check-run': 'false',
        'artifact-name': ''
      }
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs.result).toBe('success')
    expect(Number(run.outputs.compared)).toBeGreaterThan(0)
    expect(existsSync(join(outDir, 'head_snapshot.json'))).toBe(true)
  })

  it('uses: mace/action-soak@v1 refuses a bad duration, and runs a one-cycle soak', async () => {
    const action = checkout(remotes, 'action-soak', 'v1')
    const repo = await warmSoakRepo()
    const bad = await runAction({ action, workspace: repo, inputs: { duration: '5 hourz' } })
    expect(bad.exitCode).toBe(1)
    expect(bad.annotations.map(a => a.message).join('\n')).toContain(
      "Invalid input 'duration': '5 hourz'."
    )
    const env: Record<string, string> = {}
    for (const [k, v] of Object.entries(quickSoakEnv())) if (v !== undefined) env[k] = v
    const run = await runAction({
      action,
      workspace: repo,
      inputs: {
        ...quickSoakFlags(),
        'max-cycles': '1',
        'chaos-every': '0',
        'post-check': 'false',
        'artifact-name': ''
      },
      env
    })
    expect(run.exitCode, run.stdout + run.stderr).toBe(0)
    expect(run.outputs).toMatchObject({ result: 'success', cycles: '1' })
    expect(run.stdout).toMatch(/soak: cycle 1, [\d.]+s \/ 1h 00m elapsed, ETA /)
  })

  it('a next release moves v1 and keeps v1.0.0; publishing a version again is refused', () => {
    const bare = join(remotes, 'action-test.git')
    const first = git(bare, 'rev-parse', 'v1^{commit}')
    npmRun(
      'release:publish',
      '--from',
      split,
      '--tag',
      'v1.0.1',
      '--remote-base',
      `file://${remotes}/`
    )
    const second = git(bare, 'rev-parse', 'v1^{commit}')
    expect(second).not.toBe(first)
    expect(git(bare, 'rev-parse', 'v1.0.1^{commit}')).toBe(second)
    expect(git(bare, 'rev-parse', 'v1.0.0^{commit}')).toBe(first)
    expect(() =>
      npmRun(
        'release:publish',
        '--from',
        split,
        '--tag',
        'v1.0.0',
        '--remote-base',
        `file://${remotes}/`
      )
    ).toThrow(/already has v1\.0\.0: a published version is never replaced/)
    expect(git(bare, 'rev-parse', 'v1.0.0^{commit}')).toBe(first)
  })

  it('a pre-release gets its tag but leaves v1 where it was', () => {
    const bare = join(remotes, 'action-perf.git')
    const before = git(bare, 'rev-parse', 'v1^{commit}')
    npmRun(
      'release:publish',
      '--from',
      split,
      '--tag',
      'v1.1.0-rc.1',
      '--remote-base',
      `file://${remotes}/`
    )
    expect(git(bare, 'rev-parse', 'v1^{commit}')).toBe(before)
    expect(git(bare, 'rev-parse', 'v1.1.0-rc.1^{commit}')).not.toBe(before)
  })

  it('refuses a tag that is not a version, before pushing anything', () => {
    expect(() =>
      npmRun(
        'release:publish',
        '--from',
        split,
        '--tag',
        'latest',
        '--remote-base',
        `file://${remotes}/`
      )
    ).toThrow(/'latest' is not a version tag: expected vMAJOR\.MINOR\.PATCH/)
  })
})
