// `npm run demo`: the test layers on the built-in fixture crate, through the
// CLI bundle users run. First a clean `all` run, then one with the fixture's
// misbehaviour switches on, to show how failures, flaky retries and timeouts read.
import { spawnSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
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
