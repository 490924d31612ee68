"""Errors are Python exceptions carrying the command line's message (its stderr after
`error: `): file, line, key and what is allowed."""

import pytest

import commsim
from conftest import TINY, TINY_SWEEP, sets


def cli_error(cli, *args):
    done = cli("run", *args, "--quiet", "--out", "never-written")
    assert done.returncode == 2, (done.returncode, done.stderr)
    assert done.stderr.startswith("error: "), done.stderr
    return done.stderr[len("error: ") :].rstrip("\n")


def python_error(scenario, **kwargs):
    with pytest.raises(commsim.InputError) as caught:
        commsim.run(scenario, **kwargs)
    assert isinstance(caught.value, ValueError)
    return str(caught.value)


def test_a_bad_value_in_the_file_names_file_line_and_key(cli, tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\n\n[run]\nmonths = "many"\n')
    message = python_error(bad)
    assert message == cli_error(cli, bad)
    assert message.startswith(f"{bad}:4:")
    assert "key `run.months`" in message and "whole number" in message


def test_an_unknown_key_in_the_file(cli, tmp_path):
    bad = tmp_path / "typo.toml"
    bad.write_text("[grants]\nbudgit = 3.0\n")
    message = python_error(bad)
    assert message == cli_error(cli, bad)
    assert "grants.budgit" in message and "grants.budget" in message


def test_bad_overrides_fail_as_set_does(cli, tmp_path):
    for overrides in (
        {"community.recognition": 2},
        {"run.monts": 3},
        {"shocks.3.severity": 0.5},
        {"community.type_mix.civic": 0.9},
        {"shocks.0.kind": "meteor"},
    ):
        message = python_error(TINY, set=overrides)
        assert message == cli_error(cli, TINY, *sets(overrides)), overrides
        assert message.startswith("--set `"), message


def test_a_set_of_a_swept_key_is_refused_as_on_the_cli(cli):
    overrides = {"administration.head_turnover": 0.5}
    message = python_error(TINY_SWEEP, set=overrides)
    assert message == cli_error(cli, TINY_SWEEP, *sets(overrides))
    assert "the sweep varies `administration.head_turnover`" in message


def test_a_missing_file(cli, tmp_path):
    missing = tmp_path / "nowhere.toml"
    message = python_error(missing)
    assert message == cli_error(cli, missing)
    assert message.startswith(f"cannot read scenario {missing}")


def test_bad_toml_text_names_string():
    message = python_error("[run]\nmonths = 12\nmonths = 13\n")
    assert message.startswith("<string>:3:")


def test_replicates_and_seed_are_checked_against_the_registry(cli):
    message = python_error(TINY, replicates=0)
    assert message.startswith("replicates=0: key `run.replicates`: ")
    cli_message = cli_error(cli, TINY, "--replicates", "0")
    # The same check and allowed range as --replicates, named as the argument it came from.
    assert message.split(": ", 2)[2] == cli_message.split(": ", 2)[2]
    assert python_error(TINY, replicates=-1).startswith("replicates=-1: key `run.replicates`")
    assert "seed=" in python_error(TINY, seed=2**64)


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError):
        commsim.run(TINY, set={"community.recognition": object()})
    with pytest.raises(TypeError):
        commsim.run(TINY, replicates=2.5)
    with pytest.raises(TypeError):
        commsim.run(TINY, set="community.recognition=0.2")
    with pytest.raises(TypeError):
        commsim.run(42)


def test_an_output_folder_that_cannot_be_one(cli, tmp_path):
    target = tmp_path / "file"
    target.write_text("not a folder")
    for out in (target, target / "below"):
        message = python_error(TINY, out=out)
        assert message.startswith(f"out={out}: ")
        # The command line's reason and what it allows, after its own `--out DIR: `.
        assert message.split(": ", 1)[1] == cli_error_out(cli, out).split(": ", 1)[1]
    assert target.read_text() == "not a folder"


def cli_error_out(cli, out):
    done = cli("run", TINY, "--quiet", "--out", out)
    assert done.returncode == 2, done.stderr
    return done.stderr[len("error: ") :].rstrip("\n")
