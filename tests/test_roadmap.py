"""Phased roadmaps: parsing, phase-by-phase verdicts, roadmap rules, what-ifs, output."""

from __future__ import annotations

import dataclasses
import json
import textwrap
from pathlib import Path

import pytest

import argmap
from argmap import InputError
from argmap.analysis.whatif import whatif
from argmap.io.changes import parse_changes
from argmap.io.proposals import load_proposal
from cli_runner import run
from helpers import PROPOSALS

BASE = """
title: t
source: s
lead: european
guarantors: [uk, france]
us_role: [backstop]
"""

#: The warnings rules/roadmap.lp derives about a roadmap's sequence (warning/3 ids).
ROADMAP_WARNINGS = ("window(", "blocks_later(", "final_truncated(")


def roadmap_warnings(v: argmap.Verdict) -> list[str]:
    return [w.id for w in v.warnings if w.id.startswith(ROADMAP_WARNINGS)]


def write(tmp_path: Path, phases: str) -> str:
    path = tmp_path / "roadmap.yaml"
    path.write_text(textwrap.dedent(BASE).lstrip("\n") + textwrap.dedent(phases), encoding="utf-8")
    return str(path)


def test_phases_accumulate_changes(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
    phases:
      - name: one
        timing: before_ceasefire
        set: {western_contingent: trainers}
      - name: two
        timing: at_ceasefire
        set: {western_contingent: tripwire}
        add: {us_role: intelligence}
      - name: three
        timing: {after_ceasefire: 3}
        remove: [us_role=backstop]
    """,
    )
    p = app.load(path)
    one, two, three = (dict.fromkeys(ph.settings) for ph in p.phases)
    assert ("western_contingent", "trainers") in one and ("us_role", "backstop") in one
    assert ("western_contingent", "tripwire") in two and ("western_contingent", "trainers") not in two
    assert {("us_role", "backstop"), ("us_role", "intelligence")} <= set(two)
    assert ("us_role", "backstop") not in three and ("us_role", "intelligence") in three
    assert p.settings == p.phases[-1].settings  # the headline is the final phase
    assert [(ph.timing, ph.offset) for ph in p.phases] == [
        ("before_ceasefire", 0),
        ("at_ceasefire", 0),
        ("after_ceasefire", 3),
    ]


@pytest.mark.parametrize(
    ("phases", "key", "suggestion"),
    [
        ("phases: []\n", "phases", None),
        ("phases:\n  - {name: a, timing: at_ceasefire, sett: {}}\n", "phases[1].sett", "set"),
        ("phases:\n  - {name: a, timing: at_cesefire}\n", "phases[1].timing", "at_ceasefire"),
        ("phases:\n  - {name: a, timing: {after_ceasefire: 99}}\n", "phases[1].timing", None),
        (
            "phases:\n  - {name: a, timing: at_ceasefire}\n  - {name: b, timing: before_ceasefire}\n",
            "phases[2].timing",
            None,
        ),
        ("phases:\n  - {name: a, timing: at_ceasefire}\n  - {name: a, timing: at_ceasefire}\n", "phases[2].name", None),
        (
            "phases:\n  - {name: a, timing: at_ceasefire, set: {nato_pth: member}}\n",
            "phases[1].set.nato_pth",
            "nato_path",
        ),
        ("phases:\n  - {name: a, timing: at_ceasefire, remove: [us_role=backstp]}\n", "phases[1].remove", "backstop"),
        ("phases:\n  - {timing: at_ceasefire}\n", "phases[1].name", None),
    ],
    ids=[
        "empty",
        "key-typo",
        "timing-typo",
        "too-many-years",
        "out-of-order",
        "duplicate-name",
        "component-typo",
        "remove-typo",
        "no-name",
    ],
)
def test_bad_phases_are_input_errors(
    app: argmap.Argmap, tmp_path: Path, phases: str, key: str, suggestion: str | None
) -> None:
    path = write(tmp_path, phases)
    with pytest.raises(InputError) as err:
        app.load(path)
    assert err.value.path == path and err.value.line is not None
    assert err.value.key == key
    assert err.value.suggestion == suggestion


def test_a_window_without_guarantees_is_flagged(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
    phases:
      - name: political words only
        timing: at_ceasefire
        set: {us_role: [political_declaration]}
      - name: the real thing
        timing: {after_ceasefire: 2}
        set: {us_role: [backstop], western_contingent: tripwire}
    """,
    )
    v = app.check(app.load(path))
    assert [pv.verdict["credible"].truth for pv in v.phases] == ["none", "all"]
    assert roadmap_warnings(v) == ["window(1)"]
    assert v["credible"].truth == "all"
    [window] = [w for w in v.warnings if w.id == "window(1)"]
    assert (window.basis, window.holds) == ("russia_resumes_war", "all")


def test_a_phase_before_the_ceasefire_is_not_a_window(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
    phases:
      - name: training only
        timing: before_ceasefire
        set: {us_role: [political_declaration], western_contingent: trainers}
      - name: the real thing
        timing: at_ceasefire
        set: {us_role: [backstop], western_contingent: tripwire}
    """,
    )
    v = app.check(app.load(path))
    assert roadmap_warnings(v) == []
    assert "early_start" in [n.id for n in v.notes]
    # The rule audit: an early stage is a stage of a mission ("launch different
    # stages of its mission"), so a phase before the ceasefire that sends nobody
    # is no early start.
    Path(path).write_text(
        Path(path).read_text(encoding="utf-8").replace(", western_contingent: trainers", ""), encoding="utf-8"
    )
    nobody = app.check(app.load(path))
    assert roadmap_warnings(nobody) == []
    assert "early_start" not in [n.id for n in nobody.notes]


def test_the_example_roadmaps(app: argmap.Argmap) -> None:
    good = app.check(app.load(str(PROPOSALS / "roadmap_stages_before_ceasefire.yaml")))
    assert roadmap_warnings(good) == []
    assert {n.id for n in good.notes} == {"early_start", "gradual"}
    bad = app.check(app.load(str(PROPOSALS / "roadmap_neutral_then_nato.yaml")))
    ids = set(roadmap_warnings(bad))
    assert {"window(1)", "window(2)", "blocks_later(1,3)", "final_truncated(south_korea)"} <= ids
    assert [pv.phase.offset for pv in bad.phases] == [0, 2, 10]


def test_the_headline_is_the_final_phase_judged_with_the_whole_roadmap(app: argmap.Argmap) -> None:
    p = app.load(str(PROPOSALS / "roadmap_neutral_then_nato.yaml"))
    v = app.check(p)
    final = app.check(dataclasses.replace(p, phases=()))
    # The verdicts are the final phase's ...
    assert v.outcomes == final.outcomes == v.phases[-1].verdict.outcomes
    # ... and the roadmap adds its warnings about the sequence.
    assert roadmap_warnings(final) == []
    assert set(v.warnings) - set(final.warnings) == {w for w in v.warnings if w.id.startswith(ROADMAP_WARNINGS)}


def test_phases_in_a_knowledge_base_without_roadmaps_are_an_input_error(app: argmap.Argmap, tmp_path: Path) -> None:
    path = write(tmp_path, "phases:\n  - {name: a, timing: at_ceasefire}\n")
    without = dataclasses.replace(app.vocabulary, parts=app.vocabulary.parts - {"roadmap"}, timings={})
    with pytest.raises(InputError, match="defines no roadmap timings") as err:
        load_proposal(path, without)
    assert (err.value.key, err.value.path, err.value.line) == ("phases", path, 7)
    assert "roadmap_timing/2" in str(err.value.expected)


def test_a_whatif_changes_every_phase(app: argmap.Argmap) -> None:
    p = app.load(str(PROPOSALS / "roadmap_neutral_then_nato.yaml"))
    changes = parse_changes(app.vocabulary, sets=("us_role=backstop", "western_contingent=tripwire"))
    result = whatif(app.engine, p, changes)
    assert all(("us_role", "backstop") in pv.phase.settings for pv in result.after.phases)
    assert [w for w in roadmap_warnings(result.before) if w.startswith("window")] == ["window(1)", "window(2)"]
    assert [w for w in roadmap_warnings(result.after) if w.startswith("window")] == []


def test_a_whatif_opens_a_component_in_every_phase(app: argmap.Argmap) -> None:
    p = app.load(str(PROPOSALS / "roadmap_neutral_then_nato.yaml"))
    result = whatif(app.engine, p, parse_changes(app.vocabulary, opens=("western_contingent",)))
    assert result.after.proposal.open == ("western_contingent",)
    for pv in result.after.phases:
        assert "western_contingent" not in {k for k, _ in pv.phase.settings}, pv.phase.name

    # The second phase sent monitors without US involvement; left open, a
    # completion without them escapes that obstacle ...
    def holds(v: argmap.Verdict, basis: str) -> str:
        [r] = [r for r in v.reasons if r.verdict == "feasible_now" and r.basis == basis]
        return r.holds

    before, after = result.before.phases[1].verdict, result.after.phases[1].verdict
    assert holds(before, "us_support_decisive") == "all"
    assert holds(after, "us_support_decisive") == "some"
    # ... but since the loophole audit Ukraine's guarantees-first stance blocks
    # the roadmap's ceasefire-first sequencing in every completion.
    ukraine = [r for r in after.reasons if r.verdict == "feasible_now" and r.text.startswith("Ukraine insists")]
    assert [r.holds for r in ukraine] == ["all"]
    assert before["feasible_now"].truth == after["feasible_now"].truth == "none"
    # With the guarantees first, a completion without a contingent is feasible now.
    first = whatif(
        app.engine,
        p,
        parse_changes(app.vocabulary, sets=("sequencing=guarantees_first",), opens=("western_contingent",)),
    )
    assert first.before.phases[1].verdict["feasible_now"].truth == "none"
    assert first.after.phases[1].verdict["feasible_now"].truth == "some"


def test_json_and_text_show_the_phases() -> None:
    path = str(PROPOSALS / "roadmap_neutral_then_nato.yaml")
    data = json.loads(run("check", "--format", "json", path).stdout)[0]
    assert [ph["name"] for ph in data["phases"]] == [
        "ceasefire with neutrality",
        "European force, Korea-style treaty claimed",
        "NATO membership",
    ]
    assert [(ph["timing"], ph["offset"]) for ph in data["phases"]] == [
        ("at_ceasefire", 0),
        ("after_ceasefire", 2),
        ("after_ceasefire", 10),
    ]
    assert data["phases"][0]["verdicts"]["credible"] is False
    assert {w["id"] for w in data["warnings"]} >= {"window(1)", "blocks_later(1,3)"}
    assert all(w["quote"] for w in data["warnings"])
    text = run("check", path).stdout
    assert "Roadmap (headline verdicts are the final phase's):" in text
    assert "    3. NATO membership  (10 years after the ceasefire)\n" in text


def test_check_jobs_gives_the_same_bytes_as_one_process() -> None:
    one = run("check", "--exit-zero", "--format", "json", str(PROPOSALS))
    two = run("check", "--exit-zero", "--format", "json", "--jobs", "2", str(PROPOSALS))
    assert one.exit_code == two.exit_code == 0
    assert one.stdout == two.stdout


def test_check_jobs_reports_bad_input_with_its_position(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text((PROPOSALS / "guaranteed_guarantees.yaml").read_text(encoding="utf-8"))
    (tmp_path / "b.yaml").write_text("title: t\nsource: s\nguarantor: [uk]\n", encoding="utf-8")
    result = run("check", "--jobs", "2", str(tmp_path))
    assert result.exit_code == 2
    assert f"{tmp_path / 'b.yaml'}:3:1: error: guarantor: unknown key" in result.stderr
