"""The engine: one ground program, many questions, no state carried between them."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

import argmap
from argmap import KnowledgeBase, World
from argmap.engine.control import Engine
from argmap.engine.judge import judge
from argmap.io.config import Config
from helpers import PROPOSALS, RULES, proposal_paths

IDS = [p.stem for p in proposal_paths()]
OPEN = {"taiwan_style_law"}  # proposals that leave an aspect open
BOOLS = ("consistent", "credible", "feasible_now", "precondition_met")


def _bases(v: argmap.Verdict, verdict: str | None = None, effect: str | None = None) -> set[str]:
    return {
        r.basis
        for r in v.reasons
        if (verdict is None or r.verdict == verdict) and (effect is None or r.effect == effect)
    }


def _truths(v: argmap.Verdict) -> set[str]:
    return {v[name].truth for name in BOOLS}


@pytest.fixture(scope="module")
def fresh() -> argmap.Argmap:
    """A knowledge base of its own, so that the sequence of solves it sees is the same on every run."""
    return argmap.Argmap(config=Config())


# ---------------------------------------------------------------- no state leaks
def test_same_verdict_whatever_was_asked_before(fresh: argmap.Argmap) -> None:
    every = fresh.load_all([str(PROPOSALS)])
    first = [fresh.check(p) for p in every]
    again = [fresh.check(p) for p in every]
    for p in reversed(every):
        fresh.check(p, World(rejected=("eu_needs_us",)))
    after_what_ifs = [fresh.check(p) for p in every]
    assert first == again == after_what_ifs
    # The what-ifs did change something: they are not ignored.
    assert any(fresh.check(p, World(rejected=("eu_needs_us",))) != v for p, v in zip(every, first, strict=True))


def test_same_findings_whatever_was_asked_before(
    app: argmap.Argmap, fresh: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    # The session's knowledge base has answered many questions already; another one agrees with it.
    first = {pid: app.check(p) for pid, p in proposals.items()}
    for other in reversed(list(proposals.values())):
        app.check(other, World(as_of=20250228))
    for pid, p in proposals.items():
        assert app.check(p) == first[pid], pid
        assert fresh.check(p) == first[pid], pid


def test_what_if_does_not_stick(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    before = app.check(p)
    app.check(p, World(rejected=("eu_needs_us", "guaranteed_guarantees"), as_of=20250228))
    assert app.check(p) == before


@pytest.mark.parametrize("pid", IDS)
def test_tracing_does_not_change_verdicts(app: argmap.Argmap, proposals: dict[str, argmap.Proposal], pid: str) -> None:
    traced = app.judge(proposals[pid], trace=True)
    assert traced.verdict == app.check(proposals[pid])
    assert traced.answer.fired  # the traced engine did record rule firings


def test_judging_traced_needs_a_traced_engine(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    with pytest.raises(ValueError, match="trace=True"):
        judge(app.engine, proposals["guaranteed_guarantees"], trace=True)


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
    assert after["credible"].truth == before["credible"].truth == "none"


def test_rejecting_both_us_claims_makes_european_force_credible(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["european_reassurance_force"]
    after = app.check(p, World(rejected=("eu_needs_us", "guaranteed_guarantees")))
    assert after["credible"].truth == "all"
    assert not _bases(after, "credible", "con")


def test_as_of_oval_office_makes_us_backstop_infeasible(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["us_air_intel_backstop"]
    assert app.check(p)["feasible_now"].truth == "all"
    then = app.check(p, World(as_of=20250228))
    assert then["feasible_now"].truth == "none"
    # An obstacle is a reason against feasible_now whose text names the actor.
    us_obstacles = {r.basis for r in then.reasons if r.verdict == "feasible_now" and r.text.startswith("the US ")}
    assert us_obstacles & {"new_president_no_boost", "oval_office_clash"}
    # Russia's stance dates from August 2025, so in February it is not on record.
    assert "russia_objects" not in {w.id for w in then.warnings}


def test_as_of_one_actor_only(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["us_air_intel_backstop"]
    then = app.check(p, World(actor_as_of=(("us", 20250228),)))
    assert then["feasible_now"].truth == "none"
    assert "new_president_no_boost" in _bases(then, "feasible_now")
    assert "russia_objects" in {w.id for w in then.warnings}  # Russia is still read today


def test_a_proposal_date_reads_the_stances_of_that_date(app: argmap.Argmap, tmp_path: Path) -> None:
    text = (PROPOSALS / "us_air_intel_backstop.yaml").read_text(encoding="utf-8")
    dated = tmp_path / "dated.yaml"
    dated.write_text(text + "date: 2025-02-28\n", encoding="utf-8")
    p = app.load(str(dated))
    assert p.date == 20250228
    assert app.check(p)["feasible_now"].truth == "none"
    # A what-if date wins over the proposal's own.
    assert app.check(p, World(as_of=max(app.vocabulary.snapshots)))["feasible_now"].truth == "all"


def test_as_of_the_latest_date_is_the_baseline(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    latest = max(app.vocabulary.snapshots)
    for p in proposals.values():
        assert app.check(p, World(as_of=latest)) == app.check(p)


def test_assumed_russian_acceptance_removes_the_warning(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    p = proposals["guaranteed_guarantees"]
    assert "russia_objects" in {w.id for w in app.check(p).warnings}
    after = app.check(p, World(stances=(("russia", "coalition_guarantees", "accept"),)))
    assert "russia_objects" not in {w.id for w in after.warnings}
    assert after["credible"].truth == "all"


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
    assert _truths(v) <= {"all", "some", "none"}
    assert v["credible"].truth == "some"  # credible with a US commitment, not with none
    qualifiers = {r.holds for r in v.reasons}
    assert qualifiers == {"all", "some"}
    assert len(v["risk"].reached) > 1  # the risk level depends on the open aspect


def test_closing_the_open_aspect_settles_it(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["taiwan_style_law"]
    closed = dataclasses.replace(p, open=(), settings=tuple(sorted((*p.settings, ("us_role", "none")))))
    v = app.check(closed)
    assert _truths(v) <= {"all", "none"}
    assert {r.holds for r in v.reasons} == {"all"}
    assert len(v["risk"].reached) == 1


def test_open_over_some_values_ranges_over_those_only(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    # Left open over every US role, some completion (US ground troops) puts a contingent on the ground.
    p = proposals["taiwan_style_law"]
    assert app.check(p)["credible"].truth == "some"
    # open: {us_role: [backstop, treaty_ally]}: no completion has troops, so none is credible.
    narrowed = dataclasses.replace(p, open_values=(("us_role", "backstop"), ("us_role", "treaty_ally")))
    v = app.check(narrowed)
    assert v["credible"].truth == "none"
    assert ("contingent_needed", "con", "all") in {(r.basis, r.effect, r.holds) for r in v.reasons}


@pytest.mark.parametrize("pid", sorted(set(IDS) - OPEN))
def test_closed_proposal_has_settled_verdicts(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal], pid: str
) -> None:
    v = app.check(proposals[pid])
    assert _truths(v) <= {"all", "none"}
    assert len(v["risk"].reached) == 1
    assert {r.holds for r in v.reasons} <= {"all"}
    assert {h for o in v.outcomes for _, h in o.values} <= {"all"}


# ---------------------------------------------------------------- knowledge-base errors
# Engines are built directly: an Argmap would first ground a knowledge base that is not
# the shipped one in a child process (tests/test_guard.py), which these errors do not need.
def _kb_error(files: list[str], layers: tuple[str, ...] = ()) -> argmap.InputError:
    with pytest.raises(argmap.InputError) as info:
        Engine(KnowledgeBase.from_options(tuple(files), layers))
    return info.value


def test_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    bad = kb / "bad.lp"
    bad.write_text("a.\nb(X :- a.\n")
    err = _kb_error([str(bad)])
    assert "bad.lp:2:5" in str(err)
    assert (err.line, err.column) == (2, 5)
    assert "syntax error" in err.message


def test_unsafe_variable_names_file_and_line(tmp_path: Path) -> None:
    kb = tmp_path / "kb"
    kb.mkdir()
    bad = kb / "unsafe.lp"
    bad.write_text("p(1).\nq :- p(1).\nr(X, Y) :- p(X).\n")
    err = _kb_error([str(bad)])
    assert "unsafe.lp:3:" in str(err)
    assert err.line == 3
    assert "unsafe" in err.message and "Y" in err.message


def test_error_in_a_layered_file_names_that_file(tmp_path: Path) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text("% layered\n\nfoo(.\n")
    err = _kb_error([], (str(extra),))
    assert err.path is not None and err.path.endswith("extra.lp")
    assert err.line == 3


def test_missing_rule_file(tmp_path: Path) -> None:
    err = _kb_error([str(tmp_path / "nothing.lp")])
    assert err.path is not None and err.path.endswith("nothing.lp")


def test_layered_file_adds_to_the_knowledge_base(tmp_path: Path) -> None:
    extra = tmp_path / "extra.lp"
    extra.write_text(
        'claim(extra_claim, lesson).\nparaphrase(extra_claim, "An extra claim.").\nquote(extra_claim, "extra words").\n'
    )
    engine = Engine(KnowledgeBase.shipped((str(extra),)))
    assert engine.vocabulary.claims["extra_claim"].kind == "lesson"
    assert "eu_needs_us" in engine.vocabulary.claims


def test_constraint_that_rejects_a_proposal_is_an_input_error(app: argmap.Argmap, tmp_path: Path) -> None:
    extra = tmp_path / "no_credible.lp"
    extra.write_text(":- credible.\n")
    engine = Engine(KnowledgeBase.shipped((str(extra),)))
    good = app.load(str(PROPOSALS / "guaranteed_guarantees.yaml"))
    with pytest.raises(argmap.InputError, match="no answer"):
        judge(engine, good)
    # A proposal the constraint does not touch still gets its verdict.
    other = judge(engine, app.load(str(PROPOSALS / "neutral_yet_nato.yaml"))).verdict
    assert other["consistent"].truth == "none"


def test_the_main_file_given_as_kb_is_the_shipped_knowledge_base() -> None:
    assert KnowledgeBase.from_options((str(RULES / "main.lp"),)).is_shipped
    assert not KnowledgeBase.shipped(("extra.lp",)).is_shipped
