/**
 * How a gungraun run is set up and explained: filters as gungraun reads them,
 * the environment of a run, and the causes of failures named from gungraun's
 * own messages (as gungraun-runner 0.20 prints them).
 */
import { describe, expect, it } from 'vitest'
import {
  explainFailure,
  gungraunEnv,
  gungraunFilter
} from '../../../../src/core/perf/measure/gungraun-run.js'

describe('a compare filter as a gungraun filter', () => {
  it('goes as it is with a wildcard, and matches ids containing it without one', () => {
    expect(gungraunFilter('*::scan::*')).toBe('*::scan::*')
    expect(gungraunFilter('iai::store::get::k1?_v16_1000')).toBe('iai::store::get::k1?_v16_1000')
    expect(gungraunFilter('[pg]et')).toBe('[pg]et')
    expect(gungraunFilter('scan')).toBe('*scan*')
  })
})

describe('the environment of a gungraun run', () => {
  it('writes JSON summaries to its own home, without colour, and drops settings that change what it writes', () => {
    const env = gungraunEnv(
      {
        PATH: '/usr/bin',
        HOME: '/home/u',
        GUNGRAUN_FILTER: 'x',
        GUNGRAUN_LOAD_BASELINE: 'b',
        GUNGRAUN_VALGRIND_BIN: '/opt/valgrind'
      },
      '/out/runs/head.r1',
      '/repo'
    )
    expect(env).toMatchObject({
      GUNGRAUN_HOME: '/out/runs/head.r1',
      GUNGRAUN_SAVE_SUMMARY: 'json',
      GUNGRAUN_COLOR: 'never',
      GUNGRAUN_WORKSPACE_ROOT: '/repo',
      GUNGRAUN_VALGRIND_BIN: '/opt/valgrind',
      // cargo's bin directory first, as `cargo bench` gives it: where the runner is installed.
      PATH: '/home/u/.cargo/bin:/usr/bin'
    })
    expect(env.GUNGRAUN_FILTER).toBeUndefined()
    expect(env.GUNGRAUN_LOAD_BASELINE).toBeUndefined()
  })
})

describe('a failed gungraun run explained', () => {
  it('a runner older or newer than the library, with the install command', () => {
    const log =
      "gungraun_runner: Error: gungraun-runner (0.19.4) is older than gungraun (0.20.0). Please update gungraun-runner by calling 'cargo install --version 0.20.0 gungraun-runner'\n"
    expect(explainFailure(log, '0.20.0', [])).toMatch(
      /is older than gungraun \(0\.20\.0\).*cargo install gungraun-runner --version 0\.20\.0 --locked/
    )
  })

  it('Valgrind missing, with or without setarch', () => {
    const withSetarch =
      "iai::kv_group::bench_get hit:(setup_get(1000, 500))\nsetarch: failed to execute valgrind: No such file or directory\ngungraun_runner: Error: Error in task: Error running 'callgrind': Exit code was: '127'\n"
    expect(explainFailure(withSetarch, '0.20.0', [])).toMatch(
      /failed to execute valgrind.*apt-get install -y valgrind/
    )
    const withoutAslr =
      "gungraun_runner: Error: Error in task: Error launching 'callgrind': No such file or directory (os error 2)\n"
    expect(explainFailure(withoutAslr, '0.20.0', [])).toMatch(/Valgrind is missing/)
  })

  it('no runner found by the bench binary', () => {
    const log =
      'gungraun: Error: The following errors occurred:\n--> Error in iai: Failed to run benchmarks: No such file or directory (os error 2).\n\nIs gungraun-runner installed and gungraun-runner in your $PATH?.\n'
    expect(explainFailure(log, '0.20.0', [])).toBe(
      'gungraun-runner was not found; install it: `cargo install gungraun-runner --version 0.20.0 --locked`'
    )
  })

  it('arguments the bench did not take: Criterion flags, or a bench that is not gungraun', () => {
    const log = "error: unexpected argument '--noplot' found\n"
    expect(explainFailure(log, '0.20.0', ['--noplot'])).toMatch(
      /unexpected argument '--noplot' found.*\(bench-args: --noplot\).*Criterion's do not apply/
    )
  })

  it('nothing it knows: left to the log tail', () => {
    expect(explainFailure('thread main panicked at src/lib.rs:1', '0.20.0', [])).toBeUndefined()
  })
})
