"""`argmap schema`: JSON Schemas generated from the vocabulary, and the committed copies."""

from __future__ import annotations

import datetime
import difflib
import importlib
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result

import argmap
from argmap.analysis.schema import KINDS, dumps, generate, proposal_schema, scenario_schema
from argmap.io import config
from argmap.model.kb import Claim, Component, Timing, Vocabulary
from argmap.model.verdicts import Registry, VerdictSpec
from helpers import PROPOSALS, ROOT, proposal_paths

SCHEMAS = ROOT / "schema"
SCENARIOS = sorted((ROOT / "tests" / "scenarios").glob("*.yaml"))


Run = Callable[..., Result]


@pytest.fixture(scope="module")
def cli(app: argmap.Argmap) -> Iterator[Run]:
    """`argmap ARGS` in this process, as on the command line, except that a run on the shipped
    knowledge base reuses the session's grounded engines instead of grounding its own."""
    cli_main = importlib.import_module("argmap.cli.root")

    def open_app(kb: tuple[str, ...] = (), layers: tuple[str, ...] = ()) -> argmap.Argmap:
        opened = cli_main.open_app(kb, layers)
        if opened.kb.is_shipped and opened.timeout is None:
            opened.__dict__.update(engine=app.engine, traced=app.traced)
        return opened

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(importlib.import_module("argmap.cli.lint"), "open_app", open_app)
        yield lambda *args: CliRunner().invoke(cli_main.main, [str(a) for a in args])


@pytest.fixture(scope="module")
def schema_text(cli: Run) -> Callable[..., str]:
    def text(*args: str) -> str:
        result = cli("schema", *args)
        assert result.exit_code == 0, result.output
        return result.stdout

    return text


@pytest.fixture(scope="module")
def printed(schema_text: Callable[..., str]) -> dict[str, str]:
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


def test_default_kind_is_proposal(schema_text: Callable[..., str], printed: dict[str, str]) -> None:
    assert schema_text() == printed["proposal"]


@pytest.mark.parametrize("kind", KINDS)
def test_printed_schema_is_pretty_sorted_json(printed: dict[str, str], kind: str) -> None:
    data = json.loads(printed[kind])
    assert printed[kind] == json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
    assert data["$schema"] == "https://json-schema.org/draft/2020-12/schema"


def test_output_writes_the_file_and_nothing_else(cli: Run, tmp_path: Path, printed: dict[str, str]) -> None:
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    result = cli("schema", "scenario", "--output", target)
    assert (result.exit_code, result.stdout) == (0, "")
    assert target.read_text(encoding="utf-8") == printed["scenario"]
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left behind


def test_output_into_a_missing_folder_is_bad_input(cli: Run, tmp_path: Path) -> None:
    result = cli("schema", "--output", tmp_path / "nope" / "out.json")
    assert result.exit_code == 2
    assert "error" in result.stderr


def test_proposals_point_at_the_committed_schema() -> None:
    for path in proposal_paths():
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first == "# yaml-language-server: $schema=../schema/proposal.schema.json", path.name
    assert (PROPOSALS.parent / "schema" / "proposal.schema.json").is_file()


# ---------------------------------------------------------------- generated from the vocabulary
COMPONENTS = {
    "lead": Component("lead", "one", "who leads", ("eu", "us")),
    "guarantors": Component("guarantors", "many", "who guarantees", ("uk", "us")),
    "air_defence": Component("air_defence", "flag", "partners protect the sky", ("false", "true")),
}
REGISTRY = Registry(
    (
        VerdictSpec("effective", "bool", "effective", ("true", "false"), ("true",), doc="it works"),
        VerdictSpec("cost", "level", "cost", ("cheap", "dear"), ("cheap",)),
        VerdictSpec("gaps", "set", "gaps", ("funding", "staff"), ()),
    )
)
#: A knowledge base with both optional parts (stances, roadmap) ...
TINY = Vocabulary(
    components=COMPONENTS,
    claims={"c1": Claim("c1", "causal", "", ("q",))},
    registry=REGISTRY,
    bases={"definition": "by definition"},
    actors=("russia", "us"),
    positions={"backing": ("promised", "withheld")},
    snapshots=(20250101,),
    timings={"now": Timing("now", 1), "later": Timing("later", 2, unit="months", max_offset=12)},
    parts=frozenset({"stances", "roadmap"}),
)
#: ... and one with neither.
BARE = Vocabulary(components=COMPONENTS, claims=TINY.claims, registry=REGISTRY)


def test_proposal_schema_follows_the_components() -> None:
    schema = proposal_schema(TINY)
    props = schema["properties"]
    assert schema["required"] == ["source", "title"]
    assert schema["additionalProperties"] is False
    assert set(props) == {
        *("title", "source", "notes", "id", "open", "date", "phases", "lead", "guarantors", "air_defence")
    }
    assert props["lead"] == {"description": "who leads", "enum": ["eu", "us"]}
    assert props["air_defence"] == {"description": "partners protect the sky", "type": "boolean"}
    assert props["guarantors"]["description"] == "who guarantees"
    assert props["guarantors"]["anyOf"] == [
        {"enum": ["uk", "us"]},
        {"type": "array", "items": {"enum": ["uk", "us"]}, "minItems": 1, "uniqueItems": True},
    ]
    # open: a list of components, or a mapping of a component to the values it may take
    as_list, as_mapping = props["open"]["anyOf"]
    assert as_list["items"] == {"enum": ["air_defence", "guarantors", "lead"]}
    assert set(as_mapping["properties"]) == {"air_defence", "guarantors", "lead"}
    assert {"enum": ["uk", "us"]} in as_mapping["properties"]["guarantors"]["anyOf"]
    # a roadmap's timings come from the knowledge base, in time order; a counted one takes a number
    timing = props["phases"]["items"]["properties"]["timing"]["anyOf"]
    assert timing[0] == {"enum": ["now"]}
    assert timing[1]["required"] == ["later"]
    assert timing[1]["properties"]["later"]["maximum"] == 12


def test_date_and_phases_only_with_their_parts() -> None:
    props = proposal_schema(BARE)["properties"]
    assert set(props) == {"title", "source", "notes", "id", "open", "lead", "guarantors", "air_defence"}
    changes = scenario_schema(BARE)["$defs"]["changes"]["properties"]
    assert set(changes) == {"set", "add", "unset", "open", "reject_claim"}


def test_scenario_schema_uses_claims_actors_and_positions() -> None:
    defs = scenario_schema(TINY)["$defs"]
    changes = defs["changes"]["properties"]
    assert changes["reject_claim"]["items"] == {"enum": ["c1"]}
    assert changes["stance"]["patternProperties"] == {r"^(russia|us)\.backing$": {"enum": ["promised", "withheld"]}}
    assert changes["as_of_actor"]["propertyNames"] == {"enum": ["russia", "us"]}
    assert set(changes["add"]["properties"]) == {"guarantors"}  # only list components take --add
    assert "lead=eu" in changes["unset"]["items"]["enum"]
    assert defs["proposal"]["properties"] == proposal_schema(TINY)["properties"]


def test_scenario_expect_follows_the_declared_verdicts() -> None:
    expect = scenario_schema(TINY)["$defs"]["expect"]["properties"]
    assert list(expect) == ["effective", "cost", "gaps", "reasons", "conflicts", "warnings", "notes", "absent"]
    assert expect["effective"]["anyOf"] == [{"type": "boolean"}, {"enum": ["all", "some", "none"]}]
    assert expect["effective"]["description"].startswith("it works (")
    assert expect["cost"]["anyOf"][0] == {"enum": ["cheap", "dear"]}
    assert expect["cost"]["anyOf"][1]["items"] == {"enum": ["cheap", "dear"]}
    assert expect["gaps"]["anyOf"][1] == {"type": "array", "items": {"enum": ["funding", "staff"]}, "uniqueItems": True}
    reason = expect["reasons"]["items"]["anyOf"]
    assert reason[0] == {"enum": ["c1", "definition"]}  # a claim, or a declared non-claim basis
    fields = reason[1]["properties"]
    assert fields["verdict"] == {"enum": ["effective", "cost", "gaps"]}
    assert fields["effect"] == {"enum": sorted({"pro", "con", "cheap", "dear", "funding", "staff"})}


def test_generate_names_the_kind() -> None:
    assert generate("proposal", TINY) == proposal_schema(TINY)
    assert generate("scenario", TINY) == scenario_schema(TINY)


def test_dumps_ends_with_a_newline_and_keeps_unicode() -> None:
    assert dumps({"b": "–", "a": 1}) == '{\n  "a": 1,\n  "b": "–"\n}\n'


# ---------------------------------------------------------------- validating files (if jsonschema is installed)
@pytest.fixture(scope="module")
def validators(printed: dict[str, str]) -> dict[str, Any]:
    """A validator per kind, each schema checked against the metaschema once."""
    return {kind: _validator(json.loads(printed[kind])) for kind in KINDS}


def _validator(schema: dict[str, Any]) -> Any:
    jsonschema = pytest.importorskip("jsonschema")
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _plain(data: Any) -> Any:
    """YAML as an editor reads it (YAML 1.2): an unquoted date is a string, not a date."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items()}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    return data.isoformat() if isinstance(data, datetime.date) else data


def _errors(validator: Any, path: Path) -> list[str]:
    return [e.message for e in validator.iter_errors(_plain(yaml.safe_load(path.read_text("utf-8"))))]


@pytest.mark.parametrize("path", proposal_paths(), ids=lambda p: p.stem)
def test_example_proposal_validates(validators: dict[str, Any], path: Path) -> None:
    assert _errors(validators["proposal"], path) == []


@pytest.mark.parametrize("path", SCENARIOS, ids=lambda p: p.stem)
def test_scenario_file_validates(validators: dict[str, Any], path: Path) -> None:
    assert _errors(validators["scenario"], path) == []


def test_another_knowledge_base_has_its_own_committed_schemas() -> None:
    """examples/federalist10: its schemas are what argmap prints for it, and its files validate against them."""
    folder = ROOT / "examples" / "federalist10"
    app = argmap.Argmap(config=config.load(str(folder / "argmap.toml")))
    schemas = {kind: app.schema(kind) for kind in KINDS}
    for kind, schema in schemas.items():
        assert (folder / "schema" / f"{kind}.schema.json").read_text(encoding="utf-8") == dumps(schema), kind
    assert set(schemas["scenario"]["$defs"]["expect"]["properties"]) == {*app.registry.names, *LISTS}
    assert not set(schemas["scenario"]["$defs"]["expect"]["properties"]) & {"credible", "risk", "truncated"}
    for kind, pattern in (("proposal", "proposals/*.yaml"), ("scenario", "scenarios/*.yaml")):
        validator = _validator(schemas[kind])
        files = sorted(folder.glob(pattern))
        assert files
        for path in files:
            assert _errors(validator, path) == [], path


BASE = {"title": "T", "source": "S"}
LISTS = ("reasons", "conflicts", "warnings", "notes", "absent")


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
        {**BASE, "open": {"us_role": ["nope"]}},
        {**BASE, "id": "Not An Id"},
        {**BASE, "phases": [{"name": "p", "timing": "someday"}]},
        {**BASE, "phases": [{"name": "p", "timing": {"after_ceasefire": -1}}]},
    ],
    ids=[
        "no-source",
        "unknown-key",
        "unknown-value",
        "empty-list",
        "repeated-value",
        "flag-not-bool",
        "open",
        "open-value",
        "id",
        "timing",
        "negative-offset",
    ],
)
def test_proposal_schema_rejects_what_argmap_rejects(validators: dict[str, Any], proposal: dict[str, Any]) -> None:
    assert not validators["proposal"].is_valid(proposal)


def test_proposal_schema_accepts_a_list_or_one_value(validators: dict[str, Any]) -> None:
    validator = validators["proposal"]
    assert validator.is_valid({**BASE, "us_role": "backstop", "open": ["activation"], "notes": "n", "id": "x_1"})
    assert validator.is_valid({**BASE, "us_role": ["backstop", "intelligence"], "air_defence": True})
    assert validator.is_valid({**BASE, "open": {"us_role": ["backstop", "intelligence"], "lead": "all"}})
    assert validator.is_valid({**BASE, "date": "2025-02-28"})
    phases = [
        {"name": "first", "timing": "before_ceasefire", "set": {"lead": "european"}},
        {"name": "then", "timing": {"after_ceasefire": 3}, "add": {"us_role": "backstop"}, "remove": "lead"},
    ]
    assert validator.is_valid({**BASE, "phases": phases})


CASE = {"name": "a case", "proposal": "../proposals/nato_membership.yaml", "expect": {"credible": True}}


@pytest.mark.parametrize(
    ("case", "valid"),
    [
        (CASE, True),
        ({**CASE, "proposal": BASE}, True),
        ({**CASE, "expect": {"reasons": ["eu_needs_us", {"claim": "eu_needs_us", "verdict": "credible"}]}}, True),
        ({**CASE, "expect": {"reasons": [{"claim": "definition", "verdict": "risk", "effect": "high"}]}}, True),
        ({"name": "v", "proposal": BASE, "variations": [{"name": "x", "expect": {"risk": "low"}}]}, True),
        ({**CASE, "expect": {"precondition_met": "some", "risk": ["low", "high"], "truncated": []}}, True),
        ({**CASE, "expect": {"truncated": ["south_korea", "israel"]}}, True),
        ({**CASE, "changes": {"set": {"us_role": ["backstop"], "air_defence": True}, "as_of": "2025-02-28"}}, True),
        ({**CASE, "changes": {"stance": {"russia.coalition_guarantees": "accept"}, "unset": ["lead=us"]}}, True),
        ({"name": "no expect", "proposal": BASE}, False),
        ({**CASE, "expect": {}}, False),
        ({**CASE, "expect": {"risk": "extreme"}}, False),
        ({**CASE, "expect": {"credible": "sometimes"}}, False),
        ({**CASE, "expect": {"meets_precondition": True}}, False),
        ({**CASE, "expect": {"truncated": ["south_corea"]}}, False),
        ({**CASE, "expect": {"reasons": ["not_a_claim"]}}, False),
        ({**CASE, "expect": {"reasons": [{"claim": "eu_needs_us", "effect": "maybe"}]}}, False),
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
        "reason-basis-and-level",
        "variations",
        "holds-levels-and-no-members",
        "members",
        "set-and-date",
        "stance-unset",
        "no-expect",
        "empty-expect",
        "bad-risk",
        "bad-holds",
        "old-verdict-name",
        "bad-member",
        "bad-reason",
        "bad-effect",
        "bad-rejection",
        "add-to-single",
        "bad-position",
        "bad-actor",
        "bad-inline-proposal",
        "unknown-key",
    ],
)
def test_scenario_schema(validators: dict[str, Any], case: dict[str, Any], valid: bool) -> None:
    assert validators["scenario"].is_valid({"scenarios": [case]}) is valid
