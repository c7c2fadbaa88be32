<?php
// Demo page: a per-visitor counter kept in a Redis Cluster session, and a button that fires
// 20 concurrent requests on the same session. With locking every click adds exactly 20.
session_start();
$n = $_SESSION['n'] ?? 0;
session_write_close();
?><!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>redis_session demo</title>
<style>body{font:16px system-ui;margin:3em}button{font-size:1em;padding:.5em 1em}#n{font-size:3em}</style>
</head><body>
<h1>redis_session on a Redis Cluster</h1>
<p>Session counter: <span id="n"><?= (int)$n ?></span></p>
<p><button id="one">+1</button> <button id="many">20 concurrent requests</button></p>
<p id="note"></p>
<script>
const show = async r => { document.getElementById('n').textContent = (await r.json()).n; };
document.getElementById('one').onclick = async () => show(await fetch('increment.php'));
document.getElementById('many').onclick = async () => {
  const before = +document.getElementById('n').textContent;
  const all = await Promise.all(Array.from({length: 20}, () => fetch('increment.php')));
  await show(await fetch('increment.php?read=1'));
  const after = +document.getElementById('n').textContent;
  document.getElementById('note').textContent =
    `20 requests ran at once; the counter went from ${before} to ${after} (` +
    (after - before === 20 ? 'nothing lost' : `${20 - (after - before)} lost`) + ').';
};
</script>
</body></html>
