#!/usr/bin/env python3
"""Draws the ratio chart of BENCHMARKS.md from the benchmark scripts' CSV output (gnuplot).

Usage: tools/bench/chart.py [--out docs/benchmarks/ratios.png] docs/benchmarks/redis.csv \
                            docs/benchmarks/nats.csv

Every row becomes one bar of "kvgate advantage": the ratio for higher-is-better figures (ops/s),
the inverse for lower-is-better ones (latency, CPU per op, memory), so every bar reads "times
better than the reference" and 1.0 is parity. A marker shows the bar each row must clear.
Installs gnuplot-nox (Debian) when gnuplot is missing: a bench-only setup step.
"""
import argparse
import csv
import os
import shutil
import subprocess
import tempfile

from common import ROOT


def ensure_gnuplot():
    if shutil.which("gnuplot"):
        return
    cmd = ["apt-get", "install", "-y", "-qq", "--no-install-recommends", "gnuplot-nox"]
    if os.geteuid() != 0:
        cmd = ["sudo"] + cmd
    subprocess.run(cmd, check=True, env=dict(os.environ, DEBIAN_FRONTEND="noninteractive"))


def rows_of(paths):
    out = []
    for p in paths:
        with open(p) as f:
            for r in csv.DictReader(f):
                ratio = float(r["ratio"])
                bar = r["bar"].split()
                lower_better = r.get("better") == "lower" or (bool(bar) and bar[0] == "<=")
                adv = 1 / ratio if lower_better else ratio
                need = (1 / float(bar[1]) if lower_better else float(bar[1])) if bar else None
                out.append((r["workload"], adv, need, r["met"]))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks", "ratios.png"))
    ap.add_argument("--title", default="kvgate vs reference servers (medians, same machine)")
    ap.add_argument("csv", nargs="+")
    args = ap.parse_args()
    ensure_gnuplot()
    rows = rows_of(args.csv)
    with tempfile.TemporaryDirectory() as d:
        data = os.path.join(d, "data")
        with open(data, "w") as f:
            for i, (name, adv, need, met) in enumerate(rows):
                color = {"yes": 0x2E8B57, "NO": 0xC0392B}.get(met, 0x999999)
                f.write(f'{i} {adv:.4f} {need if need is not None else "NaN"} {color} '
                        f'"{name}"\n')
        ymax = max(max(r[1] for r in rows), max((r[2] or 0) for r in rows)) * 1.15
        script = f"""
set terminal pngcairo size 1400,{260 + 22 * len(rows)} font "DejaVu Sans,10" noenhanced
set output "{args.out}"
set title "{args.title}"
set style fill solid 0.85 noborder
set boxwidth 0.7
set yrange [{len(rows) - 0.4}:-0.6]
set xrange [0:{ymax:.2f}]
set xlabel "kvgate advantage (x): ops/s ratio, or reference / kvgate for latency, CPU and memory"
set ytics scale 0 font ",9"
set grid xtics
set arrow from 1,graph 0 to 1,graph 1 nohead lc rgb "#555555" dt 2
set key bottom right
plot "{data}" using (($2)/2):1:(($2)/2):(0.35):4:ytic(5) with boxxyerror lc rgb variable \
       title "kvgate advantage (green: bar met, red: not met, grey: no bar)", \
     "{data}" using 3:1 with points pt 7 ps 1.1 lc rgb "black" title "bar", \
     "{data}" using ($2 + {ymax / 60:.3f}):1:(sprintf("%.2f", $2)) with labels left font ",8" \
       notitle
"""
        gp = os.path.join(d, "chart.gp")
        with open(gp, "w") as f:
            f.write(script)
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        subprocess.run(["gnuplot", gp], check=True)
    print("wrote", args.out)


if __name__ == "__main__":
    main()
