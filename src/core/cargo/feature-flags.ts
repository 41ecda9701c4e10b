/**
 * Which features a cargo build uses, however they were given: cargo's own
 * feature flags (`--features A,B` / `-F A` / `--features=A`,
 * `--all-features`, `--no-default-features`, as `cargo help test` documents
 * them) in the extra cargo arguments, beside the inputs that add them.
 */

/** cargo's feature flags found in a command's arguments. */
export interface CargoFeatureFlags {
  /** `--all-features`: every feature of every selected package. */
  all: boolean
  /** `--no-default-features`: the `default` feature is not enabled. */
  noDefault: boolean
  /** Features named by `--features` / `-F`, in order, without duplicates. */
  named: string[]
}

/** Reads cargo's feature flags from `args` (shell words, as `cargo-args` splits them). */
export function cargoFeatureFlags(args: readonly string[]): CargoFeatureFlags {
  const flags: CargoFeatureFlags = { all: false, noDefault: false, named: [] }
  const add = (list: string | undefined): void => {
    for (const f of (list ?? '').split(/[\s,]+/)) {
      if (f !== '' && !flags.named.includes(f)) flags.named.push(f)
    }
  }
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--all-features') flags.all = true
    else if (arg === '--no-default-features') flags.noDefault = true
    else if (arg === '--features' || arg === '-F') add(args[++i])
    else if (arg.startsWith('--features=')) add(arg.slice('--features='.length))
    else if (arg.startsWith('-F') && arg.length > 2) add(arg.slice(2))
  }
  return flags
}

/**
 * `args` with `--all-features` and `--no-default-features` appended when asked
 * for and not already there (cargo refuses a flag given twice).
 */
export function withFeatureFlags(
  args: readonly string[],
  want: { allFeatures: boolean; noDefaultFeatures: boolean }
): string[] {
  const out = [...args]
  if (want.allFeatures && !out.includes('--all-features')) out.push('--all-features')
  if (want.noDefaultFeatures && !out.includes('--no-default-features')) {
    out.push('--no-default-features')
  }
  return out
}

/** Where the user's feature settings came from (`input 'all-features'`, `flag --features`). */
export interface FeatureOrigins {
  allFeatures?: string
  noDefaultFeatures?: string
  features?: string
}

/**
 * The origins of the feature settings that were given: the switches when on, and
 * `features` when set to a list (not blank, not `auto`, the word for our default).
 */
export function featureOrigins(
  source: { get: (name: string) => string | undefined; describe: (name: string) => string },
  on: { allFeatures: boolean; noDefaultFeatures: boolean },
  auto: string
): FeatureOrigins {
  const features = source.get('features')?.trim() ?? ''
  return {
    ...(on.allFeatures ? { allFeatures: source.describe('all-features') } : {}),
    ...(on.noDefaultFeatures ? { noDefaultFeatures: source.describe('no-default-features') } : {}),
    ...(features !== '' && features !== auto ? { features: source.describe('features') } : {})
  }
}

/** A package as far as its features go: its name and the features its manifest declares. */
export interface FeaturePackage {
  name: string
  /** Its `[features]` table's names, `default` included when declared. */
  features: readonly string[]
}

/**
 * One sentence saying which features a build with `args` (cargo arguments, feature
 * flags included) and `features` (the `--features` the run adds) enables in
 * `packages`: e.g. "all features of doc_crate (--all-features): broken_docs, extra"
 * or "features extra, failpoints with the default features (default)".
 */
export function describeFeatures(
  args: readonly string[],
  features: string,
  packages: readonly FeaturePackage[]
): string {
  const flags = cargoFeatureFlags(args)
  const own = (p: FeaturePackage): string[] => p.features.filter(f => f !== 'default').sort()
  if (flags.all) {
    const each = packages.map(p => {
      const list = own(p)
      return `${packages.length > 1 ? `${p.name}: ` : ''}${list.length > 0 ? list.join(', ') : 'none declared'}`
    })
    return `all features (--all-features)${each.length > 0 ? `: ${each.join('; ')}` : ''}`
  }
  const named = [...new Set([...flags.named, ...features.split(',').filter(f => f !== '')])]
  // Without the packages (unknown), cargo's defaults are whatever the crate declares.
  const declaresDefault =
    packages.length === 0 || packages.some(p => p.features.includes('default'))
  const defaults = flags.noDefault
    ? 'without the default features (--no-default-features)'
    : declaresDefault
      ? 'with the default features'
      : 'no default features declared'
  return named.length > 0
    ? `features ${named.join(', ')}, ${defaults}`
    : `no extra features, ${defaults}`
}

/**
 * How a build's features read in a report, from the command it ran (`argv`, cargo's
 * own flags) and its `--features` list: `failpoints`, `all`, `extra (no default)`,
 * `(none)` when cargo's defaults alone applied.
 */
export function featuresLabel(features: string, argv: readonly string[]): string {
  const flags = cargoFeatureFlags(argv)
  const named = [...new Set([...flags.named, ...features.split(',').filter(f => f !== '')])]
  const base = flags.all ? 'all' : named.length > 0 ? named.join(',') : '(none)'
  return flags.noDefault ? `${base} (no default)` : base
}
