// bottleneck/light.js (the build octokit's throttling plugin uses) ships without its own types:
// it is the same Bottleneck class as the package's main entry, without Redis clustering.
declare module 'bottleneck/light.js' {
  import Bottleneck from 'bottleneck'
  export default Bottleneck
}
