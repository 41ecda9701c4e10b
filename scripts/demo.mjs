// `npm run demo`: the three commands on the built-in fixture crate, through the
// CLI bundle users run: the test layers clean and with the fixture's failure
// switches on, a perf compare whose head slows one case down, and a short soak.
// Every command is printed as a shell line with the environment it sets, so
// copying it reproduces that part. All parts build into one target directory
// (fixture/target/demo), so cargo compiles each profile of the fixture once.
import { execFileSync, spawnSync } from 'node:child_process'
import { cpSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const root = process.cwd()
const cliPath = join(root, 'dist', 'cli', 'index.js')
const targetDir = join(root, 'fixture', 'target', 'demo')
const started = Date.now()

console.log(
  'mace-actions demo: about 4 minutes on 2 cores the first time (3 min 31 s measured cold on a ' +
    `shared 2-core VM; cargo builds the fixture's tests and benches once, into ${targetDir}), less after.`
)

/** `s` quoted for a POSIX shell when it needs it. */
const quote = s => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", "'\\''")}'`)

/** Prints and runs `mace-actions ARGS` in `cwd` with `env` added; returns its exit code. */
function run(title, cwd, args, env) {
  const vars = Object.entries({ CARGO_TARGET_DIR: targetDir, ...env })
  const line = [
    `cd ${quote(cwd)} &&`,
    ...vars.map(([k, v]) => `${k}=${quote(v)}`),
    'node',
    quote(cliPath),
    ...args.map(quote)
  ].join(' ')
  const at = ((Date.now() - started) / 1000).toFixed(0)
  console.log(`\n=== ${title} (at ${at} s)\n$ ${line}\n`)
  return spawnSync(process.execPath, [cliPath, ...args], {
    cwd,
    stdio: 'inherit',
    env: { ...process.env, ...Object.fromEntries(vars) }
  }).status
}

const fixture = join(root, 'fixture')
const clean = run('All layers on the fixture crate', fixture, ['test', 'all', '4', '--quiet'], {})
const broken = run(
  'The same with failure switches on (a failing assert, a flaky chaos case, a hang)',
  fixture,
  [
    'test',
    'all',
    '4',
    '--stress-timeout',
    '5',
    '--output-dir',
    'target/mace-actions/demo-failing',
    '--quiet'
  ],
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
// second making one bench case 2x slower (bench-slowdown.txt, read at run time).
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
const perf = run(
  `perf compare: base vs a head with one case 2x slower (a repo made for the demo: ${repo})`,
  repo,
  [
    'perf',
    'compare',
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
  {}
)
console.log(`perf compare exit code: ${perf} (expected 1: the slowed case is named above)`)
if (perf !== 1) process.exitCode = 1

// A short soak: one-second cycles of the stress layer, chaos every other cycle
// and a quick perf snapshot each cycle, for 40 s. Cycle 2's stress case is made
// to fail (recorded, and the soak goes on), and the benches slow down 25 % more
// each cycle, which the drift verdict should notice. It reuses the builds above.
const soakDir = resolve(fixture, 'target', 'mace-actions', 'demo-soak')
// The bench of the fixture itself is built first, so the soak's time goes to its cycles.
const prebuild = ['bench', '--bench', 'perf', '--no-run', '--quiet']
console.log(
  `\n$ cd ${quote(fixture)} && CARGO_TARGET_DIR=${quote(targetDir)} cargo ${prebuild.join(' ')}`
)
execFileSync('cargo', prebuild, {
  cwd: fixture,
  stdio: 'inherit',
  env: { ...process.env, CARGO_TARGET_DIR: targetDir }
})
const soak = run(
  'soak: 40 s of cycles, a failure in cycle 2, benches that drift',
  fixture,
  [
    'soak',
    '--duration',
    '40',
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
    MACE_PROD_BUCKET_STRESS_ROUNDS: '64',
    MACE_PROD_BUCKET_CHURN_ROUNDS: '16',
    MACE_PROD_EVICTOR_STRESS_ROUNDS: '64',
    MINI_KV_BENCH_QUICK: '1',
    MINI_KV_BENCH_DRIFT_PCT: '25',
    FIXTURE_STRESS_FAIL_CYCLE: '2'
  }
)
console.log(
  `soak exit code: ${soak} (expected 1: cycle 2 failed; drift is a warning). The summary with its chart: ${join(soakDir, 'soak-summary.md')}`
)
if (soak !== 1) process.exitCode = 1
console.log(`\ndemo done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
