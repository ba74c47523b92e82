#!/usr/bin/env python3
"""Pick-cost table and charts, from the JSON the benchmarks wrote. Standard library only; SVG written by hand.

    python3 benchmarks/charts.py            (from the repository root; benchmarks/pick-cost.sh calls it)

Reads   benchmarks/results/pick-cost-ours.json   (JMH, PickCostBenchmark, our algorithms)
        benchmarks/results/pick-cost-peers.json  (JMH, PeerPickCostBenchmark, the Java peers)
        benchmarks/results/simulation.json       (DistributionSimulation; optional)
Writes  benchmarks/results/pick-cost.md          side-by-side table: job x servers x threads, ours vs fastest peer
        benchmarks/results/pick-cost.svg         pick cost per algorithm and peer, 10 servers, 1 thread, log scale
        benchmarks/results/load-imbalance.svg    max/mean load per algorithm from the simulation (if present)

Options: --results DIR (default benchmarks/results), --servers N (chart's server count, default 10),
         --mode short|full and --wall-seconds S (recorded in the table's header by pick-cost.sh).
"""

import argparse
import datetime
import json
import math
import os
import platform
import sys
from html import escape

# The job each of our algorithms does, and the one each peer does: a row of the table compares an algorithm of
# ours with the fastest peer of the same job. Peers are named "library-job" in PeerPickCostBenchmark.
OUR_JOBS = {
    "roundrobin": "roundrobin",
    "swrr": "weighted-rr",
    "fwrr": "weighted-rr",
    "static-rr": "weighted-rr",
    "leastconn": "leastconn",
    "p2c": "leastconn",
    "random": "random",
    "first": "first",
    "hash": "hash",
    "consistent": "hash",
    "maglev": "hash",
    "hash-bounded": "hash",
    "consistent-bounded": "hash",
    "maglev-bounded": "hash",
}
OUR_ORDER = list(OUR_JOBS)
OUR_LABELS = {
    "roundrobin": "roundrobin",
    "swrr": "swrr (nginx)",
    "fwrr": "fwrr (HAProxy roundrobin)",
    "static-rr": "static-rr",
    "leastconn": "leastconn",
    "p2c": "random(2) P2C",
    "random": "random(1)",
    "first": "first",
    "hash": "hash map-based",
    "consistent": "consistent hash",
    "maglev": "maglev",
    "hash-bounded": "hash, bound 150%",
    "consistent-bounded": "consistent, bound 150%",
    "maglev-bounded": "maglev, bound 150%",
}
PEER_LABELS = {
    "dubbo-weighted-rr": "Dubbo RoundRobinLoadBalance",
    "dubbo-random": "Dubbo RandomLoadBalance",
    "dubbo-leastconn": "Dubbo LeastActiveLoadBalance",
    "dubbo-hash": "Dubbo ConsistentHashLoadBalance",
    "ribbon-roundrobin": "Ribbon RoundRobinRule",
    "ribbon-random": "Ribbon RandomRule",
    "spring-roundrobin": "Spring Cloud RoundRobinLoadBalancer",
    "spring-random": "Spring Cloud RandomLoadBalancer",
    "grpc-roundrobin": "gRPC round_robin",
    "undertow-roundrobin": "Undertow RoundRobinHostSelector",
}
JOB_ORDER = ["roundrobin", "weighted-rr", "random", "leastconn", "hash", "first"]
JOB_NOTES = {
    "weighted-rr": "peer: Dubbo's smooth weighted RR (nginx's algorithm); the plain RR peers are in the roundrobin rows",
    "leastconn": "P2C compared with the only load-aware peer, Dubbo least-active",
    "hash": "Dubbo hashes (MD5) its argument inside the pick; ours gets a precomputed 64-bit key",
    "first": "no peer offers it",
}


def peer_job(peer):
    return peer.split("-", 1)[1]


# Measured iterations per (name, servers, threads), for the "clearly slower" test of the table.
raw = {}


def load_jmh(path, param):
    """{(name, servers, threads): (score, error)} from a JMH JSON file; {} when it does not exist."""
    if not os.path.exists(path):
        return {}, None
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    out = {}
    meta = None
    for b in data:
        pm = b["primaryMetric"]
        key = (b["params"][param], int(b["params"]["servers"]), int(b["threads"]))
        err = pm.get("scoreError")
        out[key] = (pm["score"], err if isinstance(err, (int, float)) and not math.isnan(err) else None)
        raw[(param,) + key] = [v for fork in pm.get("rawData") or [] for v in fork]
        meta = meta or {k: b.get(k) for k in ("jdkVersion", "vmName", "vmVersion", "warmupIterations",
                                             "warmupTime", "measurementIterations", "measurementTime", "forks")}
    return out, meta


def cpu_model():
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def fmt_ns(v):
    if v is None:
        return "—"
    if v >= 1000:
        return f"{v:,.0f}"
    if v >= 100:
        return f"{v:.0f}"
    if v >= 10:
        return f"{v:.1f}"
    return f"{v:.2f}"


def fmt_err(score_err):
    s, e = score_err
    return fmt_ns(s) + (f" ± {fmt_ns(e)}" if e is not None else "")


# ---- table ----------------------------------------------------------------------------------------------------

def table(ours, peers, ours_meta, peers_meta, mode, wall):
    lines = []
    meta = ours_meta or peers_meta or {}
    now = datetime.datetime.now().strftime("%Y-%m-%d %H:%M")
    lines.append(f"# Pick cost: ours vs the Java peers ({mode + ' mode, ' if mode else ''}{now})")
    lines.append("")
    lines.append(f"Machine: {os.cpu_count()} cores (`nproc`), CPU `{cpu_model()}`, JDK {meta.get('jdkVersion')} "
                 f"({meta.get('vmName')} {meta.get('vmVersion')}). JMH: {meta.get('forks')} fork, "
                 f"{meta.get('warmupIterations')} × {meta.get('warmupTime')} warm-up, "
                 f"{meta.get('measurementIterations')} × {meta.get('measurementTime')} measured, AverageTime."
                 + (f" Wall time of `pick-cost.sh`: {wall}." if wall else ""))
    lines.append("")
    lines.append("ns per pick (lower is better), ± = JMH's 99.9 % error; \"fastest peer\" is the fastest peer of the "
                 "same job at the same servers and threads. Ratio = ours ÷ peer: **bold** where ours is slower in "
                 "every measured iteration (our fastest iteration slower than the peer's slowest), \"≈\" where ours "
                 "is slower on average but the iterations overlap.")
    lines.append("")
    lines.append("| job | ours | servers | threads | ours ns/op | fastest peer, same job | peer ns/op | ours ÷ peer |")
    lines.append("|---|---|---:|---:|---:|---|---:|---:|")
    slower = []
    keys = sorted(ours, key=lambda k: (JOB_ORDER.index(OUR_JOBS.get(k[0], "first")),
                                       OUR_ORDER.index(k[0]) if k[0] in OUR_ORDER else 99, k[1], k[2]))
    for (alg, n, t) in keys:
        job = OUR_JOBS.get(alg, "?")
        mine = ours[(alg, n, t)]
        cands = [(v[0], p) for (p, pn, pt), v in peers.items() if pn == n and pt == t and peer_job(p) == job]
        if cands:
            best, peer = min(cands)
            ratio = mine[0] / best
            r = f"{ratio:.2f}"
            if ratio > 1:
                # Clearly slower when every measured iteration of ours took longer than every one of the peer's;
                # else "≈": the iterations overlap, so the difference is within this run's noise.
                a, b = raw.get(("algorithm", alg, n, t)), raw.get(("peer", peer, n, t))
                clear = bool(a and b) and min(a) > max(b)
                r = f"**{r}**" if clear else f"{r} ≈"
                slower.append((alg, n, t, mine[0], peer, best, ratio, clear))
            lines.append(f"| {job} | {OUR_LABELS.get(alg, alg)} | {n} | {t} | {fmt_err(mine)} | "
                         f"{PEER_LABELS.get(peer, peer)} | {fmt_err(peers[(peer, n, t)])} | {r} |")
        else:
            lines.append(f"| {job} | {OUR_LABELS.get(alg, alg)} | {n} | {t} | {fmt_err(mine)} | — | — | — |")
    lines.append("")
    notes = [f"{j}: {JOB_NOTES[j]}" for j in JOB_ORDER if j in JOB_NOTES]
    lines.append("Jobs: " + "; ".join(notes) + ".")
    lines.append("")

    rr = ours.get(("roundrobin", 10, 1))
    if rr:
        ok = "meets" if rr[0] <= 15 else "misses"
        lines.append(f"Goal: round robin, 10 servers, 1 thread: {fmt_err(rr)} ns/op, which {ok} the ≤ 15 ns/op goal.")
        lines.append("")
    if slower:
        clear = sum(1 for x in slower if x[7])
        lines.append(f"Ours slower than the fastest same-job peer in {len(slower)} of {len(ours)} rows "
                     f"({clear} slower in every iteration, marked *):")
        lines.append("")
        for alg, n, t, m, peer, best, ratio, beyond in slower:
            lines.append(f"- {OUR_LABELS.get(alg, alg)}, {n} servers, {t} thread(s): {fmt_ns(m)} vs "
                         f"{PEER_LABELS.get(peer, peer)} {fmt_ns(best)} ns/op ({ratio:.2f}×"
                         + (")*" if beyond else ", iterations overlap)"))
        lines.append("")
    elif ours and peers:
        lines.append("Ours is at or below the fastest same-job peer in every row.")
        lines.append("")

    if peers:
        lines.append("All peers (ns/op):")
        lines.append("")
        servers = sorted({k[1] for k in peers})
        threads = sorted({k[2] for k in peers})
        cols = [(n, t) for n in servers for t in threads]
        lines.append("| peer | job | " + " | ".join(f"{n} srv, {t} thr" for n, t in cols) + " |")
        lines.append("|---|---|" + "---:|" * len(cols))
        for p in PEER_LABELS:
            if any((p, n, t) in peers for n, t in cols):
                cells = [fmt_ns(peers[(p, n, t)][0]) if (p, n, t) in peers else "—" for n, t in cols]
                lines.append(f"| {PEER_LABELS[p]} | {peer_job(p)} | " + " | ".join(cells) + " |")
        lines.append("")
    return "\n".join(lines)


# ---- SVG helpers ---------------------------------------------------------------------------------------------

OURS_COLOR = "#1f77b4"
PEER_COLOR = "#ff7f0e"
PALETTE = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f"]


def svg_doc(width, height, body):
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'viewBox="0 0 {width} {height}" font-family="Helvetica, Arial, sans-serif" font-size="12">\n'
            f'<rect width="100%" height="100%" fill="white"/>\n' + "\n".join(body) + "\n</svg>\n")


def text(x, y, s, anchor="start", size=12, weight="normal", fill="#222"):
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" font-weight="{weight}" '
            f'fill="{fill}">{escape(str(s))}</text>')


def pick_cost_svg(ours, peers, servers, threads, path, subtitle):
    rows = []  # (label, value, error, color, job)
    for alg in OUR_ORDER:
        if (alg, servers, threads) in ours:
            s, e = ours[(alg, servers, threads)]
            rows.append((f"ours: {OUR_LABELS.get(alg, alg)}", s, e, OURS_COLOR, OUR_JOBS[alg]))
    for p in PEER_LABELS:
        if (p, servers, threads) in peers:
            s, e = peers[(p, servers, threads)]
            rows.append((f"peer: {PEER_LABELS[p]}", s, e, PEER_COLOR, peer_job(p)))
    if not rows:
        return False
    rows.sort(key=lambda r: (JOB_ORDER.index(r[4]) if r[4] in JOB_ORDER else 99, r[1]))
    left, right, top, bar, gap = 350, 90, 70, 16, 5
    plot_w = 560
    height = top + len(rows) * (bar + gap) + 60
    lo = 10 ** math.floor(math.log10(max(min(r[1] for r in rows), 0.1)))
    hi = 10 ** math.ceil(math.log10(max(r[1] for r in rows) * 1.05))

    def x_of(v):
        return left + plot_w * (math.log10(max(v, lo)) - math.log10(lo)) / (math.log10(hi) - math.log10(lo))

    body = [text(left + plot_w / 2, 24, f"Pick cost, {servers} servers, {threads} thread(s): ns per pick, log scale",
                 "middle", 15, "bold"),
            text(left + plot_w / 2, 44, subtitle, "middle", 11, fill="#555")]
    decade = lo
    while decade <= hi * 1.0001:
        x = x_of(decade)
        body.append(f'<line x1="{x:.1f}" y1="{top - 8}" x2="{x:.1f}" y2="{height - 50}" stroke="#ddd"/>')
        body.append(text(x, height - 34, fmt_ns(decade) + " ns", "middle", 11, fill="#555"))
        decade *= 10
    y = top
    job = None
    for label, v, e, color, j in rows:
        if j != job and job is not None:
            body.append(f'<line x1="10" y1="{y - gap / 2 - 1:.1f}" x2="{left + plot_w + right - 10}" '
                        f'y2="{y - gap / 2 - 1:.1f}" stroke="#999" stroke-dasharray="3,3"/>')
        job = j
        body.append(text(left - 8, y + bar - 4, f"[{j}] {label}", "end", 11))
        body.append(f'<rect x="{left}" y="{y}" width="{max(x_of(v) - left, 1):.1f}" height="{bar}" fill="{color}"/>')
        if e:
            x1, x2 = x_of(max(v - e, lo)), x_of(v + e)
            body.append(f'<line x1="{x1:.1f}" y1="{y + bar / 2}" x2="{x2:.1f}" y2="{y + bar / 2}" stroke="#333"/>')
        body.append(text(x_of(v) + 6, y + bar - 4, fmt_ns(v), size=11))
        y += bar + gap
    body.append(f'<rect x="{left}" y="{height - 22}" width="12" height="12" fill="{OURS_COLOR}"/>')
    body.append(text(left + 18, height - 12, "ours (emulator-core)", size=11))
    body.append(f'<rect x="{left + 170}" y="{height - 22}" width="12" height="12" fill="{PEER_COLOR}"/>')
    body.append(text(left + 188, height - 12, "Java peers (benchmarks-peers)", size=11))
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg_doc(left + plot_w + right, height, body))
    return True


def grouped_panel(body, y0, title, groups, series, value_fmt, left=260, plot_w=520, x_min=1.0):
    """Horizontal grouped bars: groups = [(label, [value or None per series])]; returns the y below the panel."""
    bar, gap, group_gap = 9, 1, 10
    vals = [v for _, vs in groups for v in vs if v is not None and not math.isnan(v)]
    if not vals:
        return y0
    hi = max(vals) * 1.08
    lo = min(x_min, min(vals))

    def x_of(v):
        return left + plot_w * (v - lo) / (hi - lo)

    body.append(text(20, y0 + 16, title, size=13, weight="bold"))
    y = y0 + 30
    legend_y = y
    for i, s in enumerate(series):
        body.append(f'<rect x="{left}" y="{legend_y + 14 * i}" width="10" height="10" fill="{PALETTE[i % 8]}"/>')
        body.append(text(left + 15, legend_y + 14 * i + 9, s, size=10))
    y = legend_y + 14 * len(series) + 10
    plot_top = y
    for label, vs in groups:
        gh = len(series) * (bar + gap)
        body.append(text(left - 8, y + gh / 2 + 4, label, "end", 11))
        for i, v in enumerate(vs):
            if v is not None and not math.isnan(v):
                body.append(f'<rect x="{left}" y="{y:.1f}" width="{max(x_of(v) - left, 1):.1f}" height="{bar}" '
                            f'fill="{PALETTE[i % 8]}"/>')
                body.append(text(x_of(v) + 4, y + bar - 1, value_fmt(v), size=9, fill="#333"))
            y += bar + gap
        y += group_gap
    # axis: a few round ticks
    step = 10 ** math.floor(math.log10(max(hi - lo, 1e-9)))
    if (hi - lo) / step < 3:
        step /= 2
    t = math.ceil(lo / step) * step
    while t <= hi:
        x = x_of(t)
        body.append(f'<line x1="{x:.1f}" y1="{plot_top - 4}" x2="{x:.1f}" y2="{y}" stroke="#e5e5e5"/>')
        body.append(text(x, y + 14, f"{t:g}", "middle", 10, fill="#555"))
        t += step
    return y + 30


def load_imbalance_svg(sim, path):
    body = []
    y = 10
    width = 900
    body.append(text(width / 2, y + 18, "Load imbalance (max ÷ mean; 1 = perfectly even), from DistributionSimulation",
                     "middle", 15, "bold"))
    meta = sim.get("meta", {})
    body.append(text(width / 2, y + 36, f"simulation.json: {meta.get('mode', '?')} mode, seed {meta.get('seed', '?')}, "
                     f"Java {meta.get('javaVersion', '?')}", "middle", 11, fill="#555"))
    y += 50

    queueing = sim.get("queueing") or []
    if queueing:
        scen = [q.get("scenario", f"scenario {i}") for i, q in enumerate(queueing)]
        algs = []
        for q in queueing:
            for r in q.get("results", []):
                if r["algorithm"] not in algs:
                    algs.append(r["algorithm"])
        groups = []
        for a in algs:
            vs = []
            for q in queueing:
                m = [r.get("workMaxOverMean") for r in q.get("results", []) if r["algorithm"] == a]
                vs.append(m[0] if m else None)
            groups.append((a, vs))
        y = grouped_panel(body, y, "Queueing: busiest server's utilization ÷ mean utilization, per scenario",
                          groups, scen, lambda v: f"{v:.2f}")

    balls = sim.get("ballsIntoBins") or []
    if balls:
        sizes = []
        for b in balls:
            if (b["n"], b["m"]) not in sizes:
                sizes.append((b["n"], b["m"]))
        algs = []
        for b in balls:
            if b["algorithm"] not in algs:
                algs.append(b["algorithm"])
        groups = []
        for (n, m) in sizes:
            vs = []
            for a in algs:
                v = [b["maxOverMean"] for b in balls if b["n"] == n and b["m"] == m and b["algorithm"] == a]
                vs.append(v[0] if v else None)
            groups.append((f"n = {n}, m = {m}", vs))
        y = grouped_panel(body, y, "Balls into bins: max ÷ mean requests per server, no departures",
                          groups, algs, lambda v: f"{v:.3f}")

    movement = sim.get("keyMovement") or []
    if movement:
        ns = sorted({k["n"] for k in movement})
        algs = []
        for k in movement:
            if k["algorithm"] not in algs:
                algs.append(k["algorithm"])
        groups = []
        for a in algs:
            vs = []
            for n in ns:
                v = [k["keysMaxOverMean"] for k in movement
                     if k["algorithm"] == a and k["n"] == n and k.get("change") == "remove"]
                vs.append(v[0] if v else None)
            groups.append((a, vs))
        y = grouped_panel(body, y, "Hashing: keys per server, max ÷ mean (before a change)",
                          groups, [f"n = {n}" for n in ns], lambda v: f"{v:.3f}")
    if y <= 60:
        return False
    with open(path, "w", encoding="utf-8") as f:
        f.write(svg_doc(width, y + 10, body))
    return True


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--results", default=os.path.join("benchmarks", "results"))
    ap.add_argument("--servers", type=int, default=10)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--mode", default=None)
    ap.add_argument("--wall-seconds", type=int, default=None)
    ap.add_argument("--build-seconds", type=int, default=None)
    args = ap.parse_args()
    res = args.results
    ours, ours_meta = load_jmh(os.path.join(res, "pick-cost-ours.json"), "algorithm")
    peers, peers_meta = load_jmh(os.path.join(res, "pick-cost-peers.json"), "peer")
    if not ours and not peers:
        sys.exit(f"no pick-cost JSON in {res}: run benchmarks/pick-cost.sh first")

    wall = None
    if args.wall_seconds is not None:
        wall = f"{args.wall_seconds} s" + (f" ({args.build_seconds} s of it building the jars)"
                                           if args.build_seconds else " (jars already built)")
    md = table(ours, peers, ours_meta, peers_meta, args.mode, wall)
    with open(os.path.join(res, "pick-cost.md"), "w", encoding="utf-8") as f:
        f.write(md + "\n")
    print(md)

    sub = "ours: emulator-core pickers; peers: Dubbo 3.3.1, Ribbon 2.7.18, Spring Cloud LB 5.0.4, gRPC 1.85.1, Undertow 2.4.4"
    if pick_cost_svg(ours, peers, args.servers, args.threads, os.path.join(res, "pick-cost.svg"), sub):
        print(f"wrote {os.path.join(res, 'pick-cost.svg')}")
    else:
        print(f"no results at {args.servers} servers, {args.threads} thread(s): pick-cost.svg not written")

    sim_path = os.path.join(res, "simulation.json")
    if os.path.exists(sim_path):
        with open(sim_path, encoding="utf-8") as f:
            sim = json.load(f)
        if load_imbalance_svg(sim, os.path.join(res, "load-imbalance.svg")):
            print(f"wrote {os.path.join(res, 'load-imbalance.svg')}")
        else:
            print(f"{sim_path} holds no imbalance figures: load-imbalance.svg not written")
    else:
        print(f"no {sim_path}: load-imbalance.svg not written (run DistributionSimulation first, see SIMULATION.md)")


if __name__ == "__main__":
    main()
