"""commsim.params(): the registry as a DataFrame, the table `commsim params` prints."""

import io
import math

import pandas as pd

import commsim
from conftest import TINY

# The keys that choose the files a run writes: no columns of points.csv.
FILE_CHOICE_KEYS = {
    "output.outcomes",
    "output.summary",
    "output.survival",
    "output.points",
    "output.compress",
    "output.format",
}


def test_the_table_is_the_cli_table_of_registry_keys(cli):
    table = commsim.params()
    assert list(table.columns) == [
        "key",
        "kind",
        "default",
        "range",
        "min",
        "max",
        "unit",
        "factors",
        "description",
    ]
    done = cli("params", "--format", "csv")
    assert done.returncode == 0, done.stderr
    printed = pd.read_csv(io.StringIO(done.stdout), keep_default_na=False, dtype=str)
    # The CLI lists the registry, then the [[shocks]] fields and [sweep] settings.
    registry = printed.iloc[: len(table)]
    rest = printed.iloc[len(table) :]
    assert len(rest) > 0
    assert all(k.startswith(("shocks.N.", "sweep.")) for k in rest["key"])
    assert not any(k.startswith(("shocks.", "sweep.")) for k in registry["key"])
    for ours, theirs in [
        ("key", "key"),
        ("default", "default"),
        ("range", "range"),
        ("unit", "unit"),
        ("factors", "factors"),
        ("description", "meaning"),
    ]:
        assert table[ours].tolist() == registry[theirs].tolist(), ours
    assert table["key"].is_unique


def test_every_registry_key_is_a_column_of_points_csv():
    # points.csv has every registry key but the file choices, then the shock fields: the
    # registry's length, counted by the run's own writer.
    points = commsim.run(TINY, replicates=1).points
    keys = [c for c in points.columns[1:] if not c.startswith("shocks.")]
    table = commsim.params()
    assert len(table) == len(keys) + len(FILE_CHOICE_KEYS)
    assert [k for k in table["key"] if k not in FILE_CHOICE_KEYS] == keys


def test_kinds_bounds_and_defaults_agree():
    table = commsim.params().set_index("key")
    assert set(table["kind"]) == {"real", "whole", "flag", "text", "list"}
    for key, row in table.iterrows():
        if row["kind"] in ("real", "whole"):
            assert row["range"] == f"[{row['range'][1:-1]}]"
            low, high = (float(x) for x in row["range"][1:-1].split(", "))
            assert (row["min"], row["max"]) == (low, high), key
            assert low <= float(row["default"]) <= high, key
        else:
            assert math.isnan(row["min"]) and math.isnan(row["max"]), key
    assert table.loc["community.recognition", "kind"] == "real"
    assert table.loc["run.replicates", "kind"] == "whole"
    assert table.loc["grants.enabled", "default"] == "true"


def test_the_twelve_policy_levers():
    table = commsim.params()
    levers = table[table["key"].str.startswith("policy.")]
    assert len(levers) == 12
    ids = [f.split()[0] for f in levers["factors"]]
    assert ids == [f"L{i}" for i in range(1, 13)]
    assert (levers["default"] == "0.0").all() and (levers["min"] == 0).all()
