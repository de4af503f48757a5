"""The engine: one ground program, many questions, no state carried between them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import argmap
from argmap import World
from helpers import PROPOSALS, RULES, proposal_paths

IDS = [p.stem for p in proposal_paths()]
OPEN = {"taiwan_style_law"}  # proposals that leave an aspect open


def _bases(v: argmap.Verdict, verdict: str | None = None, effect: str | None = None) -> set[str]:
    return {
        r.basis
        for r in v.reasons
        if (verdict is None or r.verdict == verdict) and (effect is None or r.effect == effect)
    }


# ---------------------------------------------------------------- no state leaks
@pytest.mark.parametrize("pid", IDS)
def test_same_verdict_whatever_was_asked_before(pid: str) -> None:
    # A fresh knowledge base, so that the sequence of solves is the same on every run.
    app = argmap.Argmap()
    every = app.load_all([str(PROPOSALS)])
    proposal = next(p for p in every if p.id == pid)
    first = app.check(proposal)
    again = app.check(proposal)
    for p in every:
        app.check(p)
    after_all = app.check(proposal)
    for p in reversed(every):
        app.check(p, World(rejected=("eu_needs_us",)))
    after_what_ifs = app.check(proposal)
    assert first == again == after_all == after_what_ifs


@pytest.mark.parametrize("pid", IDS)
def test_same_findings_whatever_was_asked_before(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], pid: str
) -> None:
    # The module's knowledge base has answered many questions already; a fresh one agrees with it.
    first = app.check(proposals[pid])
    for other in reversed(list(proposals.values())):
        app.check(other, World(as_of=20250228))
    assert app.check(proposals[pid]) == first
    assert argmap.Argmap().check(proposals[pid]) == first


def test_what_if_does_not_stick(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    before = app.check(p)
    app.check(p, World(rejected=("eu_needs_us", "guaranteed_guarantees"), as_of=20250228))
    assert app.check(p) == before


def test_tracing_does_not_change_verdicts(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    traced = argmap.Argmap(trace=True)
    for pid, p in proposals.items():
        assert traced.check(p) == app.check(p), pid


# ---------------------------------------------------------------- what-ifs
def test_rejecting_eu_needs_us(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    before = app.check(p)
    after = app.check(p, World(rejected=("eu_needs_us",)))
    assert "eu_needs_us" in _bases(before, "credible", "con")
    assert "eu_needs_us" not in _bases(after)
    # Only that reason goes: the rest of the case against credibility stands.
    assert _bases(after, "credible", "con") == _bases(before, "credible", "con") - {"eu_needs_us"}
    assert "guaranteed_guarantees" in _bases(after, "credible", "con")
    assert after.credible == before.credible == "none"


def test_rejecting_both_us_claims_makes_european_force_credible(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["european_reassurance_force"]
    after = app.check(p, World(rejected=("eu_needs_us", "guaranteed_guarantees")))
    assert after.credible == "all"
    assert not _bases(after, "credible", "con")


def test_as_of_oval_office_makes_us_backstop_infeasible(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["us_air_intel_backstop"]
    assert app.check(p).feasible_now == "all"
    then = app.check(p, World(as_of=20250228))
    assert then.feasible_now == "none"
    us_obstacles = {r.basis for r in then.reasons if r.verdict == "feasible_now" and r.actor == "us"}
    assert us_obstacles & {"new_president_no_boost", "oval_office_clash"}
    # Russia's stance dates from August 2025, so in February it is not on record.
    assert "russia_objects" not in {w.id for w in then.warnings}


def test_as_of_one_actor_only(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["us_air_intel_backstop"]
    then = app.check(p, World(actor_as_of=(("us", 20250228),)))
    assert then.feasible_now == "none"
    assert "new_president_no_boost" in _bases(then, "feasible_now")
    assert "russia_objects" in {w.id for w in then.warnings}  # Russia is still read today


def test_as_of_the_latest_date_is_the_baseline(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    latest = max(app.engine.vocabulary.snapshots)
    for p in proposals.values():
        assert app.check(p, World(as_of=latest)) == app.check(p)


def test_assumed_russian_acceptance_removes_the_warning(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["guaranteed_guarantees"]
    assert "russia_objects" in {w.id for w in app.check(p).warnings}
    after = app.check(p, World(stances=(("russia", "coalition_guarantees", "accept"),)))
    assert "russia_objects" not in {w.id for w in after.warnings}
    assert after.credible == "all"


@pytest.mark.parametrize(
    ("world", "fragment"),
    [
        (World(as_of=20250101), "as_of(20250101)"),
        (World(rejected=("no_such_claim",)), "rejected(no_such_claim)"),
        (
            World(stances=(("russia", "coalition_guarantees", "maybe"),)),
            "assume_stance(russia,coalition_guarantees,maybe)",
        ),
        (World(actor_as_of=(("atlantis", 20250228),)), "as_of(atlantis,20250228)"),
    ],
    ids=["date_not_on_record", "unknown_claim", "unknown_position", "unknown_actor"],
)
def test_bad_what_if_is_an_input_error(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], world: World, fragment: str
) -> None:
    with pytest.raises(argmap.InputError) as info:
        app.check(proposals["guaranteed_guarantees"], world)
    assert fragment in str(info.value)


def test_setting_outside_the_vocabulary_is_an_input_error(app: argmap.Argmap) -> None:
    p = argmap.Proposal("p", "t", "s", (("lead", "martian"),))
    with pytest.raises(argmap.InputError, match=r"set\(lead,martian\)"):
        app.check(p)


# ---------------------------------------------------------------- open aspects
def test_open_aspect_gives_qualified_verdicts(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["taiwan_style_law"]
    assert p.open == ("us_role",)
    v = app.check(p)
    holds = {v.consistent, v.credible, v.feasible_now, v.precondition_met}
    assert holds <= {"all", "some", "none"}
    assert v.credible == "some"  # credible with a US commitment, not with none
    qualifiers = {r.holds for r in v.reasons}
    assert qualifiers == {"all", "some"}
    assert len(v.risk) > 1  # the risk level depends on the open aspect


def test_closing_the_open_aspect_settles_it(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["taiwan_style_law"]
    closed = dataclasses.replace(p, open=(), settings=tuple(sorted((*p.settings, ("us_role", "none")))))
    v = app.check(closed)
    assert {v.consistent, v.credible, v.feasible_now, v.precondition_met} <= {"all", "none"}
    assert {r.holds for r in v.reasons} == {"all"}
    assert len(v.risk) == 1


@pytest.mark.parametrize("pid", sorted(set(IDS) - OPEN))
def test_closed_proposal_has_settled_verdicts(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], pid: str
) -> None:
    v = app.check(proposals[pid])
    assert {v.consistent, v.credible, v.feasible_now, v.precondition_met} <= {"all", "none"}
    assert len(v.risk) == 1
    assert {r.holds for r in v.reasons} <= {"all"}


# ---------------------------------------------------------------- knowledge-base errors
def _kb_error(files: list[str]) -> argmap.InputError:
    with pytest.raises(argmap.InputError) as info:
        argmap.Argmap(files)
    return info.value


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    bad = kb / "bad.lp"
    bad.write_text("a.\nb(X :- a.\n")
    err = _kb_error([str(bad)])
    assert "kb/bad.lp:2:5" in str(err)
    assert (err.line, err.column) == (2, 5)
    assert "syntax error" in err.message


def test_unsafe_variable_names_file_and_line(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    bad = kb / "unsafe.lp"
    bad.write_text("p(1).\nq :- p(1).\nr(X, Y) :- p(X).\n")
    err = _kb_error([str(bad)])
    assert "kb/unsafe.lp:3:" in str(err)
    assert err.line == 3
    assert "unsafe" in err.message and "Y" in err.message


def test_error_in_a_layered_file_names_that_file(tmp_path: Path) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text("% layered\n\nfoo(.\n")
    err = _kb_error([str(RULES / "main.lp"), str(extra)])
    assert err.path is not None and err.path.endswith("extra.lp")
    assert err.line == 3


def test_missing_rule_file(tmp_path: Path) -> None:
    err = _kb_error([str(tmp_path / "nothing.lp")])
    assert err.path == str(tmp_path / "nothing.lp")


def test_layered_file_adds_to_the_knowledge_base(tmp_path: Path) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text(
        'claim(extra_claim, lesson).\nparaphrase(extra_claim, "An extra claim.").\nquote(extra_claim, "extra words").\n'
    )
    app = argmap.Argmap([str(RULES / "main.lp"), str(extra)])
    assert app.claims["extra_claim"].kind == "lesson"
    assert "eu_needs_us" in app.claims


def test_constraint_that_rejects_a_proposal_is_an_input_error(tmp_path: Path) -> None:
    extra = tmp_path / "no_credible.lp"
    extra.write_text(":- credible.\n")
    app = argmap.Argmap([str(RULES / "main.lp"), str(extra)])
    good = app.load(str(PROPOSALS / "guaranteed_guarantees.yaml"))
    with pytest.raises(argmap.InputError, match="no answer"):
        app.check(good)
    # A proposal the constraint does not touch still gets its verdict.
    assert app.check(app.load(str(PROPOSALS / "neutral_yet_nato.yaml"))).consistent == "none"
