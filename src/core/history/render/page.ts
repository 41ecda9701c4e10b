/**
 * The history's page: `index.html` (styles and script inline) with
 * `data.js` beside it, in the history's root, as GitHub Pages serves a branch.
 * No network, no library: it opens from the file system as it does on Pages.
 */
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { HistoryMeta } from '../update.js'
import { dataScript, pageData } from './page-data.js'
import { PAGE_SCRIPT } from './page-script.js'

/** The page's styles. */
const STYLE = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1540px; padding: 16px 24px; color: #1f2328; background: #fff; }
h1 { font-size: 22px; margin: 4px 0; } h2 { font-size: 17px; margin: 28px 0 6px; border-bottom: 1px solid #d0d7de; padding-bottom: 4px; }
h3 { font: 600 13px ui-monospace, SFMono-Regular, Menlo, monospace; margin: 0 0 2px; overflow-wrap: anywhere; }
.note, #status, .help { color: #59636e; margin: 4px 0; }
#filter { font: inherit; padding: 4px 8px; width: 320px; margin: 8px 0; }
.legend { list-style: none; padding: 0; margin: 4px 0; display: flex; flex-wrap: wrap; gap: 4px 18px; color: #59636e; font-size: 12px; }
.swatch { display: inline-block; width: 12px; height: 12px; border-radius: 2px; margin-right: 6px; vertical-align: -1px; }
.series { display: grid; grid-template-columns: repeat(auto-fill, minmax(520px, 1fr)); gap: 10px 20px; }
.series > h2, .series > .legend, .series > .note { grid-column: 1 / -1; }
.case { min-height: 190px; } .chart { width: 100%; height: auto; display: block; }
.axis { stroke: #8c959f; } .grid { stroke: #eaeef2; } .tick { font-size: 11px; fill: #59636e; }
.band { opacity: 0.18; stroke: none; } .line { fill: none; stroke-width: 1.6; }
.dot { stroke: #fff; stroke-width: 0.8; } .dot.squashed { fill: #fff !important; stroke: #8c959f; stroke-width: 1.2; }
a .dot:hover { r: 5; }
.runner-change { stroke: #8c959f; stroke-dasharray: 3 3; } .shift { stroke: #cf222e; stroke-width: 1.5; stroke-dasharray: 6 3; }
.runner-label { font-size: 10px; fill: #8c959f; }
.shift-label { font-size: 11px; fill: #cf222e; font-weight: 600; }
`

/** The page's HTML: a shell that loads `data.js` and draws from it. */
export function renderPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Performance history</title>
<style>${STYLE}</style>
</head>
<body>
<h1>Performance history</h1>
<p id="status">Loading…</p>
<p class="help">One chart per case over the commits measured, oldest left. A line and its band (the interval) per runner; a grey dashed rule where the runner changed (a new series, never compared with the old one); a red rule where a lasting shift was found. Hollow points stand for squashed older months. Each point links to its commit.</p>
<input id="filter" type="search" placeholder="Filter cases" aria-label="Filter cases">
<div id="charts"></div>
<script src="data.js"></script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}

/** Writes `index.html`, `data.js` and `.nojekyll` (Pages serves the files as they are) into `dir`. */
export function writeHistoryPage(dir: string, meta: HistoryMeta, now = new Date()): void {
  writeFileSync(join(dir, 'index.html'), renderPage())
  writeFileSync(join(dir, 'data.js'), dataScript(pageData(dir, meta.commitUrl, now)))
  writeFileSync(join(dir, '.nojekyll'), '')
}
