"""output.format = "parquet" read by pandas (pyarrow): every table equals the CSV run's, with
the types the writer declares: whole numbers int64 (the seed uint64), reals float64 even where
every value is whole, strings as strings, empty cells as missing."""

import numpy as np
import pandas as pd
import pyarrow.parquet as pq

import commsim
from conftest import TINY_SWEEP, sets

TABLES = ("runs", "summary", "survival", "timeseries", "points", "communities", "territories")
ALL_ON = {"output.timeseries": True, "output.communities": True, "output.territories": True}


def run_cli(cli, out, overrides):
    done = cli("run", TINY_SWEEP, "--out", out, "--quiet", *sets(overrides))
    assert done.returncode == 0, done.stderr


# The pandas dtype of each Parquet type without missing values, and with some.
DTYPES = {
    "int64": ("int64", "float64"),
    "uint64": ("uint64", "float64"),
    "double": ("float64", "float64"),
    "bool": ("bool", "object"),
}


def test_read_parquet_equals_read_csv_of_the_csv_run(cli, tmp_path):
    run_cli(cli, tmp_path / "csv", ALL_ON)
    run_cli(cli, tmp_path / "pq", {**ALL_ON, "output.format": "parquet"})
    assert sorted(p.name for p in (tmp_path / "pq").iterdir()) == sorted(
        [f"{t}.parquet" for t in TABLES] + ["manifest.json"]
    )
    whole_reals = 0
    for table in TABLES:
        path = tmp_path / "pq" / f"{table}.parquet"
        frame = pd.read_parquet(path)
        csv = commsim.read_csv(tmp_path / "csv" / f"{table}.csv")
        assert list(frame.columns) == list(csv.columns), table
        assert len(frame) == len(csv) > 0, table
        schema = pq.read_schema(path)
        for column in frame.columns:
            kind = str(schema.field(column).type)
            got, want = frame[column], csv[column]
            what = f"{table}.{column} ({kind})"
            if kind == "string":
                assert pd.api.types.is_string_dtype(got.dtype), what
                # A text column the CSV reader saw only empty cells of is float64 NaN there.
                csv_text = want.astype(object).where(want.notna(), "").astype(str)
                assert list(got.fillna("")) == list(csv_text), what
                continue
            plain, missing = DTYPES[kind]
            assert str(got.dtype) == (missing if got.isna().any() else plain), what
            assert got.isna().equals(want.isna()), what
            if kind in ("int64", "uint64") and not got.isna().any():
                # Exactly, as integers (a seed above 2^53 is no float).
                assert (got.to_numpy() == want.to_numpy().astype(got.dtype)).all(), what
            elif kind == "bool":
                assert list(got) == list(want), what
            else:
                assert np.array_equal(
                    got.to_numpy(float), want.to_numpy(float), equal_nan=True
                ), what
            if kind == "double" and not got.isna().any() and (got == got.round()).all():
                # Declared real, so float64 however whole the values (the CSV reads as int).
                whole_reals += 1
    assert whole_reals > 10, "reals with whole values stay float64"
    runs = pd.read_parquet(tmp_path / "pq" / "runs.parquet")
    assert str(runs["point"].dtype) == "int64" and str(runs["seed"].dtype) == "uint64"
    assert str(runs["communities_start"].dtype) == "float64"
    assert str(commsim.read_csv(tmp_path / "csv" / "runs.csv")["communities_start"].dtype) == "int64"


def test_the_package_reads_a_parquet_folder_back_as_the_csv_tables(tmp_path):
    plain = commsim.run(TINY_SWEEP, set=ALL_ON)
    written = commsim.run(TINY_SWEEP, set={**ALL_ON, "output.format": "parquet"}, out=tmp_path / "pq")
    assert (tmp_path / "pq" / "runs.parquet").exists()
    assert written.texts == plain.texts
    # In memory the texts are CSV whatever output.format says.
    assert commsim.run(TINY_SWEEP, set={**ALL_ON, "output.format": "parquet"}).texts == plain.texts
