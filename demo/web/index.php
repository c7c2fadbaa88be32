<?php
// The demo page. It touches no session itself (so it loads even when Redis is down): the
// script below talks to api.php, which always answers JSON.
header('Cache-Control: no-store');
?><!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>redis_session demo: session locking on a Redis Cluster</title>
<link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Crect width='16' height='16' rx='3' fill='%23b3261e'/%3E%3Cpath d='M4 8h8M8 4v8' stroke='white' stroke-width='2'/%3E%3C/svg%3E">
<style>
:root { --ok: #1b7f3b; --bad: #b3261e; --mute: #5f6368; --line: #dadce0; --bg: #f8f9fa; }
* { box-sizing: border-box; }
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; margin: 0; color: #202124; background: #fff; }
main { max-width: 1120px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 1.5em; margin: 0 0 .3em; }
h2 { font-size: 1.15em; margin: 0; }
p { margin: .4em 0; }
.lead { color: #3c4043; max-width: 900px; }
.controls { display: flex; flex-wrap: wrap; gap: 12px 18px; align-items: center; margin: 16px 0; padding: 12px 14px; background: var(--bg); border: 1px solid var(--line); border-radius: 8px; }
label { color: var(--mute); }
select, button { font: inherit; }
button { padding: .45em 1em; border-radius: 6px; border: 1px solid #1a73e8; background: #1a73e8; color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: #1a73e8; }
button:disabled { opacity: .45; cursor: default; }
.sides { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
@media (max-width: 760px) { .sides { grid-template-columns: 1fr; } }
.side { border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; min-width: 0; }
.side header { display: flex; justify-content: space-between; align-items: start; gap: 8px; }
.side .what { color: var(--mute); font-size: .9em; margin: 2px 0 8px; overflow-wrap: anywhere; }
.verdict { font-size: 1.6em; font-weight: 600; margin: 6px 0 4px; min-height: 1.45em; }
.verdict.ok { color: var(--ok); } .verdict.bad { color: var(--bad); } .verdict.idle { color: var(--mute); font-weight: 400; font-size: 1.2em; }
table { border-collapse: collapse; width: 100%; margin: 6px 0; }
td { padding: 3px 0; border-bottom: 1px solid #f1f3f4; }
td:last-child { text-align: right; font-variant-numeric: tabular-nums; font-weight: 600; }
.progress { height: 6px; background: #e8eaed; border-radius: 3px; overflow: hidden; margin: 6px 0; }
.progress div { height: 100%; width: 0; background: #1a73e8; transition: width .1s; }
.bars { display: flex; align-items: flex-end; gap: 2px; height: 70px; border-bottom: 1px solid var(--line); margin-top: 4px; }
.bars div { flex: 1; background: #8ab4f8; min-height: 1px; }
.bars div.fail { background: var(--bad); height: 100% !important; opacity: .6; }
.caption { color: var(--mute); font-size: .85em; }
.error { color: var(--bad); background: #fce8e6; border-radius: 6px; padding: 6px 10px; margin: 8px 0 0; overflow-wrap: anywhere; }
.error:empty { display: none; }
.failover { margin-top: 22px; border: 1px solid var(--line); border-radius: 8px; padding: 14px 16px; }
.timeline { display: flex; flex-wrap: wrap; gap: 2px; margin: 8px 0; min-height: 12px; }
.timeline span { width: 8px; height: 12px; background: var(--ok); border-radius: 1px; }
.timeline span.fail { background: var(--bad); }
code { background: #f1f3f4; padding: 1px 4px; border-radius: 3px; font-size: .92em; }
</style>
</head>
<body>
<main>
<h1>redis_session: session locking on a Redis Cluster</h1>
<p class="lead">Each run fires <b>N requests at the same session at once</b>. Every request reads the
session's counter, works for a moment (holds the session <i>hold</i> ms, as a real page does),
and writes <code>counter + 1</code>. <b>With locking</b> the requests take turns: every +1 is stored,
and the later requests wait for the lock (the bars). <b>Without locking</b> overlapping requests read
the same value and overwrite each other: updates are <b>lost</b> &mdash; a cart item, a flash message,
a login state gone. Both sides use the same cluster; each has its own session.</p>

<div class="controls">
  <label>Requests per run <select id="count"><option>10</option><option selected>20</option><option>50</option></select></label>
  <label>Hold <select id="hold"><option value="0">0 ms</option><option value="20" selected>20 ms</option><option value="50">50 ms</option></select></label>
  <button id="run-both">Run both sides</button>
  <button id="reset" class="secondary">Reset counters</button>
  <span class="caption">A browser sends at most 6 requests at a time to one server (HTTP/1.1): up to 6 overlap.</span>
</div>

<div class="sides">
  <section class="side" id="side-a" data-variant="on">
    <header><div><h2>redis_session, locking on</h2><p class="what" data-role="what">&hellip;</p></div>
      <button data-role="run">Run</button></header>
    <div data-role="body"></div>
  </section>
  <section class="side" id="side-b">
    <header><div><h2>Comparison: <select id="compare">
        <option value="off" selected>redis_session, locking off</option>
        <option value="phpredis">phpredis</option></select></h2>
        <p class="what" data-role="what">&hellip;</p></div>
      <button data-role="run">Run</button></header>
    <div data-role="body"></div>
  </section>
</div>

<section class="failover">
  <h2>Watch a failover</h2>
  <p>Sends one locked increment every 250 ms to the left side's session and shows each answer
  (green ok, red failed). Kill the Redis master that holds the session: requests fail until its
  replica is promoted (about 10 s here), then succeed again in the same PHP workers, with the counter intact.</p>
  <p><button id="watch">Start sending</button></p>
  <p id="where"></p>
  <div class="timeline" id="timeline"></div>
  <p id="watch-summary" class="caption"></p>
  <p id="watch-error" class="error"></p>
</section>
</main>

<template id="side-body">
  <div class="verdict" data-role="verdict"></div>
  <div class="progress"><div data-role="progress"></div></div>
  <table>
    <tr><td>Counter before &rarr; after</td><td data-role="counter">&ndash;</td></tr>
    <tr><td>Expected (+1 per successful request)</td><td data-role="expected">&ndash;</td></tr>
    <tr><td>Stored</td><td data-role="stored">&ndash;</td></tr>
    <tr><td>Lost updates</td><td data-role="lost">&ndash;</td></tr>
    <tr><td>Failed requests</td><td data-role="failed">&ndash;</td></tr>
    <tr><td>Total time of the run</td><td data-role="time">&ndash;</td></tr>
    <tr><td data-role="wait-label">Lock wait per request (median / max)</td><td data-role="wait">&ndash;</td></tr>
  </table>
  <div class="bars" data-role="bars"></div>
  <p class="caption" data-role="bars-caption">One bar per request, in the order sent: its wait in session_start().</p>
  <p class="error" data-role="error"></p>
</template>

<script>
'use strict';
const $ = (sel, root = document) => root.querySelector(sel);
const TIMEOUT_MS = 15000;
const sides = {};
let busy = 0;

// Every request is a unique URL fetched with cache: 'no-store', so the browser never merges
// or serialises identical requests: they really run at the same time.
let seq = 0;
function url(variant, action, extra = '') {
  const base = variant === 'phpredis' ? 'phpredis/api.php' : 'api.php';
  return `${base}?variant=${variant}&action=${action}${extra}&r=${Date.now().toString(36)}-${++seq}`;
}

// One JSON call; resolves to {ok, status, body} or {ok: false, error} -- never throws.
async function call(variant, action, extra = '') {
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), TIMEOUT_MS);
  try {
    const r = await fetch(url(variant, action, extra), {cache: 'no-store', credentials: 'same-origin', signal: ctl.signal});
    const text = await r.text();
    let body;
    try { body = JSON.parse(text); } catch (e) {
      return {ok: false, status: r.status, error: `HTTP ${r.status}: the server did not answer JSON (${text.slice(0, 120).replace(/\s+/g, ' ') || 'empty answer'})`};
    }
    if (!r.ok) return {ok: false, status: r.status, body, error: `HTTP ${r.status}: ${body.error || 'request failed'}`};
    return {ok: true, status: r.status, body};
  } catch (e) {
    return {ok: false, status: 0, error: e.name === 'AbortError' ? `no answer within ${TIMEOUT_MS / 1000} s` : 'the web server cannot be reached'};
  } finally {
    clearTimeout(timer);
  }
}

function setBusy(delta) {
  busy += delta;
  document.querySelectorAll('button[data-role=run], #run-both, #reset, #count, #hold, #compare')
    .forEach(b => { b.disabled = busy > 0; });
  document.body.dataset.busy = busy > 0 ? '1' : '0';
}

function makeSide(el) {
  el.querySelector('[data-role=body]').append($('#side-body').content.cloneNode(true));
  const r = role => el.querySelector(`[data-role=${role}]`);
  const side = {el, r, variant: () => el.dataset.variant || $('#compare').value, info: null};
  r('verdict').textContent = 'not run yet';
  r('verdict').classList.add('idle');
  r('run').addEventListener('click', () => guarded(() => runSide(side)));
  return side;
}

async function guarded(fn) {
  if (busy) return;            // a second click while a run is in flight does nothing
  setBusy(1);
  try { await fn(); } finally { setBusy(-1); }
}

async function describe(side) {
  const v = side.variant();
  const res = await call(v, 'info');
  side.info = res.ok ? res.body : null;
  side.el.dataset.available = res.ok ? '1' : '0';
  if (!res.ok) {
    side.r('what').textContent = res.status === 501 ? 'not available here' : '';
    side.r('error').textContent = res.error;
    return;
  }
  const i = res.body;
  side.r('error').textContent = '';
  side.r('what').textContent = `${i.module} · PHP ${i.php} · ${i.save_handler} handler · locking_enabled=${i.locking_enabled ? 1 : 0}` +
    (i.module.startsWith('phpredis') && i.save_handler === 'rediscluster' ? ' (phpredis does not lock on a cluster)' : '');
  side.r('wait-label').textContent = i.stats ? 'Lock wait per request (median / max)' : 'session_start() time per request (median / max)';
  side.r('bars-caption').textContent = i.stats
    ? 'One bar per request, in the order sent: how long it waited for the lock (redis_session_stats()).'
    : 'One bar per request, in the order sent: how long its session_start() took.';
}

const median = a => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : 0; };
const fmt = ms => ms < 10 ? ms.toFixed(1) + ' ms' : Math.round(ms) + ' ms';

async function runSide(side) {
  const v = side.variant(), n = +$('#count').value, hold = +$('#hold').value, r = side.r;
  side.el.dataset.state = 'running';
  delete side.el.dataset.lost;
  r('error').textContent = '';
  r('verdict').textContent = 'running…'; r('verdict').className = 'verdict';
  ['counter', 'expected', 'stored', 'lost', 'failed', 'time', 'wait'].forEach(k => { r(k).textContent = '…'; });
  r('bars').replaceChildren();
  r('progress').style.width = '0';
  if (!side.info) await describe(side);

  const before = await call(v, 'state');      // also creates the session, so all N share it
  if (!before.ok) return fail(side, before.error);
  let done = 0;
  const t0 = performance.now();
  const results = await Promise.all(Array.from({length: n}, () =>
    call(v, 'increment', `&hold=${hold}`).then(res => { r('progress').style.width = `${100 * ++done / n}%`; return res; })));
  const elapsed = performance.now() - t0;
  const after = await call(v, 'state');
  if (!after.ok) return fail(side, after.error);

  const good = results.filter(x => x.ok), bad = results.filter(x => !x.ok);
  const b = before.body.n, a = after.body.n, expected = b + good.length, lost = expected - a;
  const waits = good.map(x => x.body.lock_wait_ms ?? x.body.start_ms);
  r('counter').textContent = `${b} → ${a}`;
  r('expected').textContent = `${expected} (+${good.length})`;
  r('stored').textContent = `${a} (+${a - b})`;
  r('lost').textContent = `${lost} of ${good.length}`;
  r('failed').textContent = `${bad.length}`;
  r('time').textContent = fmt(elapsed);
  r('wait').textContent = good.length ? `${fmt(median(waits))} / ${fmt(Math.max(...waits))}` : '–';
  const top = Math.max(1, ...waits);
  r('bars-caption').dataset.top = fmt(top);
  r('bars-caption').textContent = r('bars-caption').textContent.replace(/ Tallest: .*$/, '') + ` Tallest: ${fmt(top)}.`;
  r('bars').replaceChildren(...results.map(x => {
    const d = document.createElement('div');
    if (x.ok) {
      const w = x.body.lock_wait_ms ?? x.body.start_ms;
      d.style.height = `${Math.max(1, 100 * w / top)}%`;
      d.title = `waited ${fmt(w)}, request ${fmt(x.body.total_ms)}` + (x.body.handed_over ? ', lock handed over' : '');
    } else { d.className = 'fail'; d.title = x.error; }
    return d;
  }));
  r('verdict').textContent = lost === 0 ? `nothing lost: ${a - b} of ${good.length} stored` : `${lost} of ${good.length} updates lost`;
  r('verdict').className = 'verdict ' + (lost === 0 && !bad.length ? 'ok' : 'bad');
  if (bad.length) r('error').textContent = `${bad.length} request(s) failed: ${bad[0].error}`;
  side.el.dataset.lost = String(lost);
  side.el.dataset.failed = String(bad.length);
  side.el.dataset.state = 'done';
}

function fail(side, msg) {
  ['counter', 'expected', 'stored', 'lost', 'failed', 'time', 'wait'].forEach(k => { side.r(k).textContent = '–'; });
  side.r('progress').style.width = '0';
  side.r('verdict').textContent = 'could not run';
  side.r('verdict').className = 'verdict bad';
  side.r('error').textContent = msg;
  side.el.dataset.state = 'error';
}

// --- failover watch: one request every 250 ms until stopped
let watching = null;
async function watch() {
  const btn = $('#watch');
  if (watching) { watching.stop = true; return; }
  watching = {stop: false, ok: 0, failed: 0, last: null, broken: 0, replaced: 0, firstFail: null, lastFail: null};
  const w = watching;
  btn.textContent = 'Stop sending';
  $('#timeline').replaceChildren();
  $('#watch-error').textContent = '';
  const where = await call('on', 'where');
  $('#where').textContent = where.ok ? where.body.text : '';
  while (!w.stop) {
    const t = performance.now();
    const res = await call('on', 'increment', '&hold=0');
    const cell = document.createElement('span');
    if (res.ok) {
      if (res.body.new_session) w.replaced++;
      else if (w.last !== null && res.body.n !== w.last + 1) w.broken++;
      w.last = res.body.n; w.ok++;
    } else {
      cell.className = 'fail'; cell.title = res.error; w.failed++;
      w.firstFail ??= Date.now(); w.lastFail = Date.now();
      $('#watch-error').textContent = res.error;
    }
    $('#timeline').append(cell);
    if ($('#timeline').children.length > 240) $('#timeline').firstChild.remove();
    const parts = [`counter ${w.last ?? '–'}`, `${w.ok} ok`, `${w.failed} failed`];
    if (w.firstFail) parts.push(`failures from ${new Date(w.firstFail).toLocaleTimeString()} to ${new Date(w.lastFail).toLocaleTimeString()}`);
    if (w.broken) parts.push(`${w.broken} time(s) the counter did not continue from the last stored value`);
    if (w.replaced) parts.push(`${w.replaced} time(s) the server started a new, empty session instead (the old one is still stored)`);
    if (!w.broken && !w.replaced) parts.push('counter intact: every successful +1 is there');
    $('#watch-summary').textContent = parts.join(' · ');
    $('#watch-summary').dataset.broken = w.broken;
    $('#watch-summary').dataset.replaced = w.replaced;
    await new Promise(ok => setTimeout(ok, Math.max(0, 250 - (performance.now() - t))));
  }
  watching = null;
  btn.textContent = 'Start sending';
}

sides.a = makeSide($('#side-a'));
sides.b = makeSide($('#side-b'));
$('#compare').addEventListener('change', () => { sides.b.info = null; describe(sides.b); });
$('#run-both').addEventListener('click', () => guarded(async () => { await runSide(sides.a); await runSide(sides.b); }));
$('#reset').addEventListener('click', () => guarded(async () => {
  for (const s of [sides.a, sides.b]) {
    const res = await call(s.variant(), 'reset');
    s.r('error').textContent = res.ok ? '' : res.error;
    s.r('counter').textContent = res.ok ? `${res.body.n}` : '–';
  }
}));
$('#watch').addEventListener('click', watch);
(async () => {
  await Promise.all([describe(sides.a), describe(sides.b)]);
  const phpredis = $('#compare option[value=phpredis]');
  const res = await call('phpredis', 'info');
  if (!res.ok) { phpredis.disabled = true; phpredis.textContent = 'phpredis (not set up here)'; }
  else { phpredis.textContent = `${res.body.module} (${res.body.save_handler})`; }
  document.body.dataset.ready = '1';
})();
</script>
</body>
</html>
