/** Synthetic Criterion output in the layout criterion-reader reads, for the overhead benchmark. */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

/**
 * Writes `count` cases under `root` (`Group<g>/Case<i>/<param>/new/{benchmark,estimates,sample}.json`,
 * 100 samples each), their times scaled by `factor`.
 */
export function writeSyntheticRun(root: string, count: number, factor: number): void {
  for (let i = 0; i < count; i++) {
    const group = `Group${i % 50}`
    const fn = `Case${Math.floor(i / 50)}`
    const param = String(1 + (i % 7))
    const dir = join(root, group, fn, param, 'new')
    mkdirSync(dir, { recursive: true })
    const ns = (20_000 + (i % 997) * 37) * factor
    const est = (x: number): object => ({
      confidence_interval: { confidence_level: 0.95, lower_bound: x * 0.98, upper_bound: x * 1.02 },
      point_estimate: x,
      standard_error: x * 0.01
    })
    writeFileSync(
      join(dir, 'benchmark.json'),
      JSON.stringify({
        group_id: group,
        function_id: fn,
        value_str: param,
        throughput: null,
        full_id: `${group}/${fn}/${param}`,
        directory_name: `${group}/${fn}/${param}`,
        title: `${group}/${fn}/${param}`
      })
    )
    writeFileSync(
      join(dir, 'estimates.json'),
      JSON.stringify({
        mean: est(ns * 1.01),
        median: est(ns),
        median_abs_dev: est(ns * 0.02),
        slope: est(ns),
        std_dev: est(ns * 0.03)
      })
    )
    const iters = Array.from({ length: 100 }, (_, k) => (k + 1) * 10)
    writeFileSync(
      join(dir, 'sample.json'),
      JSON.stringify({
        sampling_mode: 'Linear',
        iters,
        times: iters.map((n, k) => n * ns * (1 + ((k % 5) - 2) / 100))
      })
    )
  }
}
