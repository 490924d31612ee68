"""commsim as an EMA workbench model, and scenario discovery with PRIM.

The model is a plain Python function that calls ``commsim.run`` on a small region
(region.toml beside this file): four uncertainties (the crisis's severity and duration, the
heads of administration's turnover, members' recognition) and the twelve policy levers L1-L12
(the registry's ``policy.*`` keys). Each experiment is one ``commsim.run`` of a few replicates,
which uses every core itself, so the workbench's sequential evaluator is the right one. Every
experiment runs on the same seed (common random numbers): futures differ by their parameters,
not by their luck.

The outcome of interest is the share of the communities alive at month 0 that have dissolved
by the end of the run, 1 - ``survival`` (MODEL.md, section 8), averaged over the replicates.
PRIM then answers: in which futures do the most communities dissolve (the top quarter of the
experiments), whatever the policy?

    python examples/ema/commsim_ema.py                 # 80 scenarios x 4 policies x 2 replicates
    python examples/ema/commsim_ema.py --scenarios 24 --replicates 1
"""

import argparse
import time
from pathlib import Path

import numpy as np

import commsim
from ema_workbench import (
    Constant,
    IntegerParameter,
    Model,
    Policy,
    RealParameter,
    ScalarOutcome,
    perform_experiments,
)
from ema_workbench.analysis import prim

REGION = Path(__file__).resolve().with_name("region.toml")

#: The uncertainties: workbench name -> (commsim key, low, high).
UNCERTAINTIES = {
    "severity": ("shocks.0.severity", 0.2, 1.0),
    "duration": ("shocks.0.duration_months", 3, 24),
    "head_turnover": ("administration.head_turnover", 0.05, 2.0),
    "recognition": ("community.recognition", 0.1, 0.9),
}

#: Lever intensities explored (commsim allows 0 to 100; 1 is the shipped levers-package).
LEVER_MAX = 2.0


def levers():
    """The twelve policy levers from the parameter table: workbench name (L1_social_venture,
    ...) -> commsim key (policy.social_venture, ...)."""
    table = commsim.params()
    rows = table[table["key"].str.startswith("policy.")]
    return {
        f"{factors.split()[0]}_{key.split('.', 1)[1]}": key
        for key, factors in zip(rows["key"], rows["factors"])
    }


LEVERS = levers()


def commsim_model(replicates=2, seed=2020, **values):
    """One experiment: the region with these uncertainties and levers, `replicates` runs on
    `seed`; the outcomes are means over the runs."""
    overrides = {key: values[name] for name, (key, _, _) in UNCERTAINTIES.items()}
    overrides.update({key: values[name] for name, key in LEVERS.items()})
    runs = commsim.run(REGION, set=overrides, replicates=replicates, seed=seed).runs
    return {
        "dissolved_share": float((1 - runs["survival"]).mean()),
        "crisis_dissolution": float(runs["crisis_dissolution"].mean()),
        "communities_end": float(runs["communities_end"].mean()),
    }


def model(replicates=2, seed=2020):
    m = Model("commsim", function=commsim_model)
    m.uncertainties = [
        IntegerParameter(name, low, high)
        if isinstance(low, int)
        else RealParameter(name, low, high)
        for name, (_, low, high) in UNCERTAINTIES.items()
    ]
    m.levers = [RealParameter(name, 0.0, LEVER_MAX) for name in LEVERS]
    m.constants = [Constant("replicates", replicates), Constant("seed", seed)]
    m.outcomes = [
        ScalarOutcome("dissolved_share"),
        ScalarOutcome("crisis_dissolution"),
        ScalarOutcome("communities_end"),
    ]
    return m


def policies():
    """A few lever policies: none, the shipped package (every lever at 1), and two targeted
    ones (recognition and leaders: L9, L11; money and competence: L1, L5, L7)."""
    none = {name: 0.0 for name in LEVERS}

    def with_(name, **chosen):
        values = dict(none)
        for prefix, x in chosen.items():
            (full,) = [n for n in LEVERS if n.startswith(prefix + "_")]
            values[full] = x
        return Policy(name, **values)

    return [
        Policy("no levers", **none),
        Policy("package", **{name: 1.0 for name in LEVERS}),
        with_("recognition and leaders", L9=LEVER_MAX, L11=LEVER_MAX),
        with_("money and competence", L1=LEVER_MAX, L5=LEVER_MAX, L7=LEVER_MAX),
    ]


def experiment(scenarios=80, replicates=2, seed=2020):
    """Runs `scenarios` Latin hypercube futures under each policy; returns the workbench's
    (experiments, outcomes). Deterministic: the sample is drawn from numpy's seeded generator."""
    np.random.seed(seed)
    # log_progress: progress through the workbench's logger (silent unless configured), not a
    # tqdm bar.
    return perform_experiments(
        model(replicates, seed), scenarios=scenarios, policies=policies(), log_progress=True
    )


def discover(experiments, outcomes, quantile=0.75, threshold=0.6):
    """PRIM over the uncertainties: boxes of futures where `dissolved_share` is in the top
    (1 - quantile) of the experiments. Of each box's peeling trajectory, the box kept is the one
    that covers the most cases of interest with a density of at least `threshold`. Returns
    (boxes, base rate, cut)."""
    y_value = np.asarray(outcomes["dissolved_share"])
    cut = float(np.quantile(y_value, quantile))
    y = y_value > cut
    # As floats: the workbench's PRIM cannot paste an integer column (duration) under pandas 3.
    x = experiments[list(UNCERTAINTIES)].astype(float)
    algorithm = prim.Prim(x, y, threshold=threshold)
    boxes = []
    for _ in range(2):
        box = algorithm.find_box()
        # A box that restricts nothing is PRIM's "dump box": the rest of the space.
        if box is None or box.res_dim == 0:
            break
        trajectory = box.peeling_trajectory
        dense = trajectory[(trajectory["density"] >= threshold) & (trajectory["res_dim"] > 0)]
        if len(dense):
            box.select(int(dense["coverage"].idxmax()))
        boxes.append(box)
    return boxes, float(y.mean()), cut


def describe(boxes, base_rate, cut):
    print(f"case of interest: dissolved share above {cut:.3f} (base rate {base_rate:.2f})")
    if not boxes:
        print("PRIM found no box")
    for i, box in enumerate(boxes):
        print(
            f"\nbox {i + 1}: coverage {box.coverage:.2f}, density {box.density:.2f}, "
            f"mass {box.mass:.2f}, restricted dimensions {box.res_dim}"
        )
        box.inspect()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scenarios", type=int, default=80)
    parser.add_argument("--replicates", type=int, default=2)
    parser.add_argument("--seed", type=int, default=2020)
    args = parser.parse_args()
    start = time.perf_counter()
    experiments, outcomes = experiment(args.scenarios, args.replicates, args.seed)
    ran = time.perf_counter() - start
    print(
        f"{len(experiments)} experiments ({args.scenarios} scenarios x {len(policies())} policies"
        f" x {args.replicates} replicates) in {ran:.1f} s"
    )
    by_policy = (
        experiments[["policy"]]
        .assign(dissolved_share=outcomes["dissolved_share"])
        .groupby("policy", observed=True)["dissolved_share"]
        .mean()
    )
    print("\nmean dissolved share by policy:")
    print(by_policy.round(3).to_string())
    boxes, base_rate, cut = discover(experiments, outcomes)
    print()
    describe(boxes, base_rate, cut)


if __name__ == "__main__":
    main()
