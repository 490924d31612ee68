"""commsim from Python: run a scenario and get its outputs as pandas DataFrames.

    import commsim
    result = commsim.run("scenarios/pandemic-2020.toml", set={"region.villages": 3},
                         replicates=8, seed=1)
    result.runs        # runs.csv: one row per run
    result.summary     # summary.csv: per design point and outcome, mean, sd, interval, quantiles
    commsim.run("scenarios/pandemic-2020.toml", set={"output.communities": True}).communities
                       # communities.csv: one row per community of every run
    commsim.params()   # every registry key: key, kind, default, range, unit, description

The runs are those of ``commsim run``: the same library code reads the scenario and its
overrides, plans and simulates the runs, and writes their rows. Without ``out=`` nothing is
written to disk: the rows go to memory as the very CSV text the files would hold (byte for byte,
uncompressed), which pandas then parses (``read_csv``), so every DataFrame has the columns and
values of the file ``commsim run`` writes for the same scenario and seed. The simulation runs
with the GIL released, on every core (set ``RAYON_NUM_THREADS`` before the first run for
fewer); the results do not depend on the number of threads.
"""

from __future__ import annotations

import io
import json
import math
import numbers
import os
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, Mapping, Optional, Union

import pandas as pd

from . import _native
from ._native import InputError, RunError

__all__ = [
    "run",
    "params",
    "read_csv",
    "RunResult",
    "InputError",
    "RunError",
    "ScenarioWarning",
    "__version__",
]

__version__ = _native.version()

#: The CSV files of a run, in the order ``commsim run`` writes them.
TABLES = ("runs", "summary", "survival", "timeseries", "points", "communities", "territories")


class ScenarioWarning(UserWarning):
    """What ``commsim run`` prints as ``warning: ...``: allowed, but worth knowing (a shock
    that runs past the end of the run, a Sobol sample that is not a power of 2)."""


# pandas 3 reads every float exactly by default (and deprecates float_precision); before it,
# round_trip is the exact parser.
_EXACT = {} if int(pd.__version__.split(".")[0]) >= 3 else {"float_precision": "round_trip"}


def read_csv(source: Union[str, os.PathLike, io.StringIO]) -> pd.DataFrame:
    """Reads a CSV file of commsim (a path, or a text buffer) as ``run`` reads its tables:
    ``pandas.read_csv`` with its exact float parser (``float_precision="round_trip"`` before
    pandas 3, the default since), so that every number is the float commsim wrote (it writes
    the shortest decimal that reads back to it)."""
    return pd.read_csv(source, **_EXACT)


@dataclass(frozen=True)
class RunResult:
    """The outputs of a run: one DataFrame per CSV file ``commsim run`` writes.

    ``runs`` is always there; ``summary``, ``survival`` and ``points`` unless the scenario's
    ``output.*`` keys turn them off (then ``None``); ``timeseries`` only with
    ``output.timeseries = true``; ``communities`` and ``territories`` (one row per community,
    and per territory, of every run) only with ``output.communities = true`` and
    ``output.territories = true``. ``texts`` holds the CSV text of each table, byte for byte
    the file's; ``scenario`` the resolved scenario as TOML (what ``commsim check`` prints and
    manifest.json records); ``out`` the output folder when ``run(out=...)`` wrote one.
    ``result["runs"]`` is ``result.runs``.
    """

    runs: pd.DataFrame
    summary: Optional[pd.DataFrame]
    survival: Optional[pd.DataFrame]
    timeseries: Optional[pd.DataFrame]
    points: Optional[pd.DataFrame]
    name: str
    scenario: str
    texts: Dict[str, str] = field(repr=False)
    warnings: tuple = ()
    out: Optional[Path] = None
    communities: Optional[pd.DataFrame] = None
    territories: Optional[pd.DataFrame] = None

    def __getitem__(self, table: str) -> pd.DataFrame:
        if table not in TABLES:
            raise KeyError(f"{table!r}: allowed: {', '.join(TABLES)}")
        frame = getattr(self, table)
        if frame is None:
            raise KeyError(f"{table!r}: this run did not write {table}.csv (its output.* keys)")
        return frame

    def tables(self) -> Dict[str, pd.DataFrame]:
        """The tables the run wrote, by name (``runs``, ``summary``, ...)."""
        return {t: getattr(self, t) for t in TABLES if getattr(self, t) is not None}


def _is_file(scenario: Union[str, os.PathLike]) -> bool:
    """Whether ``run``'s ``scenario`` names a file rather than holding TOML text."""
    if isinstance(scenario, os.PathLike):
        return True
    if not isinstance(scenario, str):
        raise TypeError(
            f"scenario: expected a path or TOML text, got {type(scenario).__name__}"
        )
    if "\n" in scenario:
        return False
    return os.path.exists(scenario) or scenario.endswith(".toml")


def _toml_value(value: Any, key: str) -> str:
    """One ``set=`` value as the text after ``=`` of ``--set KEY=VALUE``."""
    if isinstance(value, str):
        return value
    # numpy's scalars too (an EMA workbench's samples are np.float64 and np.int64).
    if isinstance(value, bool) or getattr(getattr(value, "dtype", None), "kind", None) == "b":
        return "true" if value else "false"
    if isinstance(value, numbers.Integral):
        return str(int(value))
    if isinstance(value, numbers.Real):
        x = float(value)
        if not math.isfinite(x):
            # What TOML calls them, so that the range check names the key.
            return "nan" if math.isnan(x) else ("inf" if x > 0 else "-inf")
        return repr(x)
    if isinstance(value, (list, tuple)):
        items = [
            json.dumps(v) if isinstance(v, str) else _toml_value(v, key) for v in value
        ]
        return "[" + ", ".join(items) + "]"
    raise TypeError(
        f"set[{key!r}]: expected a number, bool, string or list, got {type(value).__name__}"
    )


def _set_texts(overrides: Union[Mapping[str, Any], Iterable[str], None]) -> list:
    """``set=`` as the ``KEY=VALUE`` texts of ``--set``, in order."""
    if overrides is None:
        return []
    if isinstance(overrides, Mapping):
        return [f"{key}={_toml_value(value, key)}" for key, value in overrides.items()]
    if isinstance(overrides, str):
        raise TypeError('set: expected a dict {key: value} or a list of "KEY=VALUE" texts')
    texts = list(overrides)
    for text in texts:
        if not isinstance(text, str):
            raise TypeError(f'set: expected "KEY=VALUE" texts, got {type(text).__name__}')
    return texts


def _whole(name: str, value: Optional[int]) -> Optional[int]:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name}: expected a whole number, got {type(value).__name__}")
    return int(value)


def run(
    scenario: Union[str, os.PathLike],
    set: Union[Mapping[str, Any], Iterable[str], None] = None,  # noqa: A002 (the CLI's --set)
    replicates: Optional[int] = None,
    seed: Optional[int] = None,
    out: Union[str, os.PathLike, None] = None,
    force: bool = False,
) -> RunResult:
    """Runs a scenario as ``commsim run`` does and returns its outputs as DataFrames.

    scenario
        A scenario file (a ``pathlib.Path``, or a ``str`` that names an existing file or ends
        in ``.toml``), or else the scenario's TOML text itself; errors in text name
        ``<string>``, and a ``run.reference`` or ``sweep.file`` in it is read relative to the
        working folder.
    set
        Overrides, exactly ``--set KEY=VALUE``: a dict ``{key: value}`` applied in its order (a
        str value is the text after ``=`` as typed on the command line, so ``"economic"`` and
        ``"0.5"`` mean what they mean there; bools, numbers and lists are written as TOML), or
        a list of ``"KEY=VALUE"`` texts. Any registry key (``commsim.params()``) or shock field
        (``shocks.0.severity``; ``shocks.N`` one past the last adds a shock). The whole scenario
        is validated once after the last.
    replicates, seed
        ``--replicates`` and ``--seed``: set ``run.replicates`` and ``run.seed`` after ``set``.
    out
        An output folder to write, as ``commsim run --out OUT`` (runs.csv, summary.csv, ...,
        manifest.json); the DataFrames are then read back from its files. None (the default)
        writes nothing.
    force
        ``--force``: replace results already in ``out``.

    Raises ``InputError`` (a ``ValueError``) for bad input, with the message the command line
    prints after ``error:`` (file, line, key, what is allowed), ``RunError`` for any other
    failure, and ``KeyboardInterrupt`` on Ctrl-C (between runs). Warnings are issued as
    ``ScenarioWarning``.
    """
    texts = _set_texts(set)
    replicates = _whole("replicates", replicates)
    seed = _whole("seed", seed)
    if _is_file(scenario):
        source = {"file": os.fspath(scenario)}
    else:
        source = {"text": scenario}
    raw = _native.run(
        **source,
        sets=texts,
        replicates=replicates,
        seed=seed,
        out=None if out is None else os.fspath(out),
        force=bool(force),
    )
    for message in raw["warnings"]:
        warnings.warn(message, ScenarioWarning, stacklevel=2)
    tables = {t: raw[t] for t in TABLES if raw.get(t) is not None}
    frames = {t: read_csv(io.StringIO(text)) for t, text in tables.items()}
    return RunResult(
        runs=frames["runs"],
        summary=frames.get("summary"),
        survival=frames.get("survival"),
        timeseries=frames.get("timeseries"),
        points=frames.get("points"),
        communities=frames.get("communities"),
        territories=frames.get("territories"),
        name=raw["name"],
        scenario=raw["resolved"],
        texts=tables,
        warnings=tuple(raw["warnings"]),
        out=None if out is None else Path(out),
    )


def params() -> pd.DataFrame:
    """The parameter registry: one row per scalar scenario key, in registry order.

    Columns: ``key``; ``kind`` (real, whole, flag, text, list); ``default`` and ``range`` as
    ``commsim params`` prints them (TOML values; ``[min, max]``); ``min`` and ``max`` as numbers
    (NaN for flags, text and lists); ``unit``; ``factors`` (the report's factor IDs, such as
    ``L1 C7`` for lever L1); ``description``. The ``[[shocks]]`` fields (``shocks.N.severity``,
    ...) and ``[sweep]`` settings, which ``commsim params`` lists after the registry, are no
    registry keys and are not rows here.
    """
    return pd.DataFrame(_native.params())
