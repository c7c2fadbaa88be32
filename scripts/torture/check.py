"""The torture checker: proves the session-lock properties from the workers' logs, the fault log
and the final state of the hot sessions (see docs/TORTURE.md for the statements it checks).

Times are CLOCK_MONOTONIC ns (PHP's hrtime(true), Python's time.monotonic_ns()).
"""

import json
import os
import re

S = 1_000_000_000
# The longest a waiter may wait while nobody holds the lock: the 1 s block cap (a wake-up lost
# in a race, or a dead waiter's hand-off taken over), plus the server's 100 ms timeout tick and
# scheduling slack on a loaded 2-core machine.
BOUND_S = float(os.environ.get("TORTURE_BOUND_S", "1.6"))
# After a fault ends, clients may still fail or wait for this long (a pooled connection to
# replace, a slot map to refresh, a blocked waiter's timeout to run out).
SLACK_S = 1.0
TTL_MAX_S = 10  # the largest redis.session.lock_expire the programs use
EMPTY = (0, None)

EXT_WARNING = re.compile(r"\b(redis|rediscluster|redissentinel): ")
LOCK_TIMEOUT = "could not acquire the session lock"
KILL_NOTE = "around a kill -9 of this session's master: asynchronous replication may lose it"
SENTINEL_NOTE = ("during a Sentinel failover of this session's master (until the old master is a replica again): "
                 "asynchronous replication, sentinels that still name the old master and an old master that "
                 "stays writable until it is reconfigured may lose it")
LOCK_LOST = "the session lock was no longer held"
# A release that failed for a transient reason, left to the worker's next request (README).
DEFERRED = "the session lock could not be released: this worker retries at its next request"
INDETERMINATE = re.compile(r"timed out|timeout|connection|reset by peer|broken pipe|closed|end of file|eof|"
                           r"refused|os error|i/o", re.I)
DEFINITE = re.compile(r"\bOOM\b|READONLY|CLUSTERDOWN|NOSCRIPT|WRONGTYPE|TRYAGAIN|MOVED|ASK|EXECABORT|"
                      r"no longer held|could not acquire|\bERR\b")


def last_event(path):
    """The last complete JSON record of a worker log (None if none yet)."""
    try:
        with open(path, "rb") as f:
            f.seek(0, 2)
            size = f.tell()
            f.seek(max(0, size - 4096))
            lines = f.read().splitlines()
    except OSError:
        return None
    for line in reversed(lines):
        try:
            return json.loads(line)
        except ValueError:
            continue
    return None


def read_log(path):
    out = []
    try:
        with open(path, "rb") as f:
            for line in f:
                try:
                    out.append(json.loads(line))
                except ValueError:
                    pass  # a line cut by SIGKILL
    except OSError:
        pass
    return out


def indeterminate(warnings):
    """A failure whose effect on the server is unknown (the reply was lost), not a refusal.
    Judged from the extension's own warnings (PHP's generic ones quote save_path, "timeout=")."""
    text = " ".join(w for w in warnings if EXT_WARNING.search(w) and "(path: " not in w)
    return bool(INDETERMINATE.search(text)) and not DEFINITE.search(text)


def succeeded(rec):
    """A closing call succeeded: it returned true and warned about nothing. (PHP 8.2's
    session_write_close() and session_abort() return true even when the handler's write or
    release failed; the handler's warning is then the only report of the failure.)"""
    return rec.get("ret") is True and not rec.get("w") and not rec.get("exc")


def old_id_done(rec):
    """session_regenerate_id() threw "Failed to create new session ID": PHP throws that only after
    the old id was written (false) or destroyed (true) and closed, so that part succeeded."""
    if "Failed to create new session ID" in (rec.get("exc") or ""):
        return True
    # The extension's own report that the old id was done and only the new one could not be
    # checked or locked (its read went on empty): session_regenerate_id() returned true.
    return rec.get("ret") is True and any(
        "goes on with an empty session under the new id" in w for w in rec.get("w") or [])


def fmt_t(run, t):
    return "%.3f s" % ((t - run.t_start) / S)


def short(ws, n=2):
    return " | ".join(w[:300] for w in ws[:n])


class Req:
    pass


def load(run):
    """Requests of every finished worker, with their log records attached."""
    reqs = []
    for w in run.finished:
        prog = json.load(open(os.path.join(run.out, "prog", w["wid"] + ".json")))
        byrid = {}
        for p in prog["requests"]:
            r = Req()
            r.__dict__.update(p)
            r.wid, r.worker = w["wid"], w
            r.begin = r.start = r.exit = r.endrec = r.regen_end = None
            r.steprecs = []
            byrid[p["rid"]] = r
        for rec in read_log(w["log"]):
            r = byrid.get(rec.get("rid"))
            if r is None:
                continue
            ev = rec["ev"]
            if ev == "begin":
                r.begin = rec
            elif ev == "start":
                r.start = rec
            elif ev == "step":
                r.steprecs.append(rec)
            elif ev == "exit":
                r.exit = rec
            elif ev == "end":
                r.endrec = rec
            elif ev == "regen_end":
                r.regen_end = rec
        for r in byrid.values():
            if r.begin is not None:
                reqs.append(r)
    return reqs


def check(run, final):
    V = []
    stats = {"requests": 0, "holders": 0, "commits_ok": 0, "commits_failed": 0, "lock_timeouts": 0,
             "start_failures": 0, "workers": len(run.finished), "workers_killed": 0, "faults": {},
             "committed_increments": 0, "indeterminate": 0}
    for f in run.fault_log:
        stats["faults"][f["fault"]] = stats["faults"].get(f["fault"], 0) + 1

    notes = []
    loss = {}  # sid -> [(a, b)]: around a kill -9 of the session's own master
    for f in run.fault_log:
        m = re.search(r"of (\S+?)\)", f["detail"])
        if f["fault"] == "failover" and m:
            loss.setdefault(m.group(1), []).append((f["t0"] - S, (f.get("promoted") or f["t1"]) + S, KILL_NOTE))
        if f["fault"] == "sentinel_failover":
            # every session of the service lives on the one master: until the old master is a
            # replica again (a SENTINEL FAILOVER leaves it writable for seconds; what it takes
            # meanwhile is discarded), a lock or an acknowledged write may be lost
            for sid in run.env["hot"].get("sentinel", []):
                loss.setdefault(sid, []).append((f["t0"] - S, f["t1"] + S, SENTINEL_NOTE))

    def viol(name, msg, **extra):
        d = {"check": name, "msg": msg}
        d.update(extra)
        sid = msg.split(":", 1)[0]
        t = extra.get("t_ns")
        near = [note for a, b, note in loss.get(sid, []) if t is not None and a <= t <= b]
        if name in ("lost_update", "mutual_exclusion") and near:
            # Replication is asynchronous: a lock or a write acknowledged by a master killed a
            # moment later may never reach the replica that takes over. Reported, not counted.
            d["msg"] += " [%s]" % near[0]
            notes.append(d)
            return
        d.pop("t_ns", None)
        V.append(d)

    reqs = load(run)
    ops = 0
    windows = {t: [] for t in run.env["hot"]}  # excusing fault windows, per target
    gap_windows = {t: [] for t in run.env["hot"]}
    kills = {t: [] for t in run.env["hot"]}    # CLIENT KILL instants
    failovers = []
    for f in run.fault_log:
        targets = ["cluster", "standalone"] if f["target"] == "all" else [f["target"]]
        for t in targets:
            if f["fault"] == "client_kill":
                kills[t].extend(f.get("instants") or [f["t0"]])
            elif f["excuses"]:
                windows[t].append((f["t0"] - S // 20, f["t1"] + int(SLACK_S * S), f))
                # no request can take a lock while the fault lasts; after a failover, only until
                # the replica is promoted (a lock left behind on it is a stranded lock)
                gap_end = (f.get("promoted") or f["t1"]) + int(SLACK_S * S)
                if f["fault"] == "sentinel_failover":
                    # the stated bound: failover + lock TTL. A holder whose request began on the
                    # old master releases there (it stays writable after SENTINEL FAILOVER), so
                    # the copy of its lock the promoted replica got lasts until its TTL
                    gap_end += TTL_MAX_S * S
                gap_windows[t].append((f["t0"] - S // 20, gap_end, f))
        if f["fault"] == "failover":
            failovers.append(f)

    def excused(target, t0, t1):
        """A fault explains a failure of a call that ran in [t0, t1]."""
        for a, b, _ in windows[target]:
            if t0 <= b and t1 >= a:
                return True
        for k in kills[target]:
            if t0 - S // 20 <= k <= t1 + S // 20:
                return True
        return False

    # ---- crashes, hangs, exceptions, valgrind
    for w in run.finished:
        if w.get("killed_at"):
            stats["workers_killed"] += 1
            continue
        if w.get("stopped"):
            continue  # stopped by the driver at the end of the run, within its bound
        out = ""
        try:
            out = open(w["out"], errors="replace").read()
        except OSError:
            pass
        if w.get("hung"):
            viol("hang", "worker %s (pid %d) still running after its bound of %d s; killed"
                 % (w["wid"], w["pid"], w["bound_ns"] // S))
        elif w.get("rc") not in (0, None):
            viol("crash", "worker %s (pid %d) exited with status %s: %s" % (w["wid"], w["pid"], w.get("rc"),
                                                                           out.strip()[-600:]))
        for m in re.findall(r"^.*(?:Fatal error|panicked|Segmentation fault|core dumped).*$", out, re.M)[:1]:
            viol("crash", "worker %s printed: %s" % (w["wid"], m[:400]))
        vg = os.path.join(run.out, "log", w["wid"] + ".vg")
        if os.path.exists(vg):
            text = open(vg, errors="replace").read()
            m = re.search(r"ERROR SUMMARY: (\d+) errors", text)
            if m is None or int(m.group(1)) > 0:
                viol("valgrind", "worker %s: %s (see %s)" % (w["wid"], m.group(0) if m else "no summary", vg))

    for r in reqs:
        stats["requests"] += 1
        st = r.start
        if st is not None:
            ops += 1
        ops += sum(1 for s in r.steprecs if s["op"] not in ("sleep", "inc"))
        ops += (r.endrec is not None) + (r.regen_end is not None)
        for rec in [st, r.endrec, r.regen_end] + r.steprecs:
            if rec and rec.get("exc"):
                viol("uncaught_error", "%s %s (%s): %s threw %s; an application would die with a fatal error"
                     % (r.rid, r.sid or "(new visitor)", r.target, rec["ev"] if rec["ev"] != "step" else rec["op"],
                        rec["exc"][:300]), t=fmt_t(run, rec["t"]))

    # ---- every failure names its cause; no failure without a fault to explain it
    def failure(r, what, rec, t0, t1):
        ws = rec.get("w", [])
        ext = [w for w in ws if EXT_WARNING.search(w)]
        if not ext and not rec.get("exc"):
            viol("no_cause_warning", "%s %s (%s): %s failed with no warning naming the cause (PHP said: %s)"
                 % (r.rid, r.sid or "(new)", r.target, what, short(ws) or "nothing"), t=fmt_t(run, t1))
        text = " ".join(ws)
        if LOCK_TIMEOUT in text:
            return
        if LOCK_LOST in text and r.exit is not None and r.start is not None and \
                r.exit["t"] - r.start["t0"] > r.ini["redis.session.lock_expire"] * S:
            return  # it held the session past its lock TTL: the write must be refused
        if not excused(r.target, t0, t1):
            viol("unexplained_failure", "%s %s (%s): %s failed at %s with no fault running: %s"
                 % (r.rid, r.sid or "(new)", r.target, what, fmt_t(run, t1), short(ext or ws)), t=fmt_t(run, t1))

    for r in reqs:
        st = r.start
        if st is None:
            continue
        if not st["ok"] and not st["active"]:
            stats["start_failures"] += 1
            if LOCK_TIMEOUT in " ".join(st.get("w", [])):
                stats["lock_timeouts"] += 1
            failure(r, "session_start()", st, st["t0"], st["t"])
        for s in r.steprecs:
            if s["op"] in ("create_id", "reset", "gc") and (s.get("ret") is False or s.get("ended") is True):
                failure(r, "session_%s()" % s["op"], s, s["t0"], s["t"])
        e = r.endrec
        if e is not None:
            if succeeded(e):
                stats["commits_ok"] += 1
            else:
                stats["commits_failed"] += 1
                if indeterminate(e.get("w", [])):
                    stats["indeterminate"] += 1
                failure(r, {"commit": "session_write_close()", "abort": "session_abort()",
                            "destroy": "session_destroy()", "regen_keep": "session_regenerate_id(false)",
                            "regen_del": "session_regenerate_id(true)"}[r.end], e, e["t0"], e["t"])
        if r.regen_end is not None and not succeeded(r.regen_end):
            failure(r, "session_write_close() of the regenerated id", r.regen_end, r.regen_end["t0"],
                    r.regen_end["t"])

        # strict mode: an id nobody ever wrote must never be accepted
        if r.kind == "phantom" and r.ini.get("session.use_strict_mode") == 1 and st.get("active") \
                and st.get("id") == r.sid:
            viol("strict_mode", "%s (%s): session.use_strict_mode=1 kept the uninitialized id %s (no request ever "
                 "wrote it) instead of generating a new one" % (r.rid, r.target, r.sid), t=fmt_t(run, st["t"]))

        # no call runs past its bound (wait budget + timeouts), unless a fault explains it
        rt = float(re.search(r"read_timeout=([\d.]+)", r.save_path).group(1))
        retries = int(r.ini["redis.session.lock_retries"])
        budget = r.ini["redis.session.lock_expire"] if retries == -1 else retries * r.ini["redis.session.lock_wait_time"] / 1e6
        for what, rec, limit in (("session_start()", st, budget + 3 * rt + 2.5), ("closing call", r.endrec, 3 * rt + 2.5)):
            if rec is None or "t0" not in rec:
                continue
            d = (rec["t"] - rec["t0"]) / S
            if d > limit * slowdown(run) and not excused(r.target, rec["t0"], rec["t"]):
                viol("slow_call", "%s %s (%s): %s took %.2f s (bound %.2f s: wait budget %.2f s, read_timeout %s)"
                     % (r.rid, r.sid or "(new)", r.target, what, d, limit, budget, rt), t=fmt_t(run, rec["t"]))

    for sid, fs in final.items():
        if fs.get("phantom") and fs.get("value") is not None:
            viol("strict_mode", "the uninitialized id %s was written (%d bytes stored)" % (sid, len(fs["value"])))

    # ---- per hot session: mutual exclusion, one chain of committed writes, no stranded lock
    begins = {}  # worker -> the start times of all its requests (a deferred release is retried there)
    for r in reqs:
        if r.begin is not None:
            begins.setdefault(r.wid, []).append(r.begin["t"])
    for r in reqs:
        r.worker_begins = begins.get(r.wid, [])
    failed_writes = {}
    for target, sids in run.env["hot"].items():
        for sid in sids:
            check_session(run, sid, target, [r for r in reqs if r.sid == sid], final.get(sid, {}), viol, stats,
                          windows[target], failovers, failed_writes, gap_windows[target])
    stats["allowed_replication_losses"] = len(notes)
    return {"ops": ops, "violations": V, "stats": stats, "notes": notes}


def state_of(value):
    """(n, last) of a stored session value (None: no session)."""
    if value is None or value == b"":  # "" is what regenerate_id(false) writes for an empty session
        return EMPTY
    if not isinstance(value, bytes):
        return ("unreadable", str(value)[:80])
    m = re.search(rb'st\|s:\d+:"n=(\d+);last=([^"]*)"', value)
    if not m:
        return ("unparsable", value[:80].decode(errors="replace"))
    return (int(m.group(1)), m.group(2).decode() or None)


def check_session(run, sid, target, reqs, final, viol, stats, windows, failovers, failed_writes, gap_windows):
    ttl_max = TTL_MAX_S * S
    holders = []
    for r in reqs:
        st = r.start
        if st is None or not st.get("active") or st.get("id") != sid:
            continue
        r.enter = st["t"]
        r.ended_by = next((s for s in r.steprecs if s.get("ended")), None)
        if r.ended_by is not None:
            r.exit_t = r.ended_by["t0"]
        elif r.exit is not None:
            r.exit_t = r.exit["t"]
        elif r.worker.get("killed_at"):
            r.exit_t = max(r.worker["killed_at"], r.enter)
        else:
            r.exit_t = r.worker.get("ended", r.enter)
        rd = st.get("read") or {}
        r.read = (rd.get("n", 0), rd.get("last")) if "raw" not in rd or rd.get("raw") is None else ("raw", rd["raw"])
        holders.append(r)
    holders.sort(key=lambda r: r.enter)
    stats["holders"] += len(holders)

    # mutual exclusion: no two requests hold the session at overlapping times (while the
    # earlier one's lock cannot have expired yet)
    open_ = []
    intruders = {}
    for h in holders:
        open_ = [o for o in open_ if o.exit_t > h.enter]
        for o in open_:
            ttl = o.ini["redis.session.lock_expire"] * S
            if h.enter < o.start["t0"] + ttl:
                intruders.setdefault(o.rid, (o, []))[1].append(h)
        open_.append(h)
    for o, hs in intruders.values():
        extra = ""
        rc = o.opts.get("read_and_close")
        if isinstance(rc, str) and rc.lower().startswith("1e"):
            extra = "; %s was started with read_and_close=%s, which PHP read as 0 (an active session)" % (
                o.rid, json.dumps(o.opts["read_and_close"]))
        into = (hs[0].enter - o.enter) / S
        if not extra and into > 1.5:
            extra = ("; %s got in %.1f s after %s entered, before %s's own lock_expire=%d s ran out: was its lock "
                     "handed over with a shorter TTL (the previous holder's)?" % (
                         hs[0].rid, into, o.rid, o.rid, o.ini["redis.session.lock_expire"]))
        cid = [s for s in o.steprecs if s["op"] == "create_id" and s["t0"] < hs[0].enter]
        if cid:
            extra += "; %s called session_create_id() at %s, before %s got in" % (
                o.rid, fmt_t(run, cid[0]["t0"]), hs[0].rid)
        viol("mutual_exclusion", "%s: %s held it from %s to %s, and %s got it meanwhile (first at %s, %d ms before "
             "%s's exit)%s" % (sid, o.rid, fmt_t(run, o.enter), fmt_t(run, o.exit_t),
                               ", ".join(h.rid for h in hs), fmt_t(run, hs[0].enter),
                               (o.exit_t - hs[0].enter) // 1_000_000, o.rid, extra), t=fmt_t(run, hs[0].enter),
             t_ns=hs[0].enter)

    # one chain of committed writes: every holder reads what the previous committed write left.
    # Reads happen at "enter", writes/destroys land during the closing call (its t0): with
    # working locks the two orders agree; a holder that outlived its lock lands late.
    def overstayed(x):
        # its lock was taken before "enter", so it had expired for sure once this is true
        return x.exit is not None and x.exit["t"] - x.enter > x.ini["redis.session.lock_expire"] * S

    def explain(h, last_committed):
        if h.read[1] in failed_writes:
            return "; it is the write of %s, whose session_write_close() reported a failure (%s)" % (
                h.read[1], failed_writes[h.read[1]])
        rc = last_committed.opts.get("read_and_close") if last_committed is not None else None
        if isinstance(rc, str) and rc.lower().startswith("1e"):
            return ("; %s's write was made by a request started with read_and_close=%s, which PHP read as 0: it ran "
                    "without the lock" % (last_committed.rid, json.dumps(last_committed.opts["read_and_close"])))
        late = [x for x in holders if x.endrec is not None and x.end in ("destroy", "regen_del")
                and succeeded(x.endrec) and overstayed(x) and x.endrec["t0"] < h.enter
                and (last_committed is None or x.endrec["t0"] > last_committed.endrec["t0"])]
        if late:
            x = late[-1]
            return ("; %s's %s at %s deleted it: %s had held the session %.1f s, past its lock_expire=%d s, and the "
                    "destroy still succeeded without a warning" % (
                        x.rid, "session_destroy()" if x.end == "destroy" else "session_regenerate_id(true)",
                        fmt_t(run, x.endrec["t0"]), x.rid, (x.exit["t"] - x.enter) / S,
                        x.ini["redis.session.lock_expire"]))
        if last_committed is not None and any(s["op"] == "create_id" for s in last_committed.steprecs):
            return "; %s called session_create_id() while holding the session" % last_committed.rid
        return ""

    events = []
    for h in holders:
        events.append((h.enter, 0, h))
        e = h.endrec
        if e is not None:
            events.append((e["t0"], 1, h))
        elif h.exit is not None:  # died inside the closing call
            events.append((h.exit["t"], 1, h))
    events.sort(key=lambda x: (x[0], x[1]))
    possible = {EMPTY: "the empty session at the start"}
    last_committed = None
    for _, kind_, h in events:
        if kind_ == 0:
            h.broke = h.read not in possible
            if h.broke:
                viol("lost_update", "%s: %s read n=%s last=%s, but the committed history allows only %s%s"
                     % (sid, h.rid, h.read[0], h.read[1], "; ".join("n=%s last=%s (%s)" % (k[0], k[1], v)
                                                                   for k, v in possible.items()),
                        explain(h, last_committed)), t=fmt_t(run, h.enter), t_ns=h.enter)
                possible = dict(possible)  # keep every candidate after a break (no cascade of reports)
                possible[h.read] = "as %s read it" % h.rid
            continue
        e = h.endrec
        dirty = bool((h.exit or {}).get("dirty"))
        new = (h.read[0] + 1 if isinstance(h.read[0], int) else 1, h.rid)
        kind = h.end
        if h.ended_by is not None:
            continue
        if e is None:  # killed inside the closing call: it may or may not have landed
            if dirty and kind in ("commit", "regen_keep"):
                possible[new] = "%s's write (killed during the call)" % h.rid
            if kind in ("destroy", "regen_del"):
                possible[EMPTY] = "%s's destroy (killed during the call)" % h.rid
            continue
        ok = succeeded(e) or (kind.startswith("regen") and old_id_done(e))
        unknown = (not ok) and indeterminate(e.get("w", []))
        keep = h.broke or unknown
        if kind in ("commit", "regen_keep") and dirty:
            if ok:
                stats["committed_increments"] += 1
                last_committed = h
            if ok and not keep:
                possible = {new: "%s's committed write" % h.rid}
            elif ok or unknown:
                possible[new] = "%s's write%s" % (h.rid, " (failed with a lost reply)" if unknown else "")
            else:
                failed_writes[h.rid] = short([w for w in e.get("w", []) if EXT_WARNING.search(w)] or e.get("w", []), 1)
        elif kind in ("destroy", "regen_del"):
            if ok:
                last_committed = h
            if ok and not keep:
                possible = {EMPTY: "%s's destroy" % h.rid}
            elif ok or unknown:
                possible[EMPTY] = "%s's destroy%s" % (h.rid, " (failed with a lost reply)" if unknown else "")
    # fencing: a request that held the session past its lock TTL, after which another request
    # took the session, must not change it any more (its write or destroy must be refused)
    for x in holders:
        e = x.endrec
        if e is None or not overstayed(x) or not (succeeded(e) or (x.end.startswith("regen") and old_id_done(e))):
            continue
        changes = x.end in ("destroy", "regen_del") or (
            x.end in ("commit", "regen_keep") and bool((x.exit or {}).get("dirty")))
        expiry = x.enter + x.ini["redis.session.lock_expire"] * S
        later = [h for h in holders if expiry < h.enter < e["t0"]]
        if changes and later:
            viol("lost_update", "%s: %s held the session %.1f s, past its lock_expire=%d s, %s took it at %s, and %s's "
                 "%s at %s still succeeded without a warning (%s): a request that lost the lock changed the session"
                 % (sid, x.rid, (x.exit["t"] - x.enter) / S, x.ini["redis.session.lock_expire"],
                    later[0].rid, fmt_t(run, later[0].enter), x.rid,
                    {"destroy": "session_destroy()", "regen_del": "session_regenerate_id(true)",
                     "regen_keep": "session_regenerate_id(false)"}.get(x.end, "session_write_close()"),
                    fmt_t(run, e["t0"]), "it deleted the session" if x.end in ("destroy", "regen_del")
                    else "it wrote the session"), t=fmt_t(run, e["t0"]), t_ns=e["t0"])

    # reads that never held the lock (read_and_close) must not see a write that failed
    for r in reqs:
        st = r.start
        if st and not st.get("active") and st.get("ok") and st.get("read"):
            last = st["read"].get("last")
            if last in failed_writes:
                viol("lost_update", "%s: %s (read_and_close) read the write of %s, whose session_write_close() "
                     "reported a failure (%s)" % (sid, r.rid, last, failed_writes[last]), t=fmt_t(run, st["t"]))
    if "error" in final:
        viol("final_state", "%s: could not read the final state: %s" % (sid, final["error"]))
    elif final:
        fs = state_of(final.get("value"))
        if fs not in possible:
            why = ""
            if fs[1] in failed_writes:
                why = "; it is the write of %s, whose session_write_close() reported a failure (%s)" % (
                    fs[1], failed_writes[fs[1]])
            # dated by the last committed write: one a failover lost is reported as allowed
            when = last_committed.endrec["t0"] if last_committed is not None and last_committed.endrec else None
            viol("lost_update", "%s: the stored session ends with n=%s last=%s, but the committed history ends with %s%s"
                 % (sid, fs[0], fs[1], "; ".join("n=%s last=%s (%s)" % (k[0], k[1], v) for k, v in possible.items()),
                    why), t_ns=when)

    # no stranded lock: while someone waits, the lock is held by somebody (or was left by a
    # holder that died or failed during a fault: its TTL), or a fault is running
    busy = []
    for h in holders:
        e = h.endrec
        during_fault = any(a <= h.exit_t + 10 * S and b >= h.enter for a, b, _ in windows)
        def deferred_end(t):
            # a release that failed for a transient reason: the README's bound is the worker's
            # next request once the fault is over (it retries there), else the lock's TTL
            later = [b for b in h.worker_begins if b > t and not any(a0 <= b <= b0 for a0, b0, _ in windows)]
            return min(later + [h.enter + ttl_max]), ("the worker's next request" if later else
                                                      "its TTL (the worker had no request after the fault)")
        if h.ended_by is not None and DEFERRED in " ".join(h.ended_by.get("w", [])):
            end, until = deferred_end(h.ended_by["t"])
            how = "left by session_%s(), whose release was deferred to %s" % (h.ended_by["op"], until)
        elif h.ended_by is not None:
            end, how = h.ended_by["t"], "left by session_%s()" % h.ended_by["op"]
        elif e is None:
            end = h.enter + ttl_max if h.worker.get("killed_at") else h.exit_t
            how = "killed while holding it" if h.worker.get("killed_at") else "ended without closing"
        elif succeeded(e) or (h.end.startswith("regen") and old_id_done(e)):
            end, how = e["t"], "released (%s succeeded)" % h.end
        elif indeterminate(e.get("w", [])) and any(a <= e["t"] and b >= e["t0"] for a, b, _ in windows):
            end, how = h.enter + ttl_max, "%s failed during a fault (lock left to its TTL)" % h.end
        elif DEFERRED in " ".join(e.get("w", [])):
            end, until = deferred_end(e["t"])
            how = "%s's release failed and was deferred to %s" % (h.end, until)
        else:
            end, how = e["t"], "%s failed: %s" % (h.end, short(e.get("w", []), 1))
        del during_fault
        busy.append((h.enter, end, h, how))
    for r in reqs:
        if r.start is None and r.worker.get("killed_at"):
            # killed inside session_start(): it may have taken the lock just before dying, unless
            # another request held the lock at that moment (then it was a waiter, and a dead
            # waiter must not strand the lock: its hand-off is taken over)
            k = r.worker["killed_at"]
            if not any(h.enter <= k <= h.exit_t for h in holders):
                busy.append((r.begin["t"], k + ttl_max, r, "killed inside session_start()"))
        elif r.start is not None and not r.start.get("active") and not r.start.get("ok") \
                and indeterminate(r.start.get("w", [])) and any(a <= r.start["t"] and b >= r.start["t0"]
                                                                 for a, b, _ in windows):
            # its acquire may have run on a server that never answered (paused, dying)
            busy.append((r.start["t0"], r.start["t"] + ttl_max, r, "session_start() failed during a fault"))
    cover = sorted([(a, b) for a, b, _, _ in busy] + [(a, b) for a, b, _ in gap_windows])
    merged = []
    for a, b in cover:
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    bound = int(BOUND_S * S * slowdown(run))
    raw = []  # (start, end, waiter): stretches longer than the bound, per waiter
    for r in reqs:
        st = r.start
        if st is None or "t0" not in st:
            continue
        if st.get("ok") and not st.get("active"):
            continue  # read_and_close: it need not wait (a free lock is only looked at)
        w0, w1 = st["t0"], st["t"]
        t = w0
        for a, b in merged:
            if b <= t:
                continue
            if a >= w1:
                break
            if a > t and min(a, w1) - t > bound:
                raw.append((t, min(a, w1), r))
            t = max(t, b)
            if t >= w1:
                break
        if t < w1 and w1 - t > bound:
            raw.append((t, w1, r))
    groups = []  # overlapping stretches of several waiters: one report
    for g0, g1, r in sorted(raw, key=lambda x: x[0]):
        if groups and g0 < groups[-1][1]:
            groups[-1][1] = max(groups[-1][1], g1)
            groups[-1][2] = max(groups[-1][2], g1 - g0)
            groups[-1][3].append(r)
        else:
            groups.append([g0, g1, g1 - g0, [r]])
    for g0, g1, longest, waiters in groups:
        before = [x for x in busy if x[1] <= g0]
        prev = max(before, key=lambda x: x[1]) if before else None
        prev_s = ("; the lock was last held by %s (%s at %s)" % (prev[2].rid, prev[3], fmt_t(run, prev[1]))
                  if prev else "; no holder before")
        outcomes = ", ".join(sorted({w_outcome(w) for w in waiters}))
        # requests that failed while they may have held the lock (the likely owners of the idle lock)
        failed = [r for r in reqs if r.start is not None and not r.start.get("active") and not r.start.get("ok")
                  and LOCK_TIMEOUT not in " ".join(r.start.get("w", [])) and g0 - ttl_max <= r.start["t"] <= g0]
        failed += [h for h in holders if h.endrec is not None and not succeeded(h.endrec)
                   and g0 - ttl_max <= h.endrec["t"] <= g0]
        if failed:
            prev_s += "; before it, these calls failed (did one leave the lock behind?): " + "; ".join(
                "%s %s at %s: %s" % (r.rid, "session_start()" if r.endrec is None or r.endrec["t"] > g0 else r.end,
                                     fmt_t(run, (r.start if r.endrec is None or r.endrec["t"] > g0 else r.endrec)["t"]),
                                     short([w for w in (r.start if r.endrec is None or r.endrec["t"] > g0 else r.endrec)
                                            .get("w", []) if EXT_WARNING.search(w)], 1)[:220])
                for r in failed[-3:])
        near = [f for f in run.fault_log if f["t0"] <= g0 + S // 10 and f["t1"] >= g0 - 3 * S
                and f["target"] in (target, "all")]
        if near:
            prev_s += "; fault(s) just before: " + ", ".join("%s at %s (%s)" % (f["fault"], fmt_t(run, f["t0"]),
                                                                             f["detail"]) for f in near)
        viol("stranded_lock", "%s: from %s to %s, %d request(s) waited up to %.2f s (bound %.1f s) while no request "
             "held the lock and no fault was running%s; waiters: %s"
             % (sid, fmt_t(run, g0), fmt_t(run, g1), len(waiters), longest / S, BOUND_S, prev_s, outcomes),
             t=fmt_t(run, g0))


def slowdown(run):
    """Timing bounds stretch under valgrind (every worker runs about 10x slower)."""
    return 8 if getattr(run, "valgrind", False) else 1


def w_outcome(r):
    st = r.start
    if st.get("active"):
        return "%s got it" % r.rid
    if st.get("ok"):
        return "%s read it (read_and_close)" % r.rid
    ws = " ".join(st.get("w", []))
    if LOCK_TIMEOUT in ws:
        return "%s timed out" % r.rid
    return "%s failed (%s)" % (r.rid, (st.get("w") or ["no warning"])[0][:160])


class SavedRun:
    """A finished run read back from its output directory (run.json), to check it again."""

    def __init__(self, out):
        st = json.load(open(os.path.join(out, "run.json")))
        self.out, self.env, self.t_start = out, st["env"], st["t_start"]
        self.fault_log, self.finished = st["fault_log"], st["finished"]
        self.valgrind = st.get("valgrind", False)
        self.final = {sid: {k: (v["bytes"].encode("latin-1") if isinstance(v, dict) and "bytes" in v else v)
                            for k, v in fs.items()} for sid, fs in st["final"].items()}


if __name__ == "__main__":
    # python3 scripts/torture/check.py .tmp/torture/redis7   -- checks a finished run again
    import sys
    run = SavedRun(sys.argv[1])
    res = check(run, run.final)
    for v in res["violations"]:
        print("VIOLATION %s: %s" % (v["check"], v["msg"][:1500]))
    print("%d operations, %d violations; %s" % (res["ops"], len(res["violations"]), json.dumps(res["stats"])))
