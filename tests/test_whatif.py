"""What-if: change a proposal, a stance or a claim; compare the verdicts on one ground program."""

from __future__ import annotations

import clingo
import pytest

import argmap
from argmap import InputError, World
from argmap.whatif import FIELDS, Change, WhatIf, apply_changes, parse_changes, whatif
from helpers import PROPOSALS

ALL_FIELDS = [name for name, _ in FIELDS]


def run(app: argmap.Argmap, pid: str, **changes: tuple[str, ...] | str) -> WhatIf:
    p = app.load(str(PROPOSALS / f"{pid}.yaml"))
    return whatif(app.engine, p, parse_changes(app.engine.vocabulary, **changes))


def flipped(w: WhatIf) -> list[str]:
    return [f.field for f in w.flips]


def bases(reasons: tuple[argmap.model.Reason, ...]) -> set[str]:
    return {r.basis for r in reasons}


# ---------------------------------------------------------------- the documented what-ifs
def test_a_us_backstop_makes_the_european_force_credible(app: argmap.Argmap) -> None:
    w = run(app, "european_reassurance_force", sets=("us_role=backstop",))
    assert flipped(w) == ["credible", "risk", "feasible_now", "precondition_met"]
    assert w.before.consistent == w.after.consistent == "all"
    assert (w.before.credible, w.after.credible) == ("none", "all")
    assert (w.before.risk, w.after.risk) == (("high",), ("low",))
    assert (w.before.feasible_now, w.after.feasible_now) == ("none", "all")
    assert (w.before.precondition_met, w.after.precondition_met) == ("none", "all")
    credible = next(f for f in w.flips if f.field == "credible")
    assert "eu_needs_us" in bases(credible.gone)
    assert "guaranteed_guarantees" in bases(credible.new)
    # The same claim changes sides: it was against, it is now for.
    assert {(r.basis, r.effect) for r in credible.gone} == {("eu_needs_us", "con"), ("guaranteed_guarantees", "con")}
    assert {(r.basis, r.effect) for r in credible.new} == {("eu_needs_us", "pro"), ("guaranteed_guarantees", "pro")}
    feasible = next(f for f in w.flips if f.field == "feasible_now")
    assert {r.actor for r in feasible.gone} == {"coalition_of_the_willing", "europe", "us"}
    assert feasible.new == ()
    # The change replaced the US role; it did not add to it.
    assert w.after.proposal.values("us_role") == ("backstop",)
    assert w.before.proposal.values("us_role") == ("none",)


@pytest.mark.parametrize("pid", ["guaranteed_guarantees", "us_air_intel_backstop"])
def test_rejecting_russia_no_veto_flips_only_feasibility(app: argmap.Argmap, pid: str) -> None:
    w = run(app, pid, rejects=("russia_no_veto",))
    assert "backstop" in w.before.proposal.values("us_role")
    assert flipped(w) == ["feasible_now"]
    [flip] = w.flips
    assert (flip.before, flip.after) == ("all", "none")
    assert flip.gone == ()
    assert [(r.actor, r.basis) for r in flip.new] == [("russia", "russia_rejects_coalition")]
    assert w.after.credible == "all"


def test_the_us_stance_of_february_2025_blocks_the_air_backstop(app: argmap.Argmap) -> None:
    w = run(app, "us_air_intel_backstop", actor_as_of=("us=2025-02-28",))
    assert w.changes == (Change("actor_as_of", "us", "20250228"),)
    assert flipped(w) == ["feasible_now"]
    [flip] = w.flips
    assert [(r.actor, r.basis) for r in flip.new] == [("us", "new_president_no_boost")]
    # Only the US is read as of February; the other actors keep their latest stance.
    assert run(app, "us_air_intel_backstop", actor_as_of=("russia=2025-02-28",)).flips == ()


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
    assert (vetoed.feasible_now, accepted.feasible_now) == ("none", "all")


def test_changes_apply_to_inputs_only(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    voc = app.engine.vocabulary
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
        parse_changes(app.engine.vocabulary, **changes)  # type: ignore[arg-type]


@pytest.mark.parametrize("date", ["2025-13-45", "2025-02-30", "2025-00-10"])
def test_an_impossible_date_is_an_input_error(app: argmap.Argmap, date: str) -> None:
    with pytest.raises(InputError, match="is not a date"):
        parse_changes(app.engine.vocabulary, as_of=date)


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
    app = argmap.Argmap()
    assert calls["ground"] == 1
    ctl = app.engine._ctl
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
        whatif(app.engine, p, parse_changes(app.engine.vocabulary, **changes))  # type: ignore[arg-type]
    assert calls["ground"] == 1
    assert app.engine._ctl is ctl
    assert calls["solve"] - solves == 2 * len(questions)  # before and after, nothing else
    assert ctl.statistics["summary"]["call"] - step == calls["solve"] - solves


def test_a_whatif_leaves_no_trace(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    p = proposals["european_reassurance_force"]
    first = app.check(p)
    w = whatif(
        app.engine, p, parse_changes(app.engine.vocabulary, sets=("us_role=backstop",), rejects=("eu_needs_us",))
    )
    assert w.before == first
    assert app.check(p) == first
    assert w.after == app.check(w.after.proposal, World(rejected=("eu_needs_us",)))


@pytest.mark.parametrize("pid", sorted(p.stem for p in PROPOSALS.glob("*.yaml")))
def test_the_flips_are_exactly_the_fields_that_differ(app: argmap.Argmap, pid: str) -> None:
    w = run(app, pid, rejects=("eu_needs_us", "contingent_needed"))
    differ = []
    for name in ALL_FIELDS:
        b, a = getattr(w.before, name), getattr(w.after, name)
        if b != a:
            differ.append(name)
    assert flipped(w) == differ
    for f in w.flips:
        assert not set(f.gone) & set(f.new)
        if f.field != "consistent":
            assert set(f.gone) <= set(w.before.reasons) - set(w.after.reasons)
            assert set(f.new) <= set(w.after.reasons) - set(w.before.reasons)
