"""Scenario files (argmap.scenarios): the YAML format, and one clean error per mistake."""

from __future__ import annotations

import importlib
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import argmap
from argmap.io.scenarios import discover, load_scenarios
from argmap.model.kb import Vocabulary
from argmap.model.proposal import Change
from argmap.model.testing import Case, ReasonPattern
from helpers import PROPOSALS

GG = (PROPOSALS / "guaranteed_guarantees.yaml").as_posix()
ERF = (PROPOSALS / "european_reassurance_force.yaml").as_posix()


def write(folder: Path, text: str, name: str = "cases.yaml") -> Path:
    path = folder / name
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


@pytest.fixture
def cli(app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """`argmap ARGS` in this process, on the session's knowledge base (grounded once)."""
    cli_main = importlib.import_module("argmap.cli.root")
    monkeypatch.setattr(importlib.import_module("argmap.cli.testing"), "open_app", lambda kb=(), layers=(): app)
    return lambda *args: CliRunner().invoke(cli_main.main, list(args))


@pytest.fixture(scope="module")
def voc(app: argmap.Argmap) -> Vocabulary:
    return app.vocabulary


# ---------------------------------------------------------------- a valid file
def test_a_valid_file_gives_its_cases_in_order(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: first
            description: the article's own proposal
            tags: [smoke, credibility]
            proposal: {GG}
            expect:
              credible: true
              risk: low
              precondition_met: all
              truncated: []
              reasons:
                - eu_needs_us
                - {{claim: contingent_needed, verdict: credible, effect: pro}}
              warnings: [russia_objects]
          - name: second
            skip: not written yet
            proposal: {ERF}
            expect: {{credible: false, risk: [high, low], truncated: [south_korea, israel, israel]}}
        """,
    )
    cases = load_scenarios(str(path), voc).cases
    assert [c.name for c in cases] == ["first", "second"]
    first, second = cases
    assert first.id == f"{path}::first"
    assert first.file == str(path)
    assert first.line == 2 and first.expect.line == 7
    assert first.tags == ("smoke", "credibility")
    assert first.description == "the article's own proposal"
    assert first.skip is None and second.skip == "not written yet"
    # Each verdict's expectation is kept in the form its kind takes: a bool at the worst completion,
    # how a bool holds across completions, levels (in the declared order), members (sorted, once each).
    assert first.expect.values == {
        "credible": ("bool", True),
        "risk": ("levels", ("low",)),
        "precondition_met": ("holds", "all"),
        "truncated": ("members", ()),
    }
    assert second.expect.values == {
        "credible": ("bool", False),
        "risk": ("levels", ("low", "high")),
        "truncated": ("members", ("israel", "south_korea")),
    }
    assert first.expect.reasons == (
        ReasonPattern("eu_needs_us"),
        ReasonPattern("contingent_needed", "credible", "pro"),
    )
    assert first.expect.warnings == ("russia_objects",)
    assert first.proposal.id == "guaranteed_guarantees"  # type: ignore[attr-defined]
    assert second.proposal.id == "european_reassurance_force"  # type: ignore[attr-defined]
    assert first.position == (0, None) and second.position == (1, None)


def test_a_proposal_path_is_relative_to_the_scenario_file(tmp_path: Path, voc: Vocabulary) -> None:
    (tmp_path / "props").mkdir()
    (tmp_path / "props" / "mine.yaml").write_bytes(Path(GG).read_bytes())
    (tmp_path / "cases").mkdir()
    path = write(
        tmp_path / "cases",
        """
        scenarios:
          - name: relative
            proposal: ../props/mine.yaml
            expect: {credible: true}
        """,
    )
    (case,) = load_scenarios(str(path), voc).cases
    assert case.proposal.id == "mine"  # type: ignore[attr-defined]


def test_an_inline_proposal_gets_an_id_from_the_case_name(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        """
        scenarios:
          - name: A US-led Treaty!
            proposal:
              title: Inline
              source: Test case.
              lead: us
              us_role: [treaty_ally]
            expect: {credible: true}
        """,
    )
    (case,) = load_scenarios(str(path), voc).cases
    assert case.proposal.id == "inline_a_us_led_treaty"  # type: ignore[attr-defined]
    assert ("lead", "us") in case.proposal.settings  # type: ignore[attr-defined]


def test_variations_are_one_case_each_and_accumulate_changes(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: table
            tags: [whatif]
            skip: the whole table waits
            proposal: {ERF}
            changes: {{set: {{us_role: backstop}}}}
            expect: {{credible: true}}
            variations:
              - name: plain
                expect: {{credible: true}}
              - name: ceasefire first
                tags: [risk]
                skip: this one has its own reason
                changes:
                  set: {{sequencing: ceasefire_first}}
                  reject_claim: [russia_no_veto]
                expect: {{risk: medium}}
        """,
    )
    base, plain, ceasefire = load_scenarios(str(path), voc).cases
    assert [c.id.split("::", 1)[1] for c in (base, plain, ceasefire)] == [
        "table",
        "table::plain",
        "table::ceasefire first",
    ]
    assert ceasefire.name == "table / ceasefire first"
    assert base.changes == plain.changes == (Change("set", "us_role", "backstop"),)
    assert ceasefire.changes == (
        Change("set", "us_role", "backstop"),
        Change("set", "sequencing", "ceasefire_first"),
        Change("reject", "russia_no_veto"),
    )
    assert plain.tags == ("whatif",) and ceasefire.tags == ("whatif", "risk")
    assert plain.skip == "the whole table waits"
    assert ceasefire.skip == "this one has its own reason"
    assert plain.position == (0, 0) and ceasefire.position == (0, 1)
    assert ceasefire.line == 11


def test_a_list_in_set_replaces_then_adds(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: two roles
            proposal: {ERF}
            changes: {{set: {{us_role: [backstop, air_support], air_defence: false}}}}
            expect: {{credible: true}}
        """,
    )
    (case,) = load_scenarios(str(path), voc).cases
    assert case.changes == (
        Change("set", "us_role", "backstop"),
        Change("set", "air_defence", "false"),
        Change("add", "us_role", "air_support"),
    )


def test_discover_finds_yaml_files_in_folders_sorted(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    for name in ("b/z.yaml", "b/y.yml", "a/x.yaml", "a/notes.txt"):
        (tmp_path / name).write_text("scenarios: []\n", encoding="utf-8")
    found = discover([str(tmp_path)])
    assert [Path(p).relative_to(tmp_path).as_posix() for p in found] == ["a/x.yaml", "b/y.yml", "b/z.yaml"]


def test_discover_refuses_a_missing_path(tmp_path: Path) -> None:
    with pytest.raises(argmap.InputError, match="no such file or folder"):
        discover([str(tmp_path / "missing")])


# ---------------------------------------------------------------- errors
# (id, YAML text, line, key, words the message must contain, the did-you-mean or None)
BAD: list[tuple[str, str, int, str, tuple[str, ...], str | None]] = [
    (
        "unknown-top-key",
        """
        scenario:
          - name: a
        """,
        1,
        "scenario",
        ("unknown key in a scenario file",),
        "scenarios",
    ),
    (
        "unknown-case-key",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expct: {{credible: true}}
        """,
        4,
        "expct",
        ("unknown key in a case",),
        "expect",
    ),
    (
        "unknown-variation-key",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            variations:
              - name: b
                chnages: {{set: {{lead: us}}}}
                expect: {{credible: true}}
        """,
        6,
        "chnages",
        ("unknown key in a variation",),
        "changes",
    ),
    (
        "unknown-expect-key",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              credibel: true
        """,
        5,
        "credibel",
        ("unknown key in expect",),
        "credible",
    ),
    (
        "unknown-changes-key",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes:
              sett: {{lead: us}}
            expect: {{credible: true}}
        """,
        5,
        "sett",
        ("unknown key in changes",),
        "set",
    ),
    (
        "unknown-reason-key",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons:
                - {{claim: eu_needs_us, verdikt: credible}}
        """,
        6,
        "verdikt",
        ("unknown key in an expected reason",),
        "verdict",
    ),
    (
        "missing-scenarios",
        """
        scenarios:
        """,
        1,
        "scenarios",
        ("must be a list of cases",),
        None,
    ),
    (
        "missing-name",
        f"""
        scenarios:
          - proposal: {GG}
            expect: {{credible: true}}
        """,
        2,
        "name",
        ("missing required key",),
        None,
    ),
    (
        "missing-proposal",
        """
        scenarios:
          - name: a
            expect: {credible: true}
        """,
        2,
        "proposal",
        ("missing required key",),
        None,
    ),
    (
        "missing-expect",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
        """,
        2,
        "expect",
        ("missing required key", "variations"),
        None,
    ),
    (
        "missing-variation-name",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            variations:
              - expect: {{credible: true}}
        """,
        5,
        "name",
        ("missing required key",),
        None,
    ),
    (
        "variation-without-expect",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            variations:
              - name: b
                changes: {{set: {{lead: us}}}}
        """,
        5,
        "expect",
        ("missing required key",),
        None,
    ),
    (
        "empty-variations",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            variations: []
        """,
        4,
        "variations",
        ("non-empty list",),
        None,
    ),
    (
        "proposal-file-missing",
        """
        scenarios:
          - name: a
            proposal: no_such_proposal.yaml
            expect: {credible: true}
        """,
        3,
        "proposal",
        ("no proposal file no_such_proposal.yaml",),
        None,
    ),
    (
        "proposal-not-text",
        """
        scenarios:
          - name: a
            proposal: 42
            expect: {credible: true}
        """,
        3,
        "proposal",
        ("file path or a mapping",),
        None,
    ),
    (
        "inline-proposal-bad-value",
        """
        scenarios:
          - name: a
            proposal:
              title: Inline
              source: Test case.
              lead: europe
            expect: {credible: true}
        """,
        6,
        "lead",
        ("'europe' is not a value of lead",),
        "european",
    ),
    (
        "inline-proposal-unknown-component",
        """
        scenarios:
          - name: a
            proposal:
              title: Inline
              source: Test case.
              guarantor: [uk]
            expect: {credible: true}
        """,
        6,
        "guarantor",
        ("unknown key",),
        "guarantors",
    ),
    (
        "changes-unknown-component",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{set: {{leed: us}}}}
            expect: {{credible: true}}
        """,
        4,
        "changes.leed",
        ("'leed' is not a component",),
        "lead",
    ),
    (
        "changes-bad-value",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{set: {{lead: usa}}}}
            expect: {{credible: true}}
        """,
        4,
        "changes.lead",
        ("'usa' is not a value of lead",),
        "us",
    ),
    (
        "changes-add-to-a-single-valued-component",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{add: {{lead: us}}}}
            expect: {{credible: true}}
        """,
        4,
        "changes.lead",
        ("takes one value",),
        None,
    ),
    (
        "changes-empty-list",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{set: {{us_role: []}}}}
            expect: {{credible: true}}
        """,
        4,
        "set.us_role",
        ("the list is empty",),
        None,
    ),
    (
        "expect-bad-risk",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{risk: lwo}}
        """,
        4,
        "expect.risk",
        ("'lwo' is not a level of risk", "high, low, medium"),
        "low",
    ),
    (
        "expect-quoted-boolean",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{credible: "true"}}
        """,
        4,
        "expect.credible",
        ("must be true or false",),
        None,
    ),
    (
        "expect-number-for-boolean",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{feasible_now: 1}}
        """,
        4,
        "expect.feasible_now",
        ("must be true or false",),
        None,
    ),
    (
        "expect-unknown-claim",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: [eu_need_us]
        """,
        5,
        "expect.reasons",
        ("'eu_need_us' is not a claim",),
        "eu_needs_us",
    ),
    (
        "expect-reasons-not-a-list",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: eu_needs_us
        """,
        5,
        "expect.reasons",
        ("must be a list",),
        None,
    ),
    (
        "expect-reason-bad-verdict",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: [{{claim: eu_needs_us, verdict: credibility}}]
        """,
        5,
        "expect.reasons.verdict",
        ("'credibility' is not a verdict",),
        "credible",
    ),
    (
        "expect-reason-bad-effect",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: [{{claim: eu_needs_us, effect: cons}}]
        """,
        5,
        "expect.reasons.effect",
        ("'cons' is not an effect",),
        "con",
    ),
    (
        "expect-unknown-model",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              truncated: [south_corea]
        """,
        5,
        "expect.truncated",
        ("'south_corea' is not a member truncated can have", "israel, south_korea"),
        "south_korea",
    ),
    (
        "expect-old-verdict-name",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              meets_precondition: true
        """,
        5,
        "meets_precondition",
        ("unknown key in expect",),
        "precondition_met",
    ),
    (
        "expect-bool-not-a-holds-word",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{credible: sometimes}}
        """,
        4,
        "expect.credible",
        ("must be true or false", "all, some, none"),
        None,
    ),
    (
        "expect-bad-level-in-a-list",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              risk: [low, hihg]
        """,
        5,
        "expect.risk",
        ("'hihg' is not a level of risk",),
        "high",
    ),
    (
        "expect-set-verdict-not-a-list",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              truncated: {{israel: 1}}
        """,
        5,
        "expect.truncated",
        ("must be a word or a list of words",),
        None,
    ),
    (
        "expect-reason-effect-of-another-verdict",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: [{{claim: russia_resumes_war, verdict: risk, effect: pro}}]
        """,
        5,
        "expect.reasons.effect",
        ("'pro' is not an effect of risk", "high, low, medium"),
        None,
    ),
    (
        "expect-reason-member-of-a-set-verdict",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect:
              reasons: [{{claim: eu_needs_us, verdict: truncated, effect: south_corea}}]
        """,
        5,
        "expect.reasons.effect",
        ("'south_corea' is not an effect of truncated",),
        "south_korea",
    ),
    (
        "expect-nothing",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{}}
        """,
        4,
        "expect",
        ("expects nothing",),
        None,
    ),
    (
        "duplicate-case-names",
        f"""
        scenarios:
          - name: same
            proposal: {GG}
            expect: {{credible: true}}
          - name: same
            proposal: {ERF}
            expect: {{credible: false}}
        """,
        5,
        "name",
        ("two cases are named 'same'",),
        None,
    ),
    (
        "duplicate-variation-names",
        f"""
        scenarios:
          - name: table
            proposal: {GG}
            variations:
              - name: row
                expect: {{credible: true}}
              - name: row
                expect: {{credible: true}}
        """,
        2,
        "name",
        ("two cases are named 'table / row'",),
        None,
    ),
    (
        "tags-not-words",
        f"""
        scenarios:
          - name: a
            tags: [true]
            proposal: {GG}
            expect: {{credible: true}}
        """,
        3,
        "tags",
        ("must be a word",),
        None,
    ),
    (
        "empty-warning-id",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{credible: true, warnings: [""]}}
        """,
        4,
        "expect.warnings",
        ("must be a word",),
        None,
    ),
    (
        "absent-reason-typo",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            expect: {{absent: {{reasons: [nato_optimall]}}}}
        """,
        4,
        "expect.absent.reasons",
        ("is not a claim",),
        "nato_optimal",
    ),
    (
        "impossible-as-of-once",
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{as_of: 2025-02-30}}
            expect: {{credible: true}}
        """,
        4,
        "as_of",
        ("day is out of range",),
        None,
    ),
    (
        "duplicate-yaml-key",
        f"""
        scenarios:
          - name: a
            name: b
            proposal: {GG}
            expect: {{credible: true}}
        """,
        3,
        "name",
        ("duplicate key",),
        None,
    ),
]


@pytest.mark.parametrize(("text", "line", "key", "words", "suggestion"), [b[1:] for b in BAD], ids=[b[0] for b in BAD])
def test_a_bad_scenario_file_is_one_located_input_error(
    tmp_path: Path,
    voc: Vocabulary,
    text: str,
    line: int,
    key: str,
    words: tuple[str, ...],
    suggestion: str | None,
) -> None:
    path = write(tmp_path, text)
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    exc = info.value
    assert exc.path == str(path)
    assert exc.line == line, str(exc)
    assert exc.key == key, str(exc)
    for word in words:
        assert word in str(exc)
    assert exc.suggestion == suggestion
    if suggestion:
        assert f"did you mean '{suggestion}'?" in str(exc)
    assert str(exc).startswith(f"{path}:{line}:")


def test_every_error_in_a_scenario_file_is_reported_in_line_order(tmp_path: Path, voc: Vocabulary) -> None:
    """Each case, and each part of a case, is checked on its own: one run names every mistake."""
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: one
            proposal: {{title: t, source: s, lead: europe}}
            expect: {{credibl: true}}
          - name: two
            proposal: {GG}
            changes: {{set: {{us_role: backstp}}}}
            variations:
              - name: a
                expect: {{risk: hgh}}
              - name: b
          - name: fine
            proposal: {GG}
            expect: {{credible: true}}
        """,
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    found = [(e.line, e.key) for e in info.value.errors()]
    assert found == [
        (3, "lead"),
        (4, "credibl"),
        (7, "changes.us_role"),
        (10, "expect.risk"),
        (11, "expect"),
    ], found


@pytest.mark.parametrize(("text", "line"), [(b[1], b[2]) for b in BAD], ids=[b[0] for b in BAD])
def test_argmap_test_on_a_bad_scenario_file_exits_2(
    cli: Callable[..., Result], tmp_path: Path, text: str, line: int
) -> None:
    path = write(tmp_path, text)
    result = cli("test", str(path))
    assert result.exit_code == 2, result.output
    assert isinstance(result.exception, SystemExit)
    assert result.stdout == ""
    assert result.stderr.startswith(f"argmap: {path}:{line}:")
    assert "Traceback" not in result.output


def test_an_empty_file_is_an_input_error(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(tmp_path, "# nothing here\n")
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    assert info.value.path == str(path)


def test_a_proposal_file_is_not_a_scenario_file(voc: Vocabulary) -> None:
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(GG, voc)
    assert info.value.key == "title"
    assert info.value.line == 2
    assert "unknown key in a scenario file" in str(info.value)


def test_a_bad_claim_in_reject_claim_is_located(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes:
              reject_claim: [eu_need_us]
            expect: {{credible: true}}
        """,
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    exc = info.value
    assert exc.path == str(path)
    assert exc.line == 5  # the changes mapping
    assert exc.key is not None and exc.key.startswith("changes")
    assert "'eu_need_us' is not a claim" in str(exc)
    assert exc.suggestion == "eu_needs_us"


@pytest.mark.parametrize(
    ("change", "key"),
    [
        ("reject_claim: [eu_need_us]", "changes.reject_claim"),
        ("stance: {russia.coalition_guarantee: accept}", "changes.stance"),
    ],
    ids=["reject_claim", "stance"],
)
def test_a_bad_change_names_the_yaml_key(tmp_path: Path, voc: Vocabulary, change: str, key: str) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{{change}}}
            expect: {{credible: true}}
        """,
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    assert info.value.key == key


def test_an_impossible_unquoted_date_is_an_input_error(cli: Callable[..., Result], tmp_path: Path) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: a
            proposal: {GG}
            changes: {{as_of: 2025-02-30}}
            expect: {{credible: true}}
        """,
    )
    result = cli("test", str(path))
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"argmap: {path}:4:")


def test_case_ids_use_the_path_as_given(tmp_path: Path, voc: Vocabulary) -> None:
    path = write(
        tmp_path,
        f"""
        scenarios:
          - name: only
            proposal: {GG}
            expect: {{credible: true}}
        """,
    )
    cases: list[Case] = load_scenarios(str(path), voc).cases
    assert [c.id for c in cases] == [f"{path}::only"]


def test_a_bad_proposal_file_named_by_two_cases_is_reported_once(tmp_path: Path, voc: Vocabulary) -> None:
    (tmp_path / "broken.yaml").write_text("title: x\nsource: y\nlead: nobody\nbogus: 1\n", encoding="utf-8")
    path = tmp_path / "cases.yaml"
    path.write_text(
        "scenarios:\n"
        "  - {name: a, proposal: broken.yaml, expect: {credible: true}}\n"
        "  - {name: b, proposal: broken.yaml, expect: {credible: true}}\n",
        encoding="utf-8",
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    found = [(e.path, e.line, e.key) for e in info.value.errors()]
    broken = str(tmp_path / "broken.yaml")
    assert found == [(broken, 3, "lead"), (broken, 4, "bogus")], found


def test_a_misspelt_key_hides_nothing_else_in_its_case_or_file(tmp_path: Path, voc: Vocabulary) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        f"scenarios:\n  - name: a\n    proposl: {GG}\n    expect: {{credibl: true}}\nextra: 1\n",
        encoding="utf-8",
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    found = [(e.line, e.key, e.suggestion) for e in info.value.errors()]
    # no second error saying `proposal` is missing: the did-you-mean says it
    assert found == [(3, "proposl", "proposal"), (4, "credibl", "credible"), (5, "extra", None)], found


def test_an_impossible_date_in_changes_is_one_error_at_its_value(tmp_path: Path, voc: Vocabulary) -> None:
    path = tmp_path / "cases.yaml"
    path.write_text(
        f"scenarios:\n  - name: a\n    proposal: {GG}\n"
        "    changes: {as_of: 2025-02-30}\n    expect: {credible: true}\n",
        encoding="utf-8",
    )
    with pytest.raises(argmap.InputError) as info:
        load_scenarios(str(path), voc)
    assert [(e.line, e.column) for e in info.value.errors()] == [(4, 22)], str(info.value)
