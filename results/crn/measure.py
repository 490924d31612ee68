#!/usr/bin/env python3
"""Variance of the paired difference between two design points, with and without common random
numbers. For each key, a two-point grid (the default value and a changed one) is run twice on
the reduced crisis region: with independent seeds and with sweep.common_random_numbers = true.
For each outcome, var(y1 - y0) over replicates (paired by replicate) is compared.

Usage: results/crn/measure.py BINARY [REPLICATES]   (prints a markdown table)
"""
import csv, os, subprocess, sys, tempfile, statistics

BIN = sys.argv[1]
REPS = sys.argv[2] if len(sys.argv) > 2 else "100"
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL = ["region.small_towns=3", "territory.small_town.population=4000",
         "territory.large_city.population=30000", "territory.large_city.communities=20",
         "run.burn_in=12"]
CHANGES = [("grants.budget", "150.0", "300.0"), ("community.recognition", "0.5", "0.7"),
           ("community.human_capital", "0.5", "0.7"), ("policy.training", "0.0", "1.0")]
OUTCOMES = ["survival", "crisis_dissolution", "members_end", "grants_won", "stance_integration",
            "development_gain_small_town"]

def run(tmp, key, a, b, crn):
    base = open(os.path.join(ROOT, "scenarios", "pandemic-2020.toml")).read()
    crn_line = "common_random_numbers = true\n" if crn else ""
    path = os.path.join(tmp, f"{key}-{crn}.toml")
    with open(path, "w") as f:
        f.write(base + f'\n[sweep]\ndesign = "grid"\n{crn_line}[sweep.parameters]\n"{key}" = [{a}, {b}]\n')
    out = os.path.join(tmp, f"out-{key}-{crn}")
    args = [BIN, "run", path, "--out", out, "--replicates", REPS, "--quiet"]
    for s in SMALL:
        args += ["--set", s]
    subprocess.run(args, check=True)
    by = {}
    for row in csv.DictReader(open(os.path.join(out, "runs.csv"))):
        by[(int(row["point"]), int(row["replicate"]))] = row
    return by

def paired_var(by, outcome):
    diffs = []
    for r in range(int(REPS)):
        y0, y1 = by[(0, r)][outcome], by[(1, r)][outcome]
        if y0 and y1:
            diffs.append(float(y1) - float(y0))
    return statistics.variance(diffs) if len(diffs) > 1 else float("nan")

with tempfile.TemporaryDirectory() as tmp:
    print(f"| key (from -> to) | outcome | var, independent | var, common | ratio |")
    print("| --- | --- | ---: | ---: | ---: |")
    for key, a, b in CHANGES:
        ind, com = run(tmp, key, a, b, False), run(tmp, key, a, b, True)
        for o in OUTCOMES:
            vi, vc = paired_var(ind, o), paired_var(com, o)
            ratio = vi / vc if vc > 0 else float("inf")
            print(f"| `{key}` ({a} -> {b}) | `{o}` | {vi:.4g} | {vc:.4g} | {ratio:.1f} |")
