"""commsim.run against `commsim run`: the same tables for the same scenario, overrides and seed."""

import io
import threading
import time

import pandas as pd
import pandas.testing as pdt
import pytest

import commsim
from conftest import TINY, TINY_SWEEP, sets

TABLES = ("runs", "summary", "survival", "timeseries", "points")


def cli_tables(cli, tmp_path, scenario, overrides=(), extra=()):
    """Runs the CLI into a fresh folder; returns {table: (path, text)} for each CSV written."""
    out = tmp_path / "cli-out"
    done = cli("run", scenario, "--out", out, "--quiet", *sets(dict(overrides)), *extra)
    assert done.returncode == 0, done.stderr
    return {
        t: (out / f"{t}.csv", (out / f"{t}.csv").read_text())
        for t in TABLES
        if (out / f"{t}.csv").exists()
    }


def assert_same_as_cli(result, files):
    assert set(result.tables()) == set(files), "the same tables are written"
    for table, (path, text) in files.items():
        assert result.texts[table] == text, f"{table}.csv differs byte for byte"
        frame = result[table]
        # The file as pandas reads it (before pandas 3, its default float parser may miss the
        # last digit: then equal to 1e-14).
        pdt.assert_frame_equal(frame, commsim.read_csv(path))
        pdt.assert_frame_equal(frame, pd.read_csv(path), check_exact=False, rtol=1e-14)


def test_tables_equal_the_cli_files(cli, tmp_path):
    overrides = {"output.timeseries": True, "community.recognition": 0.35}
    files = cli_tables(cli, tmp_path, TINY, overrides, ["--seed", "23", "--replicates", "4"])
    assert set(files) == set(TABLES)
    result = commsim.run(TINY, set=overrides, seed=23, replicates=4)
    assert_same_as_cli(result, files)
    assert len(result.runs) == 4
    assert len(result.timeseries) == 4 * 30
    assert list(result.runs.columns[:3]) == ["point", "replicate", "seed"]
    assert result.out is None


def test_a_sweep_equals_the_cli_files(cli, tmp_path):
    files = cli_tables(cli, tmp_path, TINY_SWEEP)
    result = commsim.run(TINY_SWEEP)
    assert_same_as_cli(result, files)
    assert list(result.runs.columns[3:5]) == ["administration.head_turnover", "shocks.0.severity"]
    assert result.runs["point"].nunique() == 4
    assert len(result.points) == 4


def test_output_keys_choose_the_tables_as_on_the_cli(cli, tmp_path):
    overrides = {
        "output.summary": False,
        "output.survival": False,
        "output.outcomes": '["survival", "crisis_dissolution"]',
    }
    files = cli_tables(cli, tmp_path, TINY, overrides)
    result = commsim.run(TINY, set=overrides)
    assert_same_as_cli(result, files)
    assert result.summary is None and result.survival is None
    assert list(result.runs.columns[3:]) == [
        "survival",
        "crisis_dissolution",
        "crisis_dissolution_excess",
    ]
    with pytest.raises(KeyError, match="did not write summary.csv"):
        result["summary"]


def test_set_changes_the_result_as_on_the_cli(cli, tmp_path):
    base = commsim.run(TINY, seed=3)
    changed = commsim.run(TINY, set={"administration.head_turnover": 2.0, "shocks.0.severity": 1.0}, seed=3)
    assert not base.runs.equals(changed.runs)
    files = cli_tables(
        cli, tmp_path, TINY, {"administration.head_turnover": 2.0, "shocks.0.severity": 1.0}, ["--seed", "3"]
    )
    assert_same_as_cli(changed, files)
    # The same overrides as --set texts, and a later override of a key wins.
    texts = commsim.run(
        TINY,
        set=["administration.head_turnover=0.5", "administration.head_turnover=2", "shocks.0.severity=1"],
        seed=3,
    )
    pdt.assert_frame_equal(texts.runs, changed.runs)
    assert "head_turnover = 2.0" in changed.scenario


def test_numpy_values_are_numbers():
    import numpy as np

    plain = commsim.run(TINY, set={"community.recognition": 0.25, "run.months": 24, "grants.enabled": False})
    numpy = commsim.run(
        TINY,
        set={"community.recognition": np.float64(0.25), "run.months": np.int64(24), "grants.enabled": np.bool_(False)},
        replicates=np.int64(3),
    )
    assert numpy.texts == plain.texts


def test_a_shock_added_by_set(cli, tmp_path):
    overrides = {"shocks.1.start_month": 24, "shocks.1.duration_months": 3, "shocks.1.kind": "disaster"}
    files = cli_tables(cli, tmp_path, TINY, overrides)
    result = commsim.run(TINY, set=overrides)
    assert_same_as_cli(result, files)
    assert "shocks.1.kind" in result.points.columns


def test_seed_and_replicates_are_respected_and_deterministic():
    a = commsim.run(TINY, seed=99, replicates=5)
    b = commsim.run(TINY, seed=99, replicates=5)
    assert len(a.runs) == 5 and list(a.runs["replicate"]) == [0, 1, 2, 3, 4]
    for t in a.tables():
        pdt.assert_frame_equal(a[t], b[t])
    assert a.texts == b.texts
    other = commsim.run(TINY, seed=100, replicates=5)
    assert set(other.runs["seed"]).isdisjoint(a.runs["seed"])
    assert not other.runs.drop(columns="seed").equals(a.runs.drop(columns="seed"))
    # The first replicates of a longer run are the runs of a shorter one.
    short = commsim.run(TINY, seed=99, replicates=2)
    # (The seed column is uint64 when a seed is above 2^63 - 1, so dtypes may differ.)
    pdt.assert_frame_equal(short.runs, a.runs.iloc[:2], check_dtype=False)
    assert "seed = 99" in a.scenario and "replicates = 5" in a.scenario
    # replicates= applies after set=, as --replicates after --set.
    after = commsim.run(TINY, set={"run.replicates": 9}, replicates=2, seed=99)
    pdt.assert_frame_equal(after.runs, short.runs)


def test_scenario_text_runs_like_its_file():
    from_file = commsim.run(TINY)
    from_text = commsim.run(TINY.read_text())
    assert from_text.texts == from_file.texts
    assert from_text.name == "tiny"
    assert commsim.run(str(TINY)).texts == from_file.texts


def test_out_writes_the_cli_folder(cli, tmp_path):
    files = cli_tables(cli, tmp_path, TINY)
    out = tmp_path / "py-out"
    result = commsim.run(TINY, out=out)
    assert result.out == out
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [f"{t}.csv" for t in files] + ["manifest.json"]
    )
    assert_same_as_cli(result, files)
    import json

    manifest = json.loads((out / "manifest.json").read_text())
    cli_manifest = json.loads((tmp_path / "cli-out" / "manifest.json").read_text())
    for key in ("scenario_sha256", "design_sha256", "resolved_scenario", "outputs", "runs", "master_seed"):
        assert manifest[key] == cli_manifest[key], key
    assert manifest["scenario_file"] == str(TINY)
    # A folder with results is refused as on the command line, and replaced with force.
    with pytest.raises(commsim.InputError, match="already holds results"):
        commsim.run(TINY, out=out)
    again = commsim.run(TINY, out=out, force=True, seed=4)
    assert "seed = 4" in (out / "manifest.json").read_text().replace('\\n', "\n")
    assert not again.runs.equals(result.runs)


def test_a_compressed_run_reads_back_the_same_tables(tmp_path):
    plain = commsim.run(TINY)
    compressed = commsim.run(TINY, set={"output.compress": True}, out=tmp_path / "gz")
    assert (tmp_path / "gz" / "runs.csv.gz").exists()
    assert compressed.texts == plain.texts
    # In memory the texts are plain whatever output.compress says.
    assert commsim.run(TINY, set={"output.compress": True}).texts == plain.texts


def test_record_tables_in_memory_are_the_cli_files_and_add_up_to_runs(cli, tmp_path):
    overrides = {"output.communities": True, "output.territories": True}
    out = tmp_path / "cli-records"
    done = cli("run", TINY_SWEEP, "--out", out, "--quiet", *sets(overrides))
    assert done.returncode == 0, done.stderr
    result = commsim.run(TINY_SWEEP, set=overrides)
    for table in ("communities", "territories"):
        text = (out / f"{table}.csv").read_text()
        assert result.texts[table] == text, f"{table}.csv differs byte for byte"
        pdt.assert_frame_equal(result[table], commsim.read_csv(out / f"{table}.csv"))
        assert table in result.tables()
    runs, communities, territories = result.runs, result.communities, result.territories
    key = ["point", "replicate"]
    assert list(communities.columns[:5]) == key + ["seed"] + list(runs.columns[3:5])
    per_run = communities.groupby(key)
    by_run = runs.set_index(key)
    # Every run's communities: those at month 0, those founded, those alive at the end.
    initial = per_run["initial"].sum()
    alive = per_run["status"].apply(lambda s: (s == "alive").sum())
    founded = per_run.size() - initial
    assert (initial == by_run["communities_start"]).all()
    assert (alive == by_run["communities_end"]).all()
    assert (founded == by_run["formed"]).all()
    assert len(initial) == len(runs) == 8
    # One row per territory of every run: 3 villages, a small town and a city.
    assert (territories.groupby(key).size() == 5).all()
    assert (per_run["seed"].first() == by_run["seed"]).all()
    # Without the keys, no record tables.
    plain = commsim.run(TINY_SWEEP)
    assert plain.communities is None and "communities" not in plain.texts
    with pytest.raises(KeyError, match="did not write communities.csv"):
        plain["communities"]


def test_the_gil_is_released_while_it_runs():
    # A run of a few seconds in a thread; the main thread keeps running Python meanwhile. Were the
    # GIL held, this loop would stand still until the run returned.
    done = {}
    worker = threading.Thread(
        target=lambda: done.setdefault("result", commsim.run(TINY, replicates=60))
    )
    ticks = 0
    worker.start()
    start = time.perf_counter()
    while worker.is_alive():
        ticks += 1
        time.sleep(0.001)
    elapsed = time.perf_counter() - start
    worker.join()
    assert len(done["result"].runs) == 60
    assert elapsed > 0.1, "the run was too short to tell"
    assert ticks > 0.2 * elapsed / 0.001, (ticks, elapsed)


def test_ctrl_c_stops_a_run():
    import _thread

    timer = threading.Timer(0.3, _thread.interrupt_main)
    start = time.perf_counter()
    timer.start()
    with pytest.raises(KeyboardInterrupt):
        # Thousands of runs: minutes, were the interrupt not seen between runs.
        commsim.run(TINY, replicates=20000)
    timer.cancel()
    assert time.perf_counter() - start < 30


def test_warnings_are_python_warnings():
    with pytest.warns(commsim.ScenarioWarning, match="not simulated"):
        result = commsim.run(TINY, set={"shocks.0.start_month": 26})
    assert any("not simulated" in w for w in result.warnings)
