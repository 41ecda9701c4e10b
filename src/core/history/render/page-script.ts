/**
 * The script of the history page, run in the browser: one SVG chart per case
 * over the series' points, drawn when it scrolls into view. Each runner
 * fingerprint is its own line and band (the interval), a change of runner is
 * a grey rule, an announced shift a red rule with its Δ, and each point links
 * to its commit. Written as plain ES2017 with no library: the page must work
 * offline and from the file system. Text from the data (case ids, runner
 * names) only ever goes in through `textContent` and attributes.
 */
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var data = window.MACE_HISTORY;
  var NS = 'http://www.w3.org/2000/svg';
  var W = 720, H = 190, L = 76, R = 10, T = 12, B = 24;
  var COLORS = ['#1f6feb', '#bf3989', '#1a7f37', '#9a6700', '#8250df', '#cf222e', '#0a7ea4'];

  function svg(name, attrs, parent) {
    var e = document.createElementNS(NS, name);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (parent) parent.appendChild(e);
    return e;
  }
  function html(tag, text, parent, cls) {
    var e = document.createElement(tag);
    if (text != null) e.textContent = text;
    if (cls) e.className = cls;
    if (parent) parent.appendChild(e);
    return e;
  }
  function figure(v) { return v == null ? null : typeof v === 'number' ? [v, v, v] : v; }
  function format(v, unit, compact) {
    if (unit === 'instructions' && !compact) return Math.round(v).toLocaleString('en-US');
    if (unit === 'instructions') {
      var counts = [[1e9, ' G'], [1e6, ' M'], [1e3, ' k']];
      for (var j = 0; j < counts.length; j++) if (Math.abs(v) >= counts[j][0]) return (v / counts[j][0]).toPrecision(5) + counts[j][1];
      return Math.round(v).toString();
    }
    var units = [[1e9, ' s'], [1e6, ' ms'], [1e3, ' µs'], [1, ' ns']];
    for (var i = 0; i < units.length; i++) {
      if (Math.abs(v) >= units[i][0] || i === units.length - 1) return (v / units[i][0]).toPrecision(4) + units[i][1];
    }
  }
  function commitHref(sha) {
    return data.commitUrl && /^[0-9a-f]{7,64}$/.test(sha) ? data.commitUrl.replace('{sha}', sha) : null;
  }
  function signed(pct) { return (pct >= 0 ? '+' : '') + pct.toFixed(1) + ' %'; }

  function scales(s, values) {
    var lo = Infinity, hi = -Infinity;
    values.forEach(function (v) { if (v) { lo = Math.min(lo, v[1]); hi = Math.max(hi, v[2]); } });
    // At least ±2 % of the level: a change of a few instructions in millions must not fill the chart.
    var mid = (lo + hi) / 2, span = Math.max(hi - lo, Math.abs(mid) * 0.04) || 1;
    lo = mid - span / 2; hi = mid + span / 2;
    var pad = span * 0.08; lo -= pad; hi += pad;
    var n = s.points.length;
    return {
      lo: lo, hi: hi,
      x: function (i) { return L + (n === 1 ? (W - L - R) / 2 : (i * (W - L - R)) / (n - 1)); },
      y: function (v) { return T + ((hi - v) / (hi - lo)) * (H - T - B); }
    };
  }

  function axes(g, s, sc) {
    svg('line', { x1: L, y1: H - B, x2: W - R, y2: H - B, class: 'axis' }, g);
    [sc.lo + (sc.hi - sc.lo) * 0.1, (sc.lo + sc.hi) / 2, sc.hi - (sc.hi - sc.lo) * 0.1].forEach(function (v) {
      svg('line', { x1: L, y1: sc.y(v), x2: W - R, y2: sc.y(v), class: 'grid' }, g);
      svg('text', { x: L - 6, y: sc.y(v) + 4, class: 'tick', 'text-anchor': 'end' }, g).textContent = format(v, s.unit, true);
    });
    var first = s.points[0], last = s.points[s.points.length - 1];
    svg('text', { x: L, y: H - 6, class: 'tick' }, g).textContent = first[1].slice(0, 10);
    if (s.points.length > 1) svg('text', { x: W - R, y: H - 6, class: 'tick', 'text-anchor': 'end' }, g).textContent = last[1].slice(0, 10);
  }

  function runs(s, values) {
    var out = [], cur = null;
    s.points.forEach(function (p, i) {
      if (!values[i]) return;
      if (!cur || cur.fp !== p[3]) { cur = { fp: p[3], idx: [] }; out.push(cur); }
      cur.idx.push(i);
    });
    return out;
  }

  function lines(g, s, values, sc, color) {
    runs(s, values).forEach(function (run) {
      var c = color(run.fp);
      var top = run.idx.map(function (i) { return sc.x(i).toFixed(1) + ',' + sc.y(values[i][2]).toFixed(1); });
      var bottom = run.idx.slice().reverse().map(function (i) { return sc.x(i).toFixed(1) + ',' + sc.y(values[i][1]).toFixed(1); });
      svg('path', { d: 'M' + top.concat(bottom).join('L') + 'Z', class: 'band', fill: c }, g);
      var mid = run.idx.map(function (i) { return sc.x(i).toFixed(1) + ',' + sc.y(values[i][0]).toFixed(1); });
      svg('path', { d: 'M' + mid.join('L'), class: 'line', stroke: c }, g);
    });
  }

  function rules(g, s, id, sc) {
    for (var i = 1; i < s.points.length; i++) {
      if (s.points[i][3] === s.points[i - 1][3]) continue;
      var x = (sc.x(i - 1) + sc.x(i)) / 2;
      var r = svg('line', { x1: x, y1: T, x2: x, y2: H - B, class: 'runner-change' }, g);
      svg('title', {}, r).textContent = 'runner changed: ' + s.fingerprints[s.points[i][3]];
      svg('text', { x: x + 3, y: H - B - 4, class: 'runner-label' }, g).textContent = 'new runner';
    }
    s.shifts.forEach(function (sh) {
      if (sh[0] !== id) return;
      var at = -1;
      for (var k = 0; k < s.points.length; k++) if (s.points[k][0] === sh[1]) { at = k; break; }
      if (at < 1) return;
      var x = (sc.x(at - 1) + sc.x(at)) / 2;
      svg('line', { x1: x, y1: T, x2: x, y2: H - B, class: 'shift' }, g);
      svg('text', { x: x + 4, y: T + 10, class: 'shift-label' }, g).textContent = signed(sh[2]) + ' at ' + sh[1].slice(0, 7);
    });
  }

  function dots(g, s, values, sc, color) {
    s.points.forEach(function (p, i) {
      var v = values[i];
      if (!v) return;
      var href = commitHref(p[0]);
      var parent = href ? svg('a', { href: href, target: '_blank', rel: 'noopener' }, g) : g;
      var dot = svg('circle', { cx: sc.x(i), cy: sc.y(v[0]), r: 3, class: p[4] > 0 ? 'dot squashed' : 'dot', fill: color(p[3]) }, parent);
      var text = p[0].slice(0, 7) + ' · ' + p[1].slice(0, 10) + '\n' + format(v[0], s.unit);
      if (v[1] !== v[2]) text += ' [' + format(v[1], s.unit) + ' – ' + format(v[2], s.unit) + ']';
      if (p[4] > 0) text += '\nmedian of ' + p[4] + ' points (squashed)';
      svg('title', {}, dot).textContent = text;
    });
  }

  function draw(box, s, id, color) {
    var values = s.cases[id].map(figure);
    var chart = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, class: 'chart', role: 'img' }, box);
    svg('title', {}, chart).textContent = id;
    var sc = scales(s, values);
    axes(chart, s, sc);
    lines(chart, s, values, sc, color);
    rules(chart, s, id, sc);
    dots(chart, s, values, sc, color);
    box.setAttribute('data-drawn', 'true');
  }

  function section(s, lazy) {
    var sec = html('section', null, document.getElementById('charts'), 'series');
    html('h2', s.part + ' · bench ' + s.bench + ' · ' + s.metric + (s.unit === s.metric ? '' : ' (' + s.unit + ')'), sec);
    var ids = Object.keys(s.fingerprints);
    var color = function (fp) { return COLORS[ids.indexOf(fp) % COLORS.length]; };
    var legend = html('ul', null, sec, 'legend');
    ids.forEach(function (fp) {
      var li = html('li', null, legend);
      html('span', null, li, 'swatch').style.background = color(fp);
      html('span', s.fingerprints[fp], li);
    });
    html('p', s.points.length + ' points, ' + Object.keys(s.cases).length + ' cases, ' + s.shifts.length + ' shifts announced.', sec, 'note');
    Object.keys(s.cases).forEach(function (id) {
      var box = html('div', null, sec, 'case');
      box.setAttribute('data-case', id);
      html('h3', id, box);
      var later = function () { draw(box, s, id, color); };
      if (lazy) { box._draw = later; lazy.observe(box); } else later();
    });
  }

  function filter() {
    var q = document.getElementById('filter').value.toLowerCase();
    document.querySelectorAll('.case').forEach(function (box) {
      box.style.display = box.getAttribute('data-case').toLowerCase().indexOf(q) >= 0 ? '' : 'none';
    });
  }

  if (!data || !data.series) {
    document.getElementById('status').textContent = 'No data: data.js beside this page did not load.';
    return;
  }
  document.getElementById('status').textContent = 'Made ' + data.generated.replace('T', ' ').slice(0, 16) + ' UTC from ' + data.series.length + ' series.';
  var lazy = 'IntersectionObserver' in window ? new IntersectionObserver(function (entries) {
    entries.forEach(function (e) {
      if (e.isIntersecting && e.target._draw) { var d = e.target._draw; e.target._draw = null; lazy.unobserve(e.target); d(); }
    });
  }, { rootMargin: '400px' }) : null;
  data.series.forEach(function (s) { section(s, lazy); });
  document.getElementById('filter').addEventListener('input', filter);
})();
`
