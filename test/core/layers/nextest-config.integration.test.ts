/**
 * runner: nextest keeps the crate's own .config/nextest.toml, on a scratch crate
 * whose config sets a short slow-timeout that kills, retries and a test group
 * (real cargo-nextest): a test the crate's policy times out is a timeout for us
 * too; a test that passes on the crate's retry makes the case flaky; its test
 * group keeps two tests apart; a setting the user gives wins; the summary's
 * notice says whose each setting was.
 */
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { beforeAll, describe, expect, it } from 'vitest'
import { InputError } from '../../../src/core/shared/errors.js'
import { silentLogger } from '../../../src/core/shared/logger.js'
import type { TestResult, TestRunResult } from '../../../src/core/layers/results.js'
import { runTestLayers } from '../../../src/core/layers/run.js'
import { resolveTestSettings } from '../../../src/core/layers/settings.js'
import { scratchCrate } from '../../harness/scratch-crate.js'

const LIB = `
#[cfg(test)]
mod tests {
    use std::time::Duration;
    fn dir(var: &str) -> std::path::PathBuf { std::path::PathBuf::from(std::env::var(var).unwrap()) }

    #[test] fn quick() {}

    #[test] fn hangs() { std::thread::sleep(Duration::from_secs(3)); }

    #[test] fn flaky_once() {
        let marker = dir("POLICY_FLAKY_DIR").join("tried");
        if !marker.exists() { std::fs::write(&marker, "1").unwrap(); panic!("first try fails"); }
    }

    // Both hold one lock file for a while: run at once, one of them fails.
    fn hold_the_lock() {
        let lock = dir("POLICY_LOCK_DIR").join("lock");
        std::fs::OpenOptions::new().write(true).create_new(true).open(&lock).expect("the lock is free");
        std::thread::sleep(Duration::from_millis(400));
        std::fs::remove_file(&lock).unwrap();
    }
    #[test] fn serial_a() { hold_the_lock() }
    #[test] fn serial_b() { hold_the_lock() }
}
`

const NEXTEST_TOML = `
[test-groups]
serial = { max-threads = 1 }

[profile.default]
slow-timeout = { period = "500ms", terminate-after = 2, grace-period = "1s" }
retries = 1

[[profile.default.overrides]]
filter = "test(/^tests::serial_/)"
test-group = "serial"

# The crate's CI profile: inherits everything above.
[profile.ci]
fail-fast = true
`

let crate = ''

beforeAll(() => {
  crate = scratchCrate('policy', { 'src/lib.rs': LIB, '.config/nextest.toml': NEXTEST_TOML })
})

async function run(flags: Record<string, string>): Promise<TestRunResult> {
  const all: Record<string, string> = {
    runner: 'nextest',
    features: '',
    'output-dir': mkdtempSync(join(tmpdir(), 'mace-policy-')),
    ...flags
  }
  const env = {
    ...process.env,
    POLICY_FLAKY_DIR: mkdtempSync(join(tmpdir(), 'mace-policy-flaky-')),
    POLICY_LOCK_DIR: mkdtempSync(join(tmpdir(), 'mace-policy-lock-'))
  }
  const source = { get: (n: string) => all[n], describe: (n: string) => `flag --${n}` }
  const s = resolveTestSettings(source, env, crate, crate)
  return runTestLayers(s, { logger: silentLogger, env })
}

function testNamed(result: TestRunResult, name: string): TestResult | undefined {
  const fast = result.layers[0]!.cases[0]!
  return fast.attempts.at(-1)!.tests.find(t => t.name === `tests::${name}`)
}

describe("runner nextest under the crate's own nextest config", () => {
  it('a test its slow-timeout kills is a timeout, a pass on its retry is flaky, its test group holds', async () => {
    const result = await run({})
    const fast = result.layers[0]!.cases[0]!
    expect(testNamed(result, 'hangs')?.outcome).toBe('timed-out')
    // Killed after 2 × 500ms, not after our 300 s: the crate's limit, and its retry.
    expect(testNamed(result, 'hangs')?.durationMs).toBeLessThan(2500)
    expect(fast.attempts.at(-1)!.command.timeoutSeconds).toBe(1)
    expect(testNamed(result, 'flaky_once')?.outcome).toBe('passed')
    expect(fast.attempts[0]!.tests.map(t => [t.name, t.outcome])).toEqual([
      ['tests::flaky_once', 'failed'],
      ['tests::hangs', 'timed-out']
    ])
    expect(testNamed(result, 'serial_a')?.outcome).toBe('passed')
    expect(testNamed(result, 'serial_b')?.outcome).toBe('passed')
    expect(fast.status).toBe('timed-out')
    expect(result.nextest).toMatchObject({
      profile: 'ci',
      profileFrom: '.config/nextest.toml defines [profile.ci]',
      configFile: '.config/nextest.toml',
      testGroups: ['serial'],
      testThreads: { value: '8', source: 'default' },
      layers: {
        fast: {
          slowTimeout: {
            value: 'killed after 2 × 500ms (1 s)',
            source: 'crate',
            from: '[profile.default] of .config/nextest.toml'
          },
          retries: { value: '1', source: 'crate' },
          limitSeconds: 1,
          retryCount: 1
        }
      }
    })
    const notice = result.notes.find(n => n.message.startsWith('nextest policy:'))?.message
    expect(notice).toBe(
      "nextest policy: profile 'ci' (.config/nextest.toml defines [profile.ci]); crate config .config/nextest.toml. fast: timeout killed after 2 × 500ms (1 s) (the crate's: [profile.default] of .config/nextest.toml), retries 1 (the crate's: [profile.default] of .config/nextest.toml). Test threads 8 (our default). Test groups (the crate's): serial. Fail-fast off (always: every failing test is reported)."
    )
  })

  it("a timeout and a profile the user gives win over the crate's; each test keeps its time", async () => {
    const result = await run({ 'fast-timeout': '20', 'nextest-profile': 'default' })
    expect(result.passed).toBe(true)
    expect(result.layers[0]!.cases[0]!.status).toBe('flaky')
    expect(testNamed(result, 'hangs')?.durationMs).toBeGreaterThanOrEqual(2900)
    expect(testNamed(result, 'quick')?.durationMs).toEqual(expect.any(Number))
    expect(result.nextest).toMatchObject({
      profile: 'default',
      profileFrom: 'flag --nextest-profile',
      layers: {
        fast: {
          slowTimeout: {
            value: 'killed at 20 s (5 s grace)',
            source: 'given',
            from: 'flag --fast-timeout'
          },
          retries: { source: 'crate' }
        }
      }
    })
  })

  it('a profile the crate does not define is an input error before anything runs', async () => {
    await expect(run({ 'nextest-profile': 'nightly' })).rejects.toThrow(InputError)
    await expect(run({ 'nextest-profile': 'nightly' })).rejects.toThrow(
      'Invalid nextest config .config/nextest.toml: no [profile.nightly].'
    )
  })
})
