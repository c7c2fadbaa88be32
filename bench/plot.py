#!/usr/bin/env python3
"""PNG plots from bench/results/bench.json (matplotlib): latency.png, handoff.png, size.png,
throughput.png. Usage: python3 bench/plot.py [RESULTS_DIR]"""
import json
import re
import sys
from pathlib import Path

import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import matplotlib.ticker  # noqa: E402,F401

C = {"ours": "#1f77b4", "phpredis": "#d62728", "phpredis20": "#ff9896"}
CODEC_COLORS = {"gzip": "#2ca02c", "lz4": "#ff7f0e", "snappy": "#9467bd", "lzf": "#8c564b", "zstd": "#17becf"}


def latency(res, out):
    rows = res["phases"]["latency"]["rows"]
    keys = [k for k in ("redis.lock_off", "redis.lock_on", "rediscluster.lock_off", "rediscluster.lock_on") if k in rows]
    fig = plt.figure(figsize=(13, 6.5))
    gs = fig.add_gridspec(2, 3, width_ratios=[1.25, 1, 1])
    ax = fig.add_subplot(gs[:, 0])
    x = range(len(keys))
    for j, ext in enumerate(("ours", "phpredis")):
        med = [rows[k][ext]["median"] for k in keys]
        lo = [rows[k][ext]["median"] - rows[k][ext]["min"] for k in keys]
        hi = [rows[k][ext]["max"] - rows[k][ext]["median"] for k in keys]
        xs = [i + (j - 0.5) * 0.38 for i in x]
        ax.bar(xs, med, 0.38, yerr=[lo, hi], capsize=3, color=C[ext],
               label="redis_session" if ext == "ours" else "phpredis 5.3.7")
        for xi, m in zip(xs, med):
            ax.text(xi, m, f"{m:.0f}", ha="center", va="bottom", fontsize=8)
    for i, k in enumerate(keys):
        ax.text(i, 0, f"x{rows[k]['ratio']['median']:.2f}", ha="center", va="bottom", fontsize=9, color="white",
                fontweight="bold")
    ax.set_xticks(list(x))
    ax.set_xticklabels([k.replace(".lock_", "\nlock ") for k in keys])
    ax.set_ylabel("µs per request (p50 of each run; median of runs, bars: min-max)")
    ax.set_title("Latency per request, one warm process\n(start + change + close; white: ratio ours/phpredis)")
    ax.legend(loc="upper left")
    for n, k in enumerate(keys):
        a = fig.add_subplot(gs[n // 2, 1 + n % 2])
        for ext in ("ours", "phpredis"):
            s = sorted(rows[k].get("samples_us", {}).get(ext, []))
            if s:
                a.plot(s, [i / (len(s) - 1) * 100 for i in range(len(s))], color=C[ext],
                       label="redis_session" if ext == "ours" else "phpredis")
        a.set_xscale("log")
        a.xaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: f"{v:g}"))
        a.xaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
        a.set_title(k.replace(".", ", "), fontsize=10)
        a.set_xlabel("µs per request (log)", fontsize=8)
        a.set_ylabel("% of requests ≤ x", fontsize=8)
        a.grid(True, which="both", alpha=0.3)
        a.tick_params(labelsize=8)
        if n == 0:
            a.legend(fontsize=8, loc="lower right")
    srv = re.search(r"^(\w+).*?v=(\S+)", res["meta"].get("server", ""))
    srv = f"{srv.group(1)} {srv.group(2)}" if srv else ""
    fig.suptitle(f"redis_session vs phpredis 5.3.7 — {srv}, {res['meta'].get('nproc')} cores, loopback, PHP {res['meta'].get('php')}",
                 fontsize=10)
    fig.tight_layout()
    fig.savefig(out / "latency.png", dpi=110)
    plt.close(fig)


def handoff(res, out):
    rows = res["phases"]["handoff"]["rows"]
    ns = sorted({int(k.split(".")[1][1:]) for k in rows if k.startswith("redis.")})
    variants = [("ours", "redis_session", C["ours"]), ("phpredis", "phpredis, poll 2 ms", C["phpredis"]),
                ("phpredis.wait20ms", "phpredis, poll 20 ms", C["phpredis20"])]
    variants = [v for v in variants if any(f"redis.n{n}.{v[0]}" in rows for n in ns)]
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 5.2), gridspec_kw={"width_ratios": [1.6, 1]})
    w = 0.8 / len(variants)
    for j, (v, label, col) in enumerate(variants):
        data, pos = [], []
        for i, n in enumerate(ns):
            r = rows.get(f"redis.n{n}.{v}")
            if r and r.get("from_call"):
                data.append(r["from_call"])
                pos.append(i + (j - (len(variants) - 1) / 2) * w)
        if data:
            bp = a1.boxplot(data, positions=pos, widths=w * 0.85, patch_artist=True, showfliers=True,
                            flierprops={"markersize": 3})
            for b in bp["boxes"]:
                b.set_facecolor(col)
            for m in bp["medians"]:
                m.set_color("black")
            a1.plot([], [], color=col, lw=8, label=label)
    a1.set_yscale("log")
    a1.set_xticks(range(len(ns)))
    a1.set_xticklabels([f"{n} waiters" for n in ns])
    a1.set_ylabel("ms from holder's session_write_close() call\nto next waiter's session_start() return (log)")
    a1.set_title("Lock hand-off latency, redis handler\n(includes the release's own round trip)", fontsize=10)
    a1.axhline(1.0, color="gray", ls="--", lw=0.8)
    a1.text(len(ns) - 0.5, 1.05, "1 ms", color="gray", fontsize=8, ha="right")
    a1.grid(True, axis="y", which="both", alpha=0.3)
    a1.legend(loc="upper left", fontsize=9)
    for j, (v, label, col) in enumerate(variants):
        vals = []
        for n in ns:
            r = rows.get(f"redis.n{n}.{v}")
            vals.append(100 * r["in_order"] / r["fair_total"] if r and r["fair_total"] else 0)
        xs = [i + (j - (len(variants) - 1) / 2) * w for i in range(len(ns))]
        a2.bar(xs, vals, w, color=col, label=label)
        for x, y in zip(xs, vals):
            a2.text(x, y + 1, f"{y:.0f}", ha="center", fontsize=8)
    a2.set_xticks(range(len(ns)))
    a2.set_xticklabels([f"{n} waiters" for n in ns])
    a2.set_ylim(0, 110)
    a2.set_ylabel("% of hand-offs to the longest-waiting request")
    a2.set_title("Fairness: served in arrival order")
    fig.tight_layout()
    fig.savefig(out / "handoff.png", dpi=110)
    plt.close(fig)


def size(res, out):
    ph = res["phases"]["size"]
    sizes = ph["sizes"]
    rows = ph["rows"]
    variants = list(rows[str(sizes[0])].keys())
    fig, (a1, a2) = plt.subplots(1, 2, figsize=(13, 5.2))
    for v in variants:
        ys = [rows[str(s)][v]["p50_us"]["median"] if rows[str(s)][v]["p50_us"] else None for s in sizes]
        sv = [rows[str(s)][v]["server_us_per_req"]["median"] if rows[str(s)][v].get("server_us_per_req") else None
              for s in sizes]
        ext, codec, lock = v.split(":")
        style = "-" if lock == "lock_on" else ":"
        col = C["phpredis"] if ext == "phpredis" else (C["ours"] if codec == "none" else CODEC_COLORS.get(codec))
        lw = 2.2 if codec == "none" else 1.2
        label = ("redis_session" if ext == "ours" else "phpredis") + (f" {codec}" if codec != "none" else "") + \
            (", lock off" if lock == "lock_off" else "")
        a1.plot(sizes, ys, style, marker="o", color=col, lw=lw, label=label)
        a2.plot(sizes, sv, style, marker="o", color=col, lw=lw, label=label)
    for a, t, yl in ((a1, "Client: µs per request vs session size", "p50 µs per request (start+change+close)"),
                     (a2, "Server: Redis time per request (INFO commandstats)", "server µs per request")):
        a.set_xscale("log")
        a.set_yscale("log")
        a.set_xticks(sizes)
        a.set_xticklabels(["1 KB", "10 KB", "100 KB", "1 MB"][:len(sizes)])
        a.set_xlabel("serialized session size")
        a.set_ylabel(yl)
        a.set_title(t + "\n(redis handler; solid: locking on)", fontsize=10)
        a.grid(True, which="both", alpha=0.3)
    a1.legend(fontsize=8)
    fig.tight_layout()
    fig.savefig(out / "size.png", dpi=110)
    plt.close(fig)


def throughput(res, out):
    rows = res["phases"]["throughput"]["rows"]
    handlers = [h for h in ("redis", "rediscluster") if any(k.startswith(h + ".") for k in rows)]
    fig, axes = plt.subplots(1, len(handlers), figsize=(13, 6.5), squeeze=False)
    for a, h in zip(axes[0], handlers):
        keys = [k for k in rows if k.startswith(h + ".")]
        y = range(len(keys))
        for j, ext in enumerate(("ours", "phpredis")):
            vals = [rows[k][ext]["median"] for k in keys]
            a.barh([i + (0.5 - j) * 0.4 for i in y], vals, 0.4, color=C[ext],
                   label="redis_session" if ext == "ours" else "phpredis 5.3.7")
        for i, k in enumerate(keys):
            a.text(max(rows[k]["ours"]["median"], rows[k]["phpredis"]["median"]) * 1.01, i,
                   f"x{rows[k]['ratio']['median']:.2f}", va="center", fontsize=8)
        a.set_yticks(list(y))
        a.set_yticklabels([k[len(h) + 1:].replace("lock_", "lock ").replace(".c", ", c=").replace(".", ", ")
                           .replace("1000", "1000 sess").replace("hot", "1 hot sess") for k in keys], fontsize=8)
        a.invert_yaxis()
        a.set_xlabel("requests/s (median of runs)")
        a.set_title(f"php-fpm throughput, {h} handler\n(ratio = ours/phpredis, higher is better)", fontsize=10)
        a.legend(fontsize=8, loc="lower right")
        a.grid(True, axis="x", alpha=0.3)
    fig.tight_layout()
    fig.savefig(out / "throughput.png", dpi=110)
    plt.close(fig)


def main():
    out = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent / "results")
    res = json.loads((out / "bench.json").read_text())
    made = []
    for name, fn in (("latency", latency), ("handoff", handoff), ("size", size), ("throughput", throughput)):
        if name in res.get("phases", {}):
            fn(res, out)
            made.append(f"{out / name}.png")
    print("plots:", " ".join(made) if made else "none (no phase results)")


if __name__ == "__main__":
    main()
