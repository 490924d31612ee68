"""Shared by the tests: the tiny scenarios beside this file, and the `commsim` binary the
package is compared with (COMMSIM_BIN, else the repository's target/release/commsim, else
target/debug/commsim; build it with `cargo build --release`)."""

import os
import subprocess
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TINY = HERE / "tiny.toml"
TINY_SWEEP = HERE / "tiny-sweep.toml"


def _binary():
    if os.environ.get("COMMSIM_BIN"):
        return Path(os.environ["COMMSIM_BIN"])
    for profile in ("release", "debug"):
        candidate = REPO / "target" / profile / "commsim"
        if candidate.exists():
            return candidate
    return None


@pytest.fixture(scope="session")
def cli():
    """Runs the command line: cli(*args) -> CompletedProcess (text, never raising)."""
    binary = _binary()
    if binary is None or not binary.exists():
        pytest.fail(
            "no commsim binary to compare with: build it (cargo build --release) or set COMMSIM_BIN"
        )

    def run(*args, cwd=None):
        return subprocess.run(
            [str(binary), *map(str, args)],
            capture_output=True,
            text=True,
            cwd=cwd,
        )

    return run


def sets(overrides):
    """A dict of overrides as the command line's --set arguments."""
    args = []
    for key, value in overrides.items():
        if isinstance(value, bool):
            value = "true" if value else "false"
        args += ["--set", f"{key}={value}"]
    return args
