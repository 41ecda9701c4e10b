// `npm run demo`: the test layers on the built-in fixture crate, through the
// CLI bundle users run. First a clean `all` run, then one with the fixture's
// misbehaviour switches on, to show how failures, flaky retries and timeouts read.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const cli = ['dist/cli/index.js', 'test', '--working-directory', 'fixture', '--quiet']
const run = (title, args, env) => {
  console.log(`\n=== ${title}\n$ mace-actions ${[...cli.slice(1), ...args].join(' ')}\n`)
  return spawnSync(process.execPath, [...cli, ...args], {
    stdio: 'inherit',
    env: { ...process.env, ...env }
  }).status
}

const clean = run('All layers on the fixture crate', ['all', '4'], {})
const broken = run(
  'The same with failure switches on (a failing assert, a flaky chaos case, a hang)',
  ['all', '4', '--stress-timeout', '5', '--output-dir', 'target/mace-actions/demo-failing'],
  {
    FIXTURE_FAIL: '1',
    FIXTURE_HANG: '1',
    FIXTURE_FLAKY_DIR: mkdtempSync(join(tmpdir(), 'mace-demo-'))
  }
)
console.log(
  `\nclean run exit code: ${clean} (expected 0); failing run exit code: ${broken} (expected 1)`
)
process.exitCode = clean === 0 && broken === 1 ? 0 : 1

// The perf gate: a temporary git repo of the fixture with two commits, the
// second making one bench case genuinely 2x slower (bench-slowdown.txt).
const repo = mkdtempSync(join(tmpdir(), 'mace-demo-perf-'))
for (const entry of ['src', 'tests', 'benches', 'Cargo.toml', 'Cargo.lock']) {
  cpSync(join('fixture', entry), join(repo, entry), { recursive: true })
}
const git = (...args) =>
  execFileSync('git', ['-c', 'user.name=demo', '-c', 'user.email=demo@localhost', ...args], {
    cwd: repo,
    stdio: 'ignore'
  })
writeFileSync(join(repo, '.gitignore'), 'target/\n')
git('init', '-q', '-b', 'master')
git('add', '-A')
git('commit', '-q', '-m', 'base')
writeFileSync(join(repo, 'bench-slowdown.txt'), 'Scan/K16-V16/1000=100\n')
git('add', '-A')
git('commit', '-q', '-m', 'make Scan/K16-V16/1000 2x slower')
console.log(`\n=== perf compare: base vs a head with one case 2x slower (repo ${repo})`)
const perf = spawnSync(
  process.execPath,
  [
    'dist/cli/index.js',
    'perf',
    'compare',
    '--working-directory',
    repo,
    '--base-ref',
    'HEAD~1',
    '--compare-filters',
    'Scan,Get/K16',
    '--bench-args=--noplot --warm-up-time 0.05 --measurement-time 0.3 --sample-size 10 --nresamples 2000',
    '--min-base-ns',
    '0',
    '--min-compare-cases',
    '3',
    '--quiet'
  ],
  {
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: join(process.cwd(), 'fixture', 'target', 'demo-perf') }
  }
).status
console.log(`perf compare exit code: ${perf} (expected 1: the slowed case is named above)`)
if (perf !== 1) process.exitCode = 1
