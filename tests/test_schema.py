"""`argmap schema`: JSON Schemas generated from the vocabulary, and the committed copies."""

from __future__ import annotations

import difflib
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from argmap.cli import main
from argmap.engine import Vocabulary
from argmap.model import Claim, Component
from argmap.schema import KINDS, dumps, proposal_schema, scenario_schema
from helpers import PROPOSALS, ROOT, proposal_paths

SCHEMAS = ROOT / "schema"
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))


def schema_text(*args: str) -> str:
    result = CliRunner().invoke(main, ["schema", *args])
    assert result.exit_code == 0, result.output
    return result.stdout


@pytest.fixture(scope="module")
def printed() -> dict[str, str]:
    return {kind: schema_text(kind) for kind in KINDS}


# ---------------------------------------------------------------- the committed files
@pytest.mark.parametrize("kind", KINDS)
def test_committed_schema_is_what_argmap_prints(printed: dict[str, str], kind: str) -> None:
    committed = (SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8")
    if committed != printed[kind]:
        diff = difflib.unified_diff(
            committed.splitlines(), printed[kind].splitlines(), "committed", "printed", n=1, lineterm=""
        )
        pytest.fail(
            f"schema/{kind}.schema.json is stale; run `argmap schema {kind} -o schema/{kind}.schema.json`:\n"
            + "\n".join(list(diff)[:30])
        )


def test_default_kind_is_proposal(printed: dict[str, str]) -> None:
    assert schema_text() == printed["proposal"]


@pytest.mark.parametrize("kind", KINDS)
def test_printed_schema_is_pretty_sorted_json(printed: dict[str, str], kind: str) -> None:
    data = json.loads(printed[kind])
    assert printed[kind] == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_output_writes_the_file_and_nothing_else(tmp_path: Path, printed: dict[str, str]) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    result = CliRunner().invoke(main, ["schema", "scenario", "--output", str(target)])
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == printed["scenario"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_output_into_a_missing_folder_is_bad_input(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["schema", "--output", str(tmp_path / "nope" / "out.json")])
    assert result.exit_code == 2
    assert "error" in result.stderr


def test_proposals_point_at_the_committed_schema() -> None:
    for path in proposal_paths():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/proposal.schema.json", path.name
    assert (PROPOSALS.parent / "schema" / "proposal.schema.json").is_file()


# ---------------------------------------------------------------- generated from the vocabulary
TINY = Vocabulary(
    components={
        "lead": Component("lead", "one", "who leads", ("eu", "us")),
        "guarantors": Component("guarantors", "many", "who guarantees", ("uk", "us")),
        "air_defence": Component("air_defence", "flag", "partners protect the sky", ("false", "true")),
    },
    claims={"c1": Claim("c1", "causal", "", ("q",))},
    actors=("russia", "us"),
    positions={"backing": ("promised", "withheld")},
)


def test_proposal_schema_follows_the_components() -> None:
    schema = proposal_schema(TINY)
    props = schema["properties"]
    assert schema["required"] == ["source", "title"]
    assert schema["additionalProperties"] is False
    assert set(props) == {"title", "source", "notes", "id", "open", "phases", "lead", "guarantors", "air_defence"}
    assert props["lead"] == {"description": "who leads", "enum": ["eu", "us"]}
    assert props["air_defence"] == {"description": "partners protect the sky", "type": "boolean"}
    assert props["guarantors"]["description"] == "who guarantees"
    assert props["guarantors"]["anyOf"] == [
        {"enum": ["uk", "us"]},
        {"type": "array", "items": {"enum": ["uk", "us"]}, "minItems": 1, "uniqueItems": True},
    ]
    assert props["open"]["items"] == {"enum": ["air_defence", "guarantors", "lead"]}


def test_scenario_schema_uses_claims_actors_and_positions() -> None:
    defs = scenario_schema(TINY)["$defs"]
    changes = defs["changes"]["properties"]
    assert changes["reject_claim"]["items"] == {"enum": ["c1"]}
    assert changes["stance"]["patternProperties"] == {r"^(russia|us)\.backing$": {"enum": ["promised", "withheld"]}}
    assert set(changes["add"]["properties"]) == {"guarantors"}  # only list components take --add
    assert "lead=eu" in changes["unset"]["items"]["enum"]
    assert defs["proposal"]["properties"] == proposal_schema(TINY)["properties"]


def test_dumps_ends_with_a_newline_and_keeps_unicode() -> None:
    assert dumps({"b": "–", "a": 1}) == '{\n  "a": 1,\n  "b": "–"\n}\n'


# ---------------------------------------------------------------- validating files (if jsonschema is installed)
def _validator(printed: dict[str, str], kind: str) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    schema = json.loads(printed[kind])
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


@pytest.mark.parametrize("path", proposal_paths(), ids=lambda p: p.stem)
def test_example_proposal_validates(printed: dict[str, str], path: Path) -> None:
    errors = [e.message for e in _validator(printed, "proposal").iter_errors(yaml.safe_load(path.read_text("utf-8")))]
    assert errors == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_file_validates(printed: dict[str, str], path: Path) -> None:
    errors = [e.message for e in _validator(printed, "scenario").iter_errors(yaml.safe_load(path.read_text("utf-8")))]
    assert errors == []


BASE = {"title": "T", "source": "S"}


@pytest.mark.parametrize(
    "proposal",
    [
        {"title": "T"},
        {**BASE, "guarantor": ["uk"]},
        {**BASE, "lead": "europe"},
        {**BASE, "us_role": []},
        {**BASE, "us_role": ["backstop", "backstop"]},
        {**BASE, "air_defence": "yes"},
        {**BASE, "open": ["nope"]},
        {**BASE, "id": "Not An Id"},
    ],
    ids=["no-source", "unknown-key", "unknown-value", "empty-list", "repeated-value", "flag-not-bool", "open", "id"],
)
def test_proposal_schema_rejects_what_argmap_rejects(printed: dict[str, str], proposal: dict[str, Any]) -> None:
    assert not _validator(printed, "proposal").is_valid(proposal)


def test_proposal_schema_accepts_a_list_or_one_value(printed: dict[str, str]) -> None:
    validator = _validator(printed, "proposal")
    assert validator.is_valid({**BASE, "us_role": "backstop", "open": ["activation"], "notes": "n", "id": "x_1"})
    assert validator.is_valid({**BASE, "us_role": ["backstop", "intelligence"], "air_defence": True})


CASE = {"name": "a case", "proposal": "../proposals/nato_membership.yaml", "expect": {"credible": True}}


@pytest.mark.parametrize(
    ("case", "valid"),
    [
        (CASE, True),
        ({**CASE, "proposal": BASE}, True),
        ({**CASE, "expect": {"reasons": ["eu_needs_us", {"claim": "eu_needs_us", "verdict": "credible"}]}}, True),
        ({"name": "v", "proposal": BASE, "variations": [{"name": "x", "expect": {"risk": "low"}}]}, True),
        ({**CASE, "changes": {"set": {"us_role": ["backstop"], "air_defence": True}, "as_of": "2025-02-28"}}, True),
        ({**CASE, "changes": {"stance": {"russia.coalition_guarantees": "accept"}, "unset": ["lead=us"]}}, True),
        ({"name": "no expect", "proposal": BASE}, False),
        ({**CASE, "expect": {}}, False),
        ({**CASE, "expect": {"risk": "extreme"}}, False),
        ({**CASE, "expect": {"reasons": ["not_a_claim"]}}, False),
        ({**CASE, "changes": {"reject_claim": ["not_a_claim"]}}, False),
        ({**CASE, "changes": {"add": {"lead": "us"}}}, False),
        ({**CASE, "changes": {"stance": {"russia.coalition_guarantees": "maybe"}}}, False),
        ({**CASE, "changes": {"as_of_actor": {"martians": "2025-02-28"}}}, False),
        ({**CASE, "proposal": {**BASE, "lead": "europe"}}, False),
        ({**CASE, "surprise": 1}, False),
    ],
    ids=[
        "path",
        "inline",
        "reasons",
        "variations",
        "set-and-date",
        "stance-unset",
        "no-expect",
        "empty-expect",
        "bad-risk",
        "bad-reason",
        "bad-rejection",
        "add-to-single",
        "bad-position",
        "bad-actor",
        "bad-inline-proposal",
        "unknown-key",
    ],
)
def test_scenario_schema(printed: dict[str, str], case: dict[str, Any], valid: bool) -> None:
    assert _validator(printed, "scenario").is_valid({"scenarios": [case]}) is valid
