"""--kb, --layer and --timeout may come before the command name or after it, as users type them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import run
from helpers import PROPOSALS, ROOT

FEDERALIST = ROOT / "examples" / "federalist10" / "rules" / "main.lp"
GUARANTEED = PROPOSALS / "guaranteed_guarantees.yaml"


def _claim_ids(*args: str | Path) -> list[str]:
    result = run(*args)
    assert result.exit_code == 0, result.output
    return [claim["id"] for claim in json.loads(result.stdout)]


def test_kb_before_the_command_is_the_same_as_after_it() -> None:
    before = _claim_ids("--kb", FEDERALIST, "claims", "--format", "json")
    after = _claim_ids("claims", "--format", "json", "--kb", FEDERALIST)
    assert before == after
    assert before != _claim_ids("claims", "--format", "json")  # and not the shipped knowledge base's


def test_kb_after_the_command_wins_over_one_before_it() -> None:
    shipped = ROOT / "rules" / "main.lp"
    assert _claim_ids("--kb", FEDERALIST, "claims", "--format", "json", "--kb", shipped) == _claim_ids(
        "claims", "--format", "json"
    )


@pytest.mark.parametrize("where", ["before", "after", "both"])
def test_a_layer_applies_wherever_it_is_given(tmp_path: Path, where: str) -> None:
    """A layer that does not exist is an error wherever it is named: so it was read; a layer after the
    command adds to the layers before it (both), it does not replace them."""
    harmless = tmp_path / "harmless.lp"
    harmless.write_text("% a layer that changes nothing\n", encoding="utf-8")
    missing = tmp_path / "missing.lp"
    args: list[str | Path] = ["check", "--format", "json", GUARANTEED]
    if where == "before":
        args = ["--layer", missing, *args]
    elif where == "after":
        args = [*args, "--layer", missing]
    else:
        args = ["--layer", missing, *args, "--layer", harmless]
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "missing.lp" in result.stderr and "no such rule file" in result.stderr
    assert run("--layer", harmless, "check", GUARANTEED).stdout == run("check", GUARANTEED).stdout


def test_an_option_before_the_command_is_in_the_root_help() -> None:
    result = run("--help")
    assert result.exit_code == 0
    for option in ("--kb FILE", "--layer FILE", "--timeout SECONDS"):
        assert option in result.stdout


@pytest.mark.parametrize("args", [["--timeout", "-1", "check"], ["--bogus", "check"], ["--kb"]])
def test_a_bad_option_before_the_command_reads_as_every_argmap_error(args: list[str]) -> None:
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert "argmap: error: " in result.stderr and "Error:" not in result.stderr.replace("argmap: error:", "")


def test_an_empty_output_file_name_is_named_as_such() -> None:
    result = run("schema", "proposal", "-o", "")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("argmap: error: --output: an empty file name"), result.stderr


@pytest.mark.parametrize("command", [["kb-path"], ["init", "{tmp}/new"]])
def test_a_knowledge_base_option_for_a_command_that_reads_none_is_refused(tmp_path: Path, command: list[str]) -> None:
    args = [a.replace("{tmp}", str(tmp_path)) for a in command]
    result = run("--kb", FEDERALIST, *args)
    assert result.exit_code == 2, result.output
    assert f"--kb: `argmap {command[0]}` reads no knowledge base" in result.stderr
    assert not (tmp_path / "new").exists()


def test_unknown_keys_without_a_project_config_get_a_note_on_which_knowledge_base_read_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = ROOT / "examples" / "federalist10" / "proposals" / "small_republic.yaml"
    (tmp_path / "p.yaml").write_bytes(other.read_bytes())
    monkeypatch.chdir(tmp_path)
    result = run("check", "p.yaml")
    assert result.exit_code == 2, result.output
    assert "unknown key" in result.stderr and "no argmap.toml was found from this folder up" in result.stderr
    result = run("check", "--kb", FEDERALIST, "p.yaml")  # read against its own knowledge base: no note
    assert "argmap.toml" not in result.stderr
