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

// A short soak: one-second cycles of the stress layer, chaos every other cycle
// and a quick perf snapshot of all cases each cycle, for a minute. Cycle 2's
// stress case is made to fail (recorded, and the soak goes on), and the benches
// slow down 25 % more each cycle, which the drift verdict should notice.
console.log('\n=== soak: one minute of cycles, a failure in cycle 2, benches that drift')
const soakDir = join('fixture', 'target', 'mace-actions', 'demo-soak')
// Compile first, so the minute is spent in cycles rather than in cargo.
const soakTarget = join(process.cwd(), 'fixture', 'target', 'demo-perf')
for (const args of [
  ['test', '--features', 'failpoints', '--tests', '--no-run', '--quiet'],
  ['bench', '--bench', 'perf', '--no-run', '--quiet']
]) {
  execFileSync('cargo', args, {
    cwd: 'fixture',
    stdio: 'inherit',
    env: { ...process.env, CARGO_TARGET_DIR: soakTarget }
  })
}
const soak = spawnSync(
  process.execPath,
  [
    'dist/cli/index.js',
    'soak',
    '--working-directory',
    'fixture',
    '--duration',
    '60',
    '--chaos-every',
    '2',
    '--cycle-pause',
    '1',
    '--threads',
    '2',
    '--metrics-dir',
    'target/mace-actions/demo-soak',
    '--bench-args=--noplot --warm-up-time 0.02 --measurement-time 0.1 --sample-size 10 --nresamples 1000',
    '--quiet'
  ],
  {
    stdio: 'inherit',
    env: {
      ...process.env,
      CARGO_TARGET_DIR: soakTarget,
      MACE_PROD_BUCKET_STRESS_ROUNDS: '64',
      MACE_PROD_BUCKET_CHURN_ROUNDS: '16',
      MACE_PROD_EVICTOR_STRESS_ROUNDS: '64',
      MINI_KV_BENCH_QUICK: '1',
      MINI_KV_BENCH_DRIFT_PCT: '25',
      FIXTURE_STRESS_FAIL_CYCLE: '2'
    }
  }
).status
console.log(
  `soak exit code: ${soak} (expected 1: cycle 2 failed; drift is a warning). The summary with its chart: ${join(soakDir, 'soak-summary.md')}`
)
if (soak !== 1) process.exitCode = 1
