/**
 * The operations console: one static page, inline CSS and a little plain JavaScript, no build
 * step and no framework. An operator pastes an `ops:admin` token; it stays in sessionStorage (gone
 * with the tab) and goes as a bearer token to `/ops/api/*` and `/graphql`. The page polls every
 * five seconds and keeps the latency history it draws in memory.
 */
export const OPS_CONSOLE_HTML = /* HTML */ `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Crossdock operations</title>
<style>
  :root { --ok: #1a7f37; --warn: #b35900; --bad: #c62828; --muted: #5f6b7a; --line: #d8dee6; --bg: #f5f7fa; }
  * { box-sizing: border-box; }
  body { margin: 0; font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; color: #17202b; background: var(--bg); }
  header { display: flex; align-items: center; gap: 16px; padding: 10px 20px; background: #17202b; color: #fff; }
  header h1 { font-size: 17px; margin: 0; font-weight: 600; }
  header .status { margin-left: auto; font-size: 12px; color: #c4ccd6; }
  main { padding: 16px 20px; display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 14px; }
  section { background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 12px 14px; min-width: 0; }
  section.wide { grid-column: 1 / -1; }
  h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .04em; color: var(--muted); margin: 0 0 8px; }
  table { width: 100%; border-collapse: collapse; font-size: 13px; }
  th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: top; }
  th { color: var(--muted); font-weight: 500; }
  td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
  .badge { display: inline-block; padding: 1px 8px; border-radius: 10px; font-size: 12px; font-weight: 600; color: #fff; }
  .closed, .up, .ready { background: var(--ok); } .half-open, .degraded { background: var(--warn); } .open, .down, .unready { background: var(--bad); }
  .cards { display: flex; flex-wrap: wrap; gap: 8px; }
  .card { border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; min-width: 150px; }
  .card b { display: block; font-size: 13px; }
  .card small { color: var(--muted); display: block; max-width: 260px; overflow-wrap: anywhere; }
  button { font: inherit; padding: 3px 10px; border-radius: 4px; border: 1px solid #8592a3; background: #fff; cursor: pointer; }
  button.primary { background: #1f5fbf; border-color: #1f5fbf; color: #fff; }
  #signin { max-width: 560px; margin: 60px auto; background: #fff; border: 1px solid var(--line); border-radius: 6px; padding: 20px; }
  #signin textarea { width: 100%; height: 90px; font: 12px monospace; }
  .error { color: var(--bad); }
  .muted { color: var(--muted); }
  .alert { background: #fdecea; border: 1px solid #f5c2bd; color: var(--bad); padding: 8px 12px; border-radius: 6px; grid-column: 1 / -1; font-weight: 600; }
  svg text { font-size: 11px; fill: #3c4756; }
  code { font-size: 12px; }
</style>
</head>
<body>
<header><h1>Crossdock operations</h1><span class="status" id="status">not signed in</span><button id="signout" hidden>Sign out</button></header>
<div id="signin">
  <h2>Sign in</h2>
  <p>Paste a bearer token with the <code>ops:admin</code> scope (<code>npm run -s token -- --scope ops:admin</code>). It is kept in this tab only.</p>
  <textarea id="token" aria-label="ops:admin token" spellcheck="false"></textarea>
  <p><button class="primary" id="signin-button">Sign in</button> <span class="error" id="signin-error"></span></p>
</div>
<main id="console" hidden>
  <div class="alert" id="outage" hidden></div>
  <section><h2>Services</h2><div class="cards" id="services"></div></section>
  <section><h2>Circuit breakers</h2><table id="circuits"></table></section>
  <section><h2>Backend calls</h2><table id="backends"></table></section>
  <section><h2>Fallback answers, outbox, events</h2><table id="fallback"></table><table id="outbox"></table><table id="events"></table></section>
  <section class="wide"><h2>Exceptions (open)</h2><table id="exceptions"></table><p class="muted" id="exceptions-note"></p></section>
  <section><h2>Order cycle time (mean, seconds)</h2><div id="cycle-chart"></div><table id="cycle"></table></section>
  <section><h2>Gateway latency (ms, p95 and mean, live)</h2><div id="latency-chart"></div><table id="operations"></table></section>
  <section class="wide"><h2>Inventory drift (WMS vs hub) <button id="reconcile">Reconcile now</button></h2><p class="muted" id="drift-note"></p><table id="drift"></table></section>
</main>
<script>
(function () {
  'use strict';
  var TOKEN_KEY = 'crossdock.ops.token';
  var history = [];
  var timer = null;
  var $ = function (id) { return document.getElementById(id); };
  var esc = function (value) {
    return String(value === null || value === undefined ? '' : value).replace(/[&<>"']/g, function (c) {
      return { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c];
    });
  };
  var num = function (value, digits) { return value === null || value === undefined ? '–' : Number(value).toFixed(digits === undefined ? 0 : digits); };
  var token = function () { return sessionStorage.getItem(TOKEN_KEY); };

  function api(path, init) {
    init = init || {};
    init.headers = Object.assign({ authorization: 'Bearer ' + token() }, init.headers || {});
    return fetch(path, init).then(function (response) {
      return response.json().then(function (body) {
        if (response.status === 401 || response.status === 403) { signOut((body.errors && body.errors[0] && body.errors[0].message) || 'not allowed'); throw new Error('signed out'); }
        return body;
      });
    });
  }
  function graphql(query, variables) {
    return api('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', 'apollographql-client-name': 'crossdock-ops-console' }, body: JSON.stringify({ query: query, variables: variables }) });
  }
  function rows(table, head, body) {
    $(table).innerHTML = '<tr>' + head.map(function (h) { return '<th' + (h.num ? ' class="num"' : '') + '>' + esc(h.label || h) + '</th>'; }).join('') + '</tr>' +
      (body.length ? body.join('') : '<tr><td class="muted" colspan="' + head.length + '">none</td></tr>');
  }
  function badge(state) { return '<span class="badge ' + esc(state) + '">' + esc(state) + '</span>'; }

  function renderOverview(o) {
    $('services').innerHTML = o.services.map(function (s) {
      var detail = Object.keys(s.checks).map(function (k) { return k + ': ' + s.checks[k]; }).join(' · ');
      // Ready with a dependency down: it answers, from its fallback cache or with fast errors.
      var degraded = Object.keys(s.checks).some(function (k) { return String(s.checks[k]).indexOf('down') === 0; });
      var state = !s.ready ? 'unready' : degraded ? 'degraded' : 'ready';
      return '<div class="card" data-service="' + esc(s.name) + '"><b>' + esc(s.name) + ' ' + badge(state) + '</b><small>' + esc(detail) + '</small></div>';
    }).join('');
    rows('circuits', ['service', 'backend', 'state'], o.circuits.map(function (c) {
      return '<tr data-circuit="' + esc(c.service + ':' + c.backend) + '" data-state="' + esc(c.state) + '"><td>' + esc(c.service) + '</td><td>' + esc(c.backend) + '</td><td>' + badge(c.state) + '</td></tr>';
    }));
    var open = o.circuits.filter(function (c) { return c.state !== 'closed'; });
    var down = o.services.filter(function (s) { return Object.keys(s.checks).some(function (k) { return String(s.checks[k]).indexOf('down') === 0; }); });
    $('outage').hidden = open.length === 0 && down.length === 0;
    $('outage').textContent = 'Outage: ' + open.map(function (c) { return c.backend + ' circuit ' + c.state + ' (' + c.service + ')'; })
      .concat(down.map(function (s) { return s.name + ' backend down'; })).join('; ');
    rows('backends', ['backend', { label: 'calls', num: 1 }, { label: 'errors', num: 1 }, { label: 'mean ms', num: 1 }, { label: 'p95 ms', num: 1 }], o.backends.map(function (b) {
      return '<tr><td>' + esc(b.backend) + '</td><td class="num">' + num(b.calls) + '</td><td class="num">' + num(b.errors) + '</td><td class="num">' + num(b.meanMs, 1) + '</td><td class="num">' + num(b.p95Ms, 1) + '</td></tr>';
    }));
    rows('fallback', ['fallback (subgraph)', { label: 'served', num: 1 }, { label: 'missed', num: 1 }], o.fallback.map(function (f) {
      return '<tr data-fallback="' + esc(f.subgraph) + '"><td>' + esc(f.subgraph) + '</td><td class="num">' + num(f.served) + '</td><td class="num">' + num(f.missed) + '</td></tr>';
    }));
    rows('outbox', ['outbox target', { label: 'queued', num: 1 }, { label: 'oldest (s)', num: 1 }], o.outbox.map(function (b) {
      return '<tr><td>' + esc(b.target) + '</td><td class="num">' + num(b.depth) + '</td><td class="num">' + num(b.oldestAgeSeconds, 1) + '</td></tr>';
    }));
    rows('events', ['event stream / group', { label: 'lag', num: 1 }, { label: 'lag (s)', num: 1 }], o.events.map(function (e) {
      return '<tr><td>' + esc(e.stream + ' / ' + e.group) + '</td><td class="num">' + num(e.lag) + '</td><td class="num">' + num(e.lagSeconds, 1) + '</td></tr>';
    }).concat(o.subscriptions.map(function (s) { return '<tr><td>subscriptions open: ' + esc(s.field) + '</td><td class="num">' + num(s.open) + '</td><td></td></tr>'; })));
    rows('cycle', ['channel', 'stage', { label: 'orders', num: 1 }, { label: 'p50 s', num: 1 }, { label: 'p90 s', num: 1 }], o.cycleTime.filter(function (c) { return c.count > 0; }).map(function (c) {
      return '<tr><td>' + esc(c.channel) + '</td><td>' + esc(c.stage) + '</td><td class="num">' + num(c.count) + '</td><td class="num">' + num(c.p50Seconds, 1) + '</td><td class="num">' + num(c.p90Seconds, 1) + '</td></tr>';
    }));
    $('cycle-chart').innerHTML = barChart(o.cycleTime.filter(function (c) { return c.count > 0; }).map(function (c) { return { label: c.channel + ' ' + c.stage.replace(/_/g, ' '), value: c.meanSeconds || 0 }; }));
    rows('operations', ['operation', 'client', 'outcome', { label: 'count', num: 1 }, { label: 'p95 ms', num: 1 }], o.operations.filter(function (p) { return p.count > 0; }).sort(function (a, b) { return b.count - a.count; }).slice(0, 12).map(function (p) {
      return '<tr><td>' + esc(p.operation) + '</td><td>' + esc(p.clientClass) + '</td><td>' + esc(p.outcome) + '</td><td class="num">' + num(p.count) + '</td><td class="num">' + num(p.p95Ms, 1) + '</td></tr>';
    }));
    history.push({ at: Date.now(), p95: o.gateway.p95Ms || 0, mean: o.gateway.meanMs || 0 });
    if (history.length > 120) history.shift();
    $('latency-chart').innerHTML = lineChart(history);
  }

  function barChart(bars) {
    if (!bars.length) return '<p class="muted">no orders observed yet</p>';
    var max = Math.max.apply(null, bars.map(function (b) { return b.value; })) || 1;
    var h = 22 * bars.length + 6;
    return '<svg width="100%" height="' + h + '" viewBox="0 0 400 ' + h + '" preserveAspectRatio="none" role="img" aria-label="order cycle time">' + bars.map(function (b, i) {
      var w = Math.max(2, (b.value / max) * 150);
      return '<text x="0" y="' + (i * 22 + 15) + '">' + esc(b.label) + '</text><rect x="190" y="' + (i * 22 + 4) + '" width="' + w + '" height="14" fill="#1f5fbf"></rect>' +
        '<text x="' + (195 + w) + '" y="' + (i * 22 + 15) + '">' + num(b.value, 1) + '</text>';
    }).join('') + '</svg>';
  }

  function lineChart(points) {
    if (points.length < 2) return '<p class="muted">collecting…</p>';
    var max = Math.max.apply(null, points.map(function (p) { return p.p95; })) || 1;
    var x = function (i) { return 30 + (i / (points.length - 1)) * 360; };
    var y = function (v) { return 110 - (v / max) * 100; };
    var line = function (key, color) {
      return '<polyline fill="none" stroke="' + color + '" stroke-width="2" points="' + points.map(function (p, i) { return x(i).toFixed(1) + ',' + y(p[key]).toFixed(1); }).join(' ') + '"></polyline>';
    };
    return '<svg width="100%" height="130" viewBox="0 0 400 130" role="img" aria-label="gateway latency">' +
      '<line x1="30" y1="110" x2="390" y2="110" stroke="#d8dee6"></line><text x="0" y="14">' + num(max, 0) + '</text><text x="0" y="112">0</text>' +
      line('p95', '#c62828') + line('mean', '#1f5fbf') + '<text x="300" y="125" fill="#c62828">p95</text><text x="340" y="125">mean</text></svg>';
  }

  var EXCEPTIONS = 'query OpsExceptions { exceptions(filter: { states: [OPEN] }, first: 50) { edges { node { id kind channel warehouseId subject reason attempts lastSeenAt } } } }';
  function loadExceptions() {
    return graphql(EXCEPTIONS).then(function (body) {
      if (body.errors) { $('exceptions-note').textContent = body.errors[0].message; }
      var edges = (body.data && body.data.exceptions && body.data.exceptions.edges) || [];
      rows('exceptions', ['id', 'kind', 'channel', 'warehouse', 'subject', 'reason', { label: 'attempts', num: 1 }, 'last seen', ''], edges.map(function (e) {
        var x = e.node;
        return '<tr data-exception="' + esc(x.id) + '"><td><code>' + esc(x.id) + '</code></td><td>' + esc(x.kind) + '</td><td>' + esc(x.channel) + '</td><td>' + esc(x.warehouseId) + '</td><td>' + esc(x.subject) +
          '</td><td>' + esc(x.reason) + '</td><td class="num">' + num(x.attempts) + '</td><td>' + esc(x.lastSeenAt) + '</td><td><button data-replay="' + esc(x.id) + '">Replay</button> <button data-discard="' + esc(x.id) + '">Discard</button></td></tr>';
      }));
    });
  }
  function replay(id) {
    graphql('mutation OpsReplay($ids: [ID!]!) { replayExceptions(ids: $ids) { results { id outcome message } } }', { ids: [id] }).then(function (body) {
      var result = body.data && body.data.replayExceptions.results[0];
      $('exceptions-note').textContent = result ? id + ': ' + result.outcome + ' – ' + result.message : (body.errors || [{ message: 'replay failed' }])[0].message;
      return loadExceptions();
    });
  }
  function discard(id) {
    var reason = window.prompt('Why discard ' + id + '?');
    if (!reason) return;
    graphql('mutation OpsDiscard($id: ID!, $reason: String!) { discardException(id: $id, reason: $reason) { errors { message } } }', { id: id, reason: reason }).then(function (body) {
      var errors = (body.data && body.data.discardException.errors) || body.errors || [];
      $('exceptions-note').textContent = errors.length ? errors[0].message : id + ' discarded';
      return loadExceptions();
    });
  }

  function renderDrift(report) {
    if (report.errors) { $('drift-note').textContent = report.errors[0].message; return; }
    if (!report.ranAt) { $('drift-note').textContent = 'no reconciliation has run yet'; rows('drift', ['sku'], []); return; }
    $('drift-note').textContent = 'last run ' + report.ranAt + ' · ' + report.positionsChecked + ' positions of ' + report.skusChecked + ' SKUs checked · threshold ' + report.threshold + ' units' + (report.error ? ' · failed: ' + report.error : '');
    rows('drift', ['sku', 'warehouse', { label: 'hub on hand', num: 1 }, { label: 'WMS on hand', num: 1 }, { label: 'drift', num: 1 }, { label: 'hub reserved', num: 1 }, { label: 'WMS reserved', num: 1 }, { label: 'pending', num: 1 }, 'exception'], report.drifting.map(function (d) {
      return '<tr data-drift="' + esc(d.sku + '@' + d.warehouseId) + '"><td>' + esc(d.sku) + '</td><td>' + esc(d.warehouseId) + '</td><td class="num">' + num(d.hubOnHand) + '</td><td class="num">' + num(d.wmsOnHand) +
        '</td><td class="num">' + num(d.onHandDrift) + '</td><td class="num">' + num(d.hubReserved) + '</td><td class="num">' + num(d.wmsReserved) + '</td><td class="num">' + num(d.pending) + '</td><td>' + esc(d.exceptionId || '') + '</td></tr>';
    }));
  }
  function loadDrift() { return api('/ops/api/drift').then(renderDrift); }

  function refresh() {
    return Promise.all([api('/ops/api/overview').then(renderOverview), loadExceptions(), loadDrift()]).then(function () {
      $('status').textContent = 'updated ' + new Date().toLocaleTimeString();
      document.body.setAttribute('data-loaded', 'true');
    }).catch(function (error) { $('status').textContent = 'refresh failed: ' + error.message; });
  }
  function signIn(value) {
    sessionStorage.setItem(TOKEN_KEY, value.trim());
    $('signin').hidden = true; $('console').hidden = false; $('signout').hidden = false; $('signin-error').textContent = '';
    refresh();
    clearInterval(timer);
    timer = setInterval(refresh, 5000);
  }
  function signOut(message) {
    sessionStorage.removeItem(TOKEN_KEY);
    clearInterval(timer);
    $('signin').hidden = false; $('console').hidden = true; $('signout').hidden = true;
    $('signin-error').textContent = message || ''; $('status').textContent = 'not signed in';
  }

  $('signin-button').addEventListener('click', function () { if ($('token').value.trim()) signIn($('token').value); });
  $('signout').addEventListener('click', function () { signOut(''); });
  $('reconcile').addEventListener('click', function () { $('drift-note').textContent = 'reconciling…'; api('/ops/api/drift/run', { method: 'POST' }).then(renderDrift); });
  $('exceptions').addEventListener('click', function (event) {
    var target = event.target;
    if (target.dataset.replay) replay(target.dataset.replay);
    if (target.dataset.discard) discard(target.dataset.discard);
  });
  if (token()) signIn(token());
})();
</script>
</body>
</html>
`;
