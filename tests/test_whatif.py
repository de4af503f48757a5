"""What-if: change a proposal, a stance or a claim; compare the verdicts on one ground program."""

from __future__ import annotations

from collections import OrderedDict

import clingo
import pytest

import argmap
import argmap.engine.cache
from argmap import Change, InputError, World
from argmap.analysis.whatif import apply_changes, whatif
from argmap.io.changes import parse_changes
from argmap.io.config import Config
from argmap.model.results import WhatIf
from argmap.model.verdicts import Reason
from helpers import PROPOSALS


def run(app: argmap.Argmap, pid: str, **changes: tuple[str, ...] | str) -> WhatIf:
    p = app.load(str(PROPOSALS / f"{pid}.yaml"))
    return whatif(app.engine, p, parse_changes(app.vocabulary, **changes))


def flipped(w: WhatIf) -> list[str]:
    return [f.verdict for f in w.flips]


def bases(reasons: tuple[Reason, ...]) -> set[str]:
    return {r.basis for r in reasons}


def truth(v: argmap.Verdict, name: str) -> str:
    return v[name].truth


# ---------------------------------------------------------------- the documented what-ifs
def test_a_us_backstop_makes_the_european_force_credible(app: argmap.Argmap) -> None:
    w = run(app, "european_reassurance_force", sets=("us_role=backstop",))
    assert flipped(w) == ["credible", "risk", "feasible_now", "precondition_met"]
    assert truth(w.before, "consistent") == truth(w.after, "consistent") == "all"
    assert (truth(w.before, "credible"), truth(w.after, "credible")) == ("none", "all")
    assert (w.before["risk"].reached, w.after["risk"].reached) == (("high",), ("low",))
    assert (truth(w.before, "feasible_now"), truth(w.after, "feasible_now")) == ("none", "all")
    assert (truth(w.before, "precondition_met"), truth(w.after, "precondition_met")) == ("none", "all")
    assert [(f.before, f.after) for f in w.flips] == [("no", "yes"), ("high", "low"), ("no", "yes"), ("not met", "met")]
    credible = next(f for f in w.flips if f.verdict == "credible")
    assert "eu_needs_us" in bases(credible.gone)
    assert "guaranteed_guarantees" in bases(credible.new)
    # The same claim changes sides: it was against, it is now for.
    assert {(r.basis, r.effect) for r in credible.gone} == {("eu_needs_us", "con"), ("guaranteed_guarantees", "con")}
    assert {(r.basis, r.effect) for r in credible.new} == {("eu_needs_us", "pro"), ("guaranteed_guarantees", "pro")}
    # Three obstacles go: the coalition's, Europe's and the US's.
    feasible = next(f for f in w.flips if f.verdict == "feasible_now")
    assert bases(feasible.gone) == {"anti_american_format", "eu_lacks_capacity", "us_support_decisive"}
    assert {r.effect for r in feasible.gone} == {"con"}
    assert feasible.new == ()
    # The change replaced the US role; it did not add to it.
    assert w.after.proposal.values("us_role") == ("backstop",)
    assert w.before.proposal.values("us_role") == ("none",)
    assert w.conflicts_gone == w.conflicts_new == ()


@pytest.mark.parametrize("pid", ["guaranteed_guarantees", "us_air_intel_backstop"])
def test_rejecting_russia_no_veto_flips_only_feasibility(app: argmap.Argmap, pid: str) -> None:
    w = run(app, pid, rejects=("russia_no_veto",))
    assert "backstop" in w.before.proposal.values("us_role")
    assert flipped(w) == ["feasible_now"]
    [flip] = w.flips
    assert (flip.before, flip.after) == ("yes", "no")
    assert flip.gone == ()
    assert [(r.basis, r.text) for r in flip.new] == [
        (
            "russia_rejects_coalition",
            "Russia rejects guarantees designed by the coalition, and its objection is treated as a veto",
        )
    ]
    assert truth(w.after, "credible") == "all"


def test_the_us_stance_of_february_2025_blocks_the_air_backstop(app: argmap.Argmap) -> None:
    w = run(app, "us_air_intel_backstop", actor_as_of=("us=2025-02-28",))
    assert w.changes == (Change("actor_as_of", "us", "20250228", asked="2025-02-28"),)
    assert flipped(w) == ["feasible_now"]
    [flip] = w.flips
    assert [(r.basis, r.text) for r in flip.new] == [
        ("new_president_no_boost", "the US withholds the backing the proposal needs")
    ]
    # Only the US is read as of February; the other actors keep their latest stance.
    assert run(app, "us_air_intel_backstop", actor_as_of=("russia=2025-02-28",)).flips == ()


@pytest.mark.parametrize(
    ("given", "recorded", "shown"),
    [
        ("2025-02-28", 20250228, "stances as of 2025-02-28"),
        ("2025-02", 20250228, "stances as of 2025-02 (the last record on or before it: 2025-02-28)"),
        ("2025-03-15", 20250228, "stances as of 2025-03-15 (the last record on or before it: 2025-02-28)"),
        ("20240815", 20240800, "stances as of 2024-08-15 (the last record on or before it: 2024-08)"),
    ],
    ids=["a-recorded-day", "a-month", "a-day-between-records", "a-day-in-a-recorded-month"],
)
def test_as_of_echoes_the_date_asked_and_the_record_it_falls_back_on(
    app: argmap.Argmap, given: str, recorded: int, shown: str
) -> None:
    [change] = parse_changes(app.vocabulary, as_of=given)
    assert (change.op, change.key) == ("as_of", str(recorded))
    assert str(change) == shown


@pytest.mark.parametrize("pid", ["guaranteed_guarantees", "us_air_intel_backstop", "european_reassurance_force"])
def test_russia_accepting_changes_nothing_because_it_has_no_veto(app: argmap.Argmap, pid: str) -> None:
    w = run(app, pid, stances=("russia.coalition_guarantees=accept",))
    assert w.flips == ()
    assert w.before.reasons == w.after.reasons


def test_russias_stance_does_matter_once_it_has_a_veto(
    app: argmap.Argmap, proposals: dict[str, argmap.Proposal]
) -> None:
    # The stance is not ignored: with russia_no_veto rejected, Russia's acceptance lifts its objection.
    p = proposals["guaranteed_guarantees"]
    vetoed = app.check(p, World(rejected=("russia_no_veto",)))
    accepted = app.check(
        p, World(rejected=("russia_no_veto",), stances=(("russia", "coalition_guarantees", "accept"),))
    )
    assert (truth(vetoed, "feasible_now"), truth(accepted, "feasible_now")) == ("none", "all")
    # The assumed stance is the user's, not a claim's.
    assumed = app.check(p, World(stances=(("us", "us_participation", "reluctant"),)))
    assert assumed == app.check(p)  # a backstop does not need US participation
    troops = app.check(
        argmap.Proposal("t", "t", "s", (("guarantors", "us"), ("us_role", "ground_troops"))),
        World(stances=(("us", "us_participation", "reluctant"),)),
    )
    assert ("feasible_now", "user_assumption") in {(r.verdict, r.basis) for r in troops.reasons}


def test_changes_apply_to_inputs_only(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    voc = app.vocabulary
    p = proposals["taiwan_style_law"]
    changes = parse_changes(
        voc,
        sets=("us_role=backstop",),
        adds=("guarantors=uk",),
        unsets=("legal_form",),
        opens=("activation",),
        rejects=("eu_needs_us",),
        as_of="2025-02",
        actor_as_of=("us=20250228",),
        stances=("russia.coalition_guarantees=accept",),
    )
    q, world = apply_changes(p, World(), changes, voc)
    assert q.values("us_role") == ("backstop",)
    assert q.values("guarantors") == ("uk", "us")
    assert q.values("legal_form") == ()
    assert q.values("activation") == ()  # a one-valued component left open loses its value
    assert q.open == ("activation",)  # us_role was set, so it is no longer open
    assert world == World(
        ("eu_needs_us",), 20250228, (("us", 20250228),), (("russia", "coalition_guarantees", "accept"),)
    )
    assert p.open == ("us_role",) and p.values("legal_form") == ("law",)  # the original is untouched


# ---------------------------------------------------------------- bad changes
@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"sets": ("us_rol=backstop",)}, "did you mean 'us_role'?"),
        ({"sets": ("us_role=backstp",)}, "'backstp' is not a value of us_role"),
        ({"sets": ("us_role",)}, "'us_role' is not KEY=VALUE"),
        ({"adds": ("lead=us",)}, "lead takes one value; use --set"),
        ({"unsets": ("leed",)}, "did you mean 'lead'?"),
        ({"rejects": ("russia_no_vet",)}, "'russia_no_vet' is not a claim"),
        ({"as_of": "yesterday"}, "'yesterday' is not a date"),
        ({"as_of": "1990-01-01"}, "no stance is recorded on or before 1990-01-01"),
        ({"actor_as_of": ("us=soon",)}, "'soon' is not a date"),
        ({"actor_as_of": ("usa=2025-02-28",)}, "'usa' is not an actor"),
        ({"stances": ("russa.coalition_guarantees=accept",)}, "'russa' is not an actor"),
        ({"stances": ("russia.coalition_guarantee=accept",)}, "'coalition_guarantee' is not an issue"),
        ({"stances": ("russia.coalition_guarantees=maybe",)}, "'maybe' is not a position on coalition_guarantees"),
        ({}, "no change given"),
    ],
    ids=[
        "unknown-key",
        "unknown-value",
        "no-value",
        "add-to-one",
        "unset-unknown",
        "unknown-claim",
        "not-a-date",
        "too-early",
        "actor-bad-date",
        "unknown-actor",
        "stance-unknown-actor",
        "unknown-issue",
        "unknown-position",
        "nothing",
    ],
)
def test_bad_changes_are_input_errors(app: argmap.Argmap, changes: dict[str, object], message: str) -> None:
    with pytest.raises(InputError, match=message.replace("(", r"\(").replace("?", r"\?")):
        parse_changes(app.vocabulary, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("date", ["2025-13-45", "2025-02-30", "2025-00-10"])
def test_an_impossible_date_is_an_input_error(app: argmap.Argmap, date: str) -> None:
    with pytest.raises(InputError, match="is not a date"):
        parse_changes(app.vocabulary, as_of=date)


# ---------------------------------------------------------------- one ground program
def test_a_whatif_never_grounds_again(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"ground": 0, "solve": 0}
    real_ground, real_solve = clingo.Control.ground, clingo.Control.solve

    def ground(self: clingo.Control, *args: object, **kwargs: object) -> None:
        calls["ground"] += 1
        real_ground(self, *args, **kwargs)  # type: ignore[arg-type]

    def solve(self: clingo.Control, *args: object, **kwargs: object) -> object:
        calls["solve"] += 1
        return real_solve(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(clingo.Control, "ground", ground)
    monkeypatch.setattr(clingo.Control, "solve", solve)
    # The process keeps grounded engines (argmap.engine.cache): an engine another
    # test grounded would be served without grounding.  An empty cache for this
    # test (the kept engines come back afterwards) makes this Argmap ground its own,
    # once, so the count below shows the patch sees grounding at all.
    monkeypatch.setattr(argmap.engine.cache, "_CACHE", OrderedDict())
    app = argmap.Argmap(config=Config())
    ctl = app.engine._ctl
    assert calls["ground"] == 1
    p = app.load(str(PROPOSALS / "european_reassurance_force.yaml"))
    app.check(p)  # clingo numbers solve calls from 0: after one, each solve adds one to `call`
    step, solves = ctl.statistics["summary"]["call"], calls["solve"]
    questions = [
        {"sets": ("us_role=backstop",)},
        {"rejects": ("eu_needs_us", "contingent_needed")},
        {"actor_as_of": ("us=2025-02-28",)},
        {"stances": ("russia.coalition_guarantees=accept",)},
        {"unsets": ("guarantors",), "adds": ("us_role=intelligence",)},
    ]
    for changes in questions:
        whatif(app.engine, p, parse_changes(app.vocabulary, **changes))  # type: ignore[arg-type]
    assert calls["ground"] == 1
    assert app.engine._ctl is ctl
    assert calls["solve"] - solves == 2 * len(questions)  # before and after, nothing else
    assert ctl.statistics["summary"]["call"] - step == calls["solve"] - solves


def test_a_whatif_leaves_no_trace(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    first = app.check(p)
    w = whatif(app.engine, p, parse_changes(app.vocabulary, sets=("us_role=backstop",), rejects=("eu_needs_us",)))
    assert w.before == first
    assert app.check(p) == first
    assert w.after == app.check(w.after.proposal, World(rejected=("eu_needs_us",)))


@pytest.mark.parametrize("pid", sorted(p.stem for p in PROPOSALS.glob("*.yaml")))
def test_the_flips_are_exactly_the_verdicts_that_differ(app: argmap.Argmap, pid: str) -> None:
    w = run(app, pid, rejects=("eu_needs_us", "contingent_needed"))
    differ = [b.name for b, a in zip(w.before.outcomes, w.after.outcomes, strict=True) if b.values != a.values]
    assert flipped(w) == differ
    for f in w.flips:
        assert (f.before, f.after) == (w.before[f.verdict].short(), w.after[f.verdict].short())
        assert not set(f.gone) & set(f.new)
        assert set(f.gone) == set(w.before.reasons_for(f.verdict)) - set(w.after.reasons)
        assert set(f.new) == set(w.after.reasons_for(f.verdict)) - set(w.before.reasons)


def test_a_whatif_names_the_conflicts_that_go_and_come(app: argmap.Argmap) -> None:
    w = run(
        app,
        "neutral_yet_nato",
        unsets=("neutrality",),
        sets=("foreign_troops_banned=true", "western_contingent=tripwire"),
    )
    assert [c.id for c in w.conflicts_gone] == ["neutrality_vs_nato"]
    assert [c.id for c in w.conflicts_new] == ["troop_ban_vs_contingent"]
    assert "consistent" not in flipped(w)  # inconsistent before and after
