/**
 * The features the benches build with, on both sides of a compare: inputs
 * `features` (cargo `--features`, comma-separated), `all-features` and
 * `no-default-features`, added to the extra cargo arguments (`cargo-args`),
 * so that a bench with `required-features` builds as the crate's CI builds it.
 */
import { featureArgs } from '../cargo/build.js'
import { cargoFeatureFlags, describeFeatures, withFeatureFlags } from '../cargo/feature-flags.js'
import { InputError } from '../shared/errors.js'
import { splitArgs, type SettingReader } from '../shared/setting-reader.js'

const FEATURE_LIST = /^[A-Za-z0-9_/-]+( *, *[A-Za-z0-9_/-]+)*$/

/**
 * `cargo-args` split as a shell would, then `--features LIST`, `--all-features`
 * and `--no-default-features` as the inputs ask (each flag once).
 * @throws InputError naming `features` when it is not a comma-separated list of
 * feature names, or the input when a switch is not true or false.
 */
export function benchCargoArgs(r: SettingReader): string[] {
  const raw = r.read('features')
  if (raw && !FEATURE_LIST.test(raw.value)) {
    throw new InputError(
      `Invalid ${raw.from}: '${raw.value}'. Expected a comma-separated list of cargo feature names for the benches (e.g. 'failpoints,extra_check'), or an empty value for none.`
    )
  }
  const features = raw ? featureArgs(raw.value.replace(/ *, */g, ',')) : []
  return withFeatureFlags([...splitArgs(r.read('cargo-args')), ...features], {
    allFeatures: r.bool('all-features', false),
    noDefaultFeatures: r.bool('no-default-features', false)
  })
}

/**
 * What the log says of the benches' features when any are chosen ("the benches
 * build with features x, …"), undefined when cargo's defaults apply.
 */
export function benchFeaturesLine(cargoArgs: readonly string[]): string | undefined {
  const flags = cargoFeatureFlags(cargoArgs)
  if (!flags.all && !flags.noDefault && flags.named.length === 0) return undefined
  return `The benches build with ${describeFeatures(cargoArgs, '', [])}, on both sides.`
}
