"""Interoperability with SALib (run by .ci/run; needs `pip install SALib`).

1. A Saltelli sample written by SALib goes through `sweep.design = "file"`; SALib analyses the
   outputs.
2. A commsim `sobol` sweep analysed by `commsim analyze` gives the indices SALib computes from the
   same runs.csv (3: with second-order terms).
4. A commsim `morris` sweep (trajectories selected among candidates) analysed by `commsim analyze`
   gives the mu, mu* and sigma SALib's `morris.analyze` computes from commsim's design (as
   `commsim design` prints it) and the same runs; mu*'s bootstrap interval agrees loosely (both are
   random).
5. A Morris design written by SALib (`morris.sample` with `optimal_trajectories`) goes through
   `sweep.design = "file"`; SALib analyses the outputs.

Usage: python3 tests/salib/check.py path/to/commsim
"""
import csv
import os
import subprocess
import sys
import tempfile

import numpy as np
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

COMMSIM = os.path.abspath(sys.argv[1])
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SMALL = [
    "--set", "region.villages=3", "--set", "region.small_towns=1",
    "--set", "territory.small_town.population=2000", "--set", "territory.large_city.population=5000",
    "--set", "territory.large_city.communities=4", "--set", "run.burn_in=6",
]


def run(args, cwd):
    done = subprocess.run([COMMSIM] + args, cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"commsim {' '.join(args)} failed: {done.stderr}")
    return done.stdout


def point_means(path, outcome):
    points = {}
    for row in csv.DictReader(open(path)):
        points.setdefault(int(row["point"]), []).append(float(row[outcome]))
    return np.array([np.mean(points[p]) for p in sorted(points)])


with tempfile.TemporaryDirectory() as tmp:
    # 1. SALib design -> commsim file design -> SALib analysis.
    problem = {
        "num_vars": 2,
        "names": ["grants.budget", "administration.openness"],
        "bounds": [[0.0, 600.0], [0.1, 0.9]],
    }
    x = sobol_sample.sample(problem, 16, calc_second_order=False, seed=3)
    np.savetxt(os.path.join(tmp, "points.csv"), x, delimiter=",", header=",".join(problem["names"]), comments="")
    base = open(os.path.join(ROOT, "scenarios", "pandemic-2020.toml")).read()
    with open(os.path.join(tmp, "file.toml"), "w") as f:
        f.write(base + '\n[sweep]\ndesign = "file"\nfile = "points.csv"\n')
    run(["run", "file.toml", "--out", "file", "--replicates", "1", "--quiet"] + SMALL, tmp)
    y = point_means(os.path.join(tmp, "file", "runs.csv"), "grant_money")
    assert len(y) == len(x), (len(y), len(x))
    si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=1)
    assert np.all(np.isfinite(si["ST"])), si
    print("SALib design through commsim: ST(grant_money) =", dict(zip(problem["names"], np.round(si["ST"], 3))))

    # 2. commsim sobol sweep: commsim analyze agrees with SALib on the same runs.
    run(["run", os.path.join(ROOT, "scenarios", "sweep-sobol.toml"), "--out", "sobol", "--replicates", "2", "--quiet"] + SMALL, tmp)
    run(["analyze", "sobol", "--quiet"], tmp)
    sens = list(csv.DictReader(open(os.path.join(tmp, "sobol", "sensitivity.csv"))))
    params = list(dict.fromkeys(r["parameter"] for r in sens))
    problem = {"num_vars": len(params), "names": params, "bounds": [[0.0, 1.0]] * len(params)}
    worst = 0.0
    for outcome in ["survival", "members_end", "stance_integration", "grant_money"]:
        y = point_means(os.path.join(tmp, "sobol", "runs.csv"), outcome)
        si = sobol_analyze.analyze(problem, y, calc_second_order=False, seed=1)
        ours = {r["parameter"]: r for r in sens if r["outcome"] == outcome}
        for i, p in enumerate(params):
            worst = max(worst, abs(si["S1"][i] - float(ours[p]["S1"])), abs(si["ST"][i] - float(ours[p]["ST"])))
    print(f"commsim analyze vs SALib: largest difference of S1 and ST = {worst:.2e}")
    assert worst < 1e-9, worst

    # 3. Second-order terms: N (2k + 2) points, S2 equal to SALib's.
    with open(os.path.join(tmp, "second.toml"), "w") as f:
        f.write(base + '\n[sweep]\ndesign = "sobol"\nsamples = 16\nsecond_order = true\n[sweep.parameters]\n'
                '"grants.budget" = { min = 0.0, max = 600.0 }\n"administration.openness" = { min = 0.1, max = 0.9 }\n'
                '"community.recognition" = { min = 0.1, max = 0.9 }\n')
    run(["run", "second.toml", "--out", "second", "--replicates", "1", "--quiet"] + SMALL, tmp)
    run(["analyze", "second", "--quiet"], tmp)
    sens = list(csv.DictReader(open(os.path.join(tmp, "second", "sensitivity.csv"))))
    names = ["grants.budget", "administration.openness", "community.recognition"]
    problem = {"num_vars": 3, "names": names, "bounds": [[0.0, 1.0]] * 3}
    y = point_means(os.path.join(tmp, "second", "runs.csv"), "grant_money")
    assert len(y) == 16 * (2 * 3 + 2), len(y)
    si = sobol_analyze.analyze(problem, y, calc_second_order=True, seed=1)
    ours = {r["parameter"]: r for r in sens if r["outcome"] == "grant_money"}
    worst = 0.0
    for p in range(3):
        for q in range(p + 1, 3):
            worst = max(worst, abs(si["S2"][p][q] - float(ours[f"{names[p]}:{names[q]}"]["S2"])))
    print(f"commsim analyze vs SALib: largest difference of S2 = {worst:.2e}")
    assert worst < 1e-9, worst

    # 4. commsim morris sweep: commsim analyze agrees with SALib's morris.analyze on commsim's
    # own design and the same runs.
    names = ["grants.budget", "administration.openness", "community.recognition", "community.tie_diversity"]
    bounds = [[0.0, 600.0], [0.1, 0.9], [0.1, 0.9], [0.1, 0.8]]
    levels, trajectories = 6, 8
    with open(os.path.join(tmp, "morris.toml"), "w") as f:
        f.write(base + f'\n[sweep]\ndesign = "morris"\ntrajectories = {trajectories}\nlevels = {levels}\ncandidates = 20\n[sweep.parameters]\n'
                + "".join(f'"{n}" = {{ min = {lo}, max = {hi} }}\n' for n, (lo, hi) in zip(names, bounds)))
    design = run(["design", "morris.toml"] + SMALL, tmp)
    x = np.array([[float(v) for v in line.split(",")[1:]] for line in design.splitlines()[1:]])
    assert x.shape == (trajectories * (len(names) + 1), len(names)), x.shape
    run(["run", "morris.toml", "--out", "morris", "--replicates", "2", "--quiet"] + SMALL, tmp)
    run(["analyze", "morris", "--quiet"], tmp)
    sens = list(csv.DictReader(open(os.path.join(tmp, "morris", "sensitivity.csv"))))
    assert list(sens[0].keys()) == ["outcome", "parameter", "mu", "mu_star", "sigma", "mu_star_conf", "replicate_noise", "trajectories"], sens[0].keys()
    problem = {"num_vars": len(names), "names": names, "bounds": bounds}
    outcomes = list(dict.fromkeys(r["outcome"] for r in sens))
    worst = worst_conf = 0.0
    for outcome in outcomes:
        y = point_means(os.path.join(tmp, "morris", "runs.csv"), outcome)
        si = morris_analyze.analyze(problem, x, y, num_levels=levels, num_resamples=1000, seed=1)
        ours = {r["parameter"]: r for r in sens if r["outcome"] == outcome}
        for i, p in enumerate(names):
            for key in ["mu", "mu_star", "sigma"]:
                a, b = float(ours[p][key]), float(si[key][i])
                worst = max(worst, abs(a - b) / max(1.0, abs(a), abs(b)))
            a, b = float(ours[p]["mu_star_conf"]), float(si["mu_star_conf"][i])
            if max(a, b) > 1e-9 * max(1.0, float(ours[p]["mu_star"])):
                worst_conf = max(worst_conf, abs(a - b) / max(a, b))
    print(f"commsim analyze vs SALib on {len(outcomes)} outcomes: largest relative difference of mu, mu*, sigma = {worst:.2e}; of mu_star_conf (bootstrap) = {worst_conf:.2f}")
    assert worst < 1e-12, worst
    assert worst_conf < 0.3, worst_conf

    # 5. SALib Morris design (optimised trajectories) -> commsim file design -> SALib analysis.
    x = morris_sample.sample(problem, 20, num_levels=levels, optimal_trajectories=trajectories, seed=3)
    np.savetxt(os.path.join(tmp, "morris-points.csv"), x, delimiter=",", header=",".join(names), comments="")
    with open(os.path.join(tmp, "morris-file.toml"), "w") as f:
        f.write(base + '\n[sweep]\ndesign = "file"\nfile = "morris-points.csv"\n')
    run(["run", "morris-file.toml", "--out", "morris-file", "--replicates", "1", "--quiet"] + SMALL, tmp)
    y = point_means(os.path.join(tmp, "morris-file", "runs.csv"), "grant_money")
    assert len(y) == len(x), (len(y), len(x))
    si = morris_analyze.analyze(problem, x, y, num_levels=levels, seed=1)
    assert np.all(np.isfinite(si["mu_star"])), si
    print("SALib Morris design through commsim: mu*(grant_money) =", dict(zip(names, np.round(si["mu_star"], 2))))
print("SALib checks passed")
