#!/usr/bin/env python3
"""Prints p50/p95/p99 of JMH JSON results (-rf json) and, for HopLatencyBenchmark, the cost of one hop.

Usage:
  python3 benchmarks/summarize.py benchmarks/results/stack-boot.json benchmarks/results/hop-latency.json
  python3 benchmarks/summarize.py --merge OUT.json IN1.json IN2.json ...   # one JSON array from several runs

One hop = (through - direct) / 2 at the same percentile, per client and JDK: the path through the balancer has two
more hops (balancer, web server) than the request sent straight to the application server.
"""
import json
import re
import sys


def fmt(x):
    if x is None:
        return "-"
    return f"{x:.3f}" if abs(x) < 10 else f"{x:.1f}"


def row(result):
    metric = result["primaryMetric"]
    p = metric.get("scorePercentiles", {})
    samples = None
    if result["mode"] == "ss":  # one sample per fork and iteration
        samples = sum(len(fork) for fork in metric.get("rawData", []))
    return {
        "name": ".".join(result["benchmark"].rsplit(".", 2)[-2:]),
        "method": result["benchmark"].rsplit(".", 1)[-1],
        "mode": result["mode"],
        "p50": p.get("50.0"), "p95": p.get("95.0"), "p99": p.get("99.0"), "max": p.get("100.0"),
        "unit": metric["scoreUnit"], "samples": samples, "jdk": result.get("jdkVersion", "?"),
    }


def main(paths):
    rows = []
    for path in paths:
        with open(path) as f:
            rows += [row(r) for r in json.load(f)]
    print(f"{'benchmark':45s} {'JDK':8s} {'mode':6s} {'p50':>9s} {'p95':>9s} {'p99':>9s} {'max':>9s}  unit")
    for r in rows:
        extra = f" ({r['samples']} forks)" if r["samples"] else ""
        print(f"{r['name']:45s} {r['jdk']:8s} {r['mode']:6s} {fmt(r['p50']):>9s} {fmt(r['p95']):>9s} "
              f"{fmt(r['p99']):>9s} {fmt(r['max']):>9s}  {r['unit']}{extra}")
    by = {(r["jdk"], r["method"]): r for r in rows}
    for jdk in sorted({r["jdk"] for r in rows}):
        for client in ("RawSocket", "HttpClient"):
            d, t = by.get((jdk, "direct" + client)), by.get((jdk, "through" + client))
            if d and t:
                hop = {k: (t[k] - d[k]) / 2 for k in ("p50", "p95", "p99")}
                print(f"{'one hop, ' + client + ' = (through - direct) / 2':45s} {jdk:8s} {'':6s} "
                      f"{fmt(hop['p50']):>9s} {fmt(hop['p95']):>9s} {fmt(hop['p99']):>9s} {'':>9s}  {d['unit']}")


def merge(out, paths):
    merged = []
    for path in paths:
        with open(path) as f:
            merged += json.load(f)
    text = json.dumps(merged, indent=4)
    # Innermost arrays (histogram pairs, raw samples) on one line each, as JMH writes them.
    text = re.sub(r"\[\s*([-0-9.eE+]+(?:,\s*[-0-9.eE+]+)*)\s*\]",
                  lambda m: "[" + ", ".join(x.strip() for x in m.group(1).split(",")) + "]", text)
    with open(out, "w") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--merge":
        merge(sys.argv[2], sys.argv[3:])
    elif len(sys.argv) > 1:
        main(sys.argv[1:])
    else:
        print(__doc__)
