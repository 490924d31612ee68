"""commsim's ABC-SMC against pyabc on a problem with a known posterior (run by .ci/run; needs
`pip install pyabc`).

The problem, the same on both sides (crates/experiment/examples/abc_normal.rs): x_1..x_n ~
N(mu, 1), n = 20, observed mean 1.3; prior mu ~ U(-10, 10); distance |mean(x) - 1.3|; 1000
particles; tolerances the weighted median of the previous generation's distances, the first from
a sample of the prior (pyabc's QuantileEpsilon(initial_epsilon="from_sample", alpha=0.5)), down
to a final tolerance of 0.05 posterior sd (pyabc's minimum_epsilon). The posterior is N(1.3,
1/20) convolved with U(-eps, eps): mean 1.3, sd sqrt(1/20 + eps^2/3), 0.2237.

The two differ in their perturbation kernel (commsim: Beaumont et al.'s normal of twice the
weighted covariance; pyabc: its default MultivariateNormalTransition, Silverman-scaled), so they
draw different particles; both target the same posterior. Each side's posterior mean and sd
carry a Monte Carlo standard error (the delta-method error of a self-normalised
importance-sampling estimate, as `Generation::mean_standard_error` and `sd_standard_error`
compute it; the same formula is applied to pyabc's weighted particles). The check: commsim and
pyabc agree within STANDARD_ERRORS combined standard errors, and each lies within
STANDARD_ERRORS of its own standard errors of the exact values.

Usage: python3 tests/abc/pyabc_check.py path/to/abc_normal [SEED]
  (cargo build --release -p experiment --example abc_normal builds target/release/examples/abc_normal)
"""
import json
import logging
import math
import os
import subprocess
import sys
import tempfile

import numpy as np
import pyabc

OBSERVATIONS = 20
OBSERVED_MEAN = 1.3
PRIOR = (-10.0, 10.0)
POPULATION = 1000
FINAL_TOLERANCE_SHARE = 0.05
GENERATIONS = 40
# As crates/experiment/tests/abc.rs: a chance of about 6e-5 of failing, were the errors normal.
STANDARD_ERRORS = 4.0


def weighted(x, w):
    """Weighted mean and sd (no small-sample correction) and their delta-method errors."""
    w = np.asarray(w, dtype=float)
    w = w / w.sum()
    x = np.asarray(x, dtype=float)
    mean = float(np.sum(w * x))
    var = float(np.sum(w * (x - mean) ** 2))
    sd = math.sqrt(var)
    mean_se = math.sqrt(float(np.sum((w * (x - mean)) ** 2)))
    sd_se = math.sqrt(float(np.sum((w * ((x - mean) ** 2 - var)) ** 2))) / (2 * sd)
    return mean, sd, mean_se, sd_se, 1.0 / float(np.sum(w * w))


def run_pyabc(seed, eps):
    rng = np.random.default_rng(seed)

    def model(p):
        return {"x": p["mu"] + rng.normal(0.0, 1.0, OBSERVATIONS).mean()}

    def distance(x, x0):
        return abs(x["x"] - x0["x"])

    np.random.seed(seed)
    prior = pyabc.Distribution(mu=pyabc.RV("uniform", PRIOR[0], PRIOR[1] - PRIOR[0]))
    abc = pyabc.ABCSMC(
        model,
        prior,
        distance,
        population_size=POPULATION,
        eps=pyabc.QuantileEpsilon(initial_epsilon="from_sample", alpha=0.5, weighted=True),
        sampler=pyabc.sampler.SingleCoreSampler(),
    )
    with tempfile.TemporaryDirectory() as tmp:
        abc.new("sqlite:///" + os.path.join(tmp, "abc.db"), {"x": OBSERVED_MEAN})
        history = abc.run(minimum_epsilon=eps, max_nr_populations=GENERATIONS)
        frame, w = history.get_distribution(m=0, t=history.max_t)
        tolerances = list(history.get_all_populations()["epsilon"])
        return weighted(frame["mu"].to_numpy(), w), history.max_t + 1, tolerances


def main():
    # pyabc logs every generation at INFO; the summary below says what matters.
    logging.getLogger("ABC").setLevel(logging.WARNING)
    binary = os.path.abspath(sys.argv[1])
    seed = int(sys.argv[2]) if len(sys.argv) > 2 else 11
    eps = FINAL_TOLERANCE_SHARE / math.sqrt(OBSERVATIONS)
    exact_mean = OBSERVED_MEAN
    exact_sd = math.sqrt(1.0 / OBSERVATIONS + eps * eps / 3.0)
    ours = json.loads(subprocess.run([binary, str(seed)], check=True, capture_output=True, text=True).stdout)
    assert abs(ours["final_tolerance"] - eps) < 1e-15, ours
    (p_mean, p_sd, p_mean_se, p_sd_se, p_ess), p_generations, p_tolerances = run_pyabc(seed, eps)
    print(f"exact:   mean {exact_mean:.5f}, sd {exact_sd:.5f}")
    print(
        f"commsim: mean {ours['mean']:.5f} (se {ours['mean_se']:.5f}), sd {ours['sd']:.5f} "
        f"(se {ours['sd_se']:.5f}), ESS {ours['ess']:.0f}, {ours['generations']} generations, "
        f"{ours['simulations']} simulations"
    )
    print(
        f"pyabc {pyabc.__version__}: mean {p_mean:.5f} (se {p_mean_se:.5f}), sd {p_sd:.5f} "
        f"(se {p_sd_se:.5f}), ESS {p_ess:.0f}, {p_generations} generations, last tolerance "
        f"{p_tolerances[-1]:.5f}"
    )
    failures = []

    def check(what, a, b, se):
        z = abs(a - b) / se
        print(f"  {what}: |{a:.5f} - {b:.5f}| = {z:.2f} standard errors (allowed {STANDARD_ERRORS})")
        if z > STANDARD_ERRORS:
            failures.append(what)

    check("commsim vs pyabc, mean", ours["mean"], p_mean, math.hypot(ours["mean_se"], p_mean_se))
    check("commsim vs pyabc, sd", ours["sd"], p_sd, math.hypot(ours["sd_se"], p_sd_se))
    check("commsim vs exact, mean", ours["mean"], exact_mean, ours["mean_se"])
    check("commsim vs exact, sd", ours["sd"], exact_sd, ours["sd_se"])
    check("pyabc vs exact, mean", p_mean, exact_mean, p_mean_se)
    check("pyabc vs exact, sd", p_sd, exact_sd, p_sd_se)
    if failures:
        sys.exit("ABC-SMC check failed: " + ", ".join(failures))
    print("ABC-SMC check: commsim and pyabc agree within their Monte Carlo errors")


if __name__ == "__main__":
    main()
