"""The EMA workbench example, reduced: the workbench runs commsim as a model, and PRIM finds a
box of futures where communities dissolve more often than across all experiments."""

import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))

import commsim_ema  # noqa: E402


def test_prim_finds_futures_where_communities_dissolve():
    experiments, outcomes = commsim_ema.experiment(scenarios=30, replicates=1, seed=7)
    assert len(experiments) == 30 * len(commsim_ema.policies())
    shares = np.asarray(outcomes["dissolved_share"])
    assert np.all((shares >= 0) & (shares <= 1)) and shares.std() > 0
    # The levers reached the model: the lever package changes the outcomes of the same futures.
    by_policy = {
        p: shares[np.asarray(experiments["policy"] == p)] for p in ("no levers", "package")
    }
    assert not np.array_equal(by_policy["no levers"], by_policy["package"])
    boxes, base_rate, cut = commsim_ema.discover(experiments, outcomes)
    assert 0 < base_rate < 0.5
    assert boxes, "PRIM found no box"
    box = boxes[0]
    assert box.res_dim >= 1
    assert 0 < box.coverage <= 1
    # Denser in cases of interest than the experiments as a whole, and well so.
    assert box.density > 1.5 * base_rate, (box.density, base_rate)
    # What the workbench recorded is what the model gives for that experiment, run again.
    first = experiments.iloc[0]
    names = list(commsim_ema.UNCERTAINTIES) + list(commsim_ema.LEVERS)
    again = commsim_ema.commsim_model(replicates=1, seed=7, **{n: first[n] for n in names})
    assert again["dissolved_share"] == shares[0]
