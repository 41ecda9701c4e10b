/**
 * Which packages of a workspace a run covers, as cargo decides it: `-p`
 * (names and globs), `--workspace` less `--exclude`, the package of the
 * directory cargo runs in, else the default members; and a `-p` that names
 * no member refused, naming the input and the members.
 */
import { describe, expect, it } from 'vitest'
import type { CargoWorkspace } from '../../../src/core/cargo/metadata.js'
import { selectedPackages } from '../../../src/core/cargo/packages.js'
import { TargetIds } from '../../../src/core/cargo/target-ids.js'

const pkg = (name: string, features: string[] = []): CargoWorkspace['packages'][number] => ({
  name,
  manifestDir: `/ws/${name}`,
  features,
  benches: [],
  testTargets: ['lib']
})
const WS: CargoWorkspace = {
  targetDirectory: '/ws/target',
  packages: [pkg('alpha', ['failpoints']), pkg('beta'), pkg('gamma-cli')],
  defaultMembers: ['alpha', 'beta']
}
const FROM = "input 'cargo-args'"
const select = (args: string[], cwd = '/ws'): string[] => selectedPackages(WS, args, cwd, FROM)

describe('the packages a run covers', () => {
  it('are those -p names, in every spelling cargo takes, globs and versions too', () => {
    expect(select(['-p', 'beta', '--package=alpha'])).toEqual(['beta', 'alpha'])
    expect(select(['-pbeta', '--package', 'gamma-cli@0.1.0'])).toEqual(['beta', 'gamma-cli'])
    expect(select(['-p', 'g*'])).toEqual(['gamma-cli'])
  })

  it('are every member with --workspace, less --exclude', () => {
    expect(select(['--workspace', '--exclude', 'beta'])).toEqual(['alpha', 'gamma-cli'])
    expect(select(['--all'])).toEqual(['alpha', 'beta', 'gamma-cli'])
  })

  it("are the directory's own package in a member, else the default members at the root", () => {
    expect(select([], '/ws/beta')).toEqual(['beta'])
    expect(select(['--manifest-path', 'gamma-cli/Cargo.toml'])).toEqual(['gamma-cli'])
    expect(select([])).toEqual(['alpha', 'beta'])
  })

  it('refuse a -p or --exclude that names no member, naming the input and the members', () => {
    expect(() => select(['-p', 'nosuch'])).toThrow(
      "Invalid input 'cargo-args': '-p nosuch' names no package of the workspace in /ws. Expected one of its members: alpha, beta, gamma-cli."
    )
    expect(() => select(['--workspace', '--exclude=gone'])).toThrow(
      "'--exclude gone' names no package"
    )
  })
})

describe('target ids', () => {
  it('carry the package only over several packages', () => {
    expect(new TargetIds(true, WS.packages).id('alpha', 'lib')).toBe('alpha/lib')
    expect(new TargetIds(false, WS.packages).id('alpha', 'lib')).toBe('lib')
  })

  it('give a command only the features one of its packages declares', () => {
    const ids = new TargetIds(true, WS.packages)
    expect(ids.featuresFor(['beta/lib'], 'failpoints')).toBe('')
    expect(ids.featuresFor(['alpha/lib', 'beta/lib'], 'failpoints')).toBe('failpoints')
    expect(ids.featuresFor(['beta/lib'], 'failpoints,alpha/failpoints')).toBe('alpha/failpoints')
    expect(ids.featuresFor(['lib'], 'failpoints')).toBe('failpoints')
  })
})
