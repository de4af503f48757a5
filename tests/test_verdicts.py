"""The verdict on every example proposal, pinned.

The table was filled in from `argmap check proposals --format json` and is the
README's verdict table.  Each bool verdict is how it holds across the
proposal's completions ("all", "some" or "none", Outcome.truth); risk is the
tuple of levels reached; truncated is a tuple of (model, holds).  A change to
the knowledge base that moves a verdict must update this table on purpose.
"""

from __future__ import annotations

import pytest

import argmap
from helpers import proposal_paths

VERDICTS = ("consistent", "credible", "risk", "feasible_now", "precondition_met", "truncated")

# id: (consistent, credible, risk, feasible_now, precondition_met, truncated models)
EXPECTED: dict[str, tuple[str, str, tuple[str, ...], str, str, tuple[tuple[str, str], ...]]] = {
    "article5_like_unsc": ("all", "none", ("high",), "all", "none", ()),
    "budapest_memorandum": ("all", "none", ("high",), "all", "none", ()),
    "european_reassurance_force": ("all", "none", ("high",), "none", "none", ()),
    "guaranteed_guarantees": ("all", "all", ("low",), "all", "all", ()),
    "israel_style_memoranda": ("all", "none", ("high",), "none", "none", ()),
    "istanbul_communique_2022": ("all", "none", ("high",), "none", "none", ()),
    "korea_lite_without_troops": ("all", "all", ("medium",), "none", "all", (("south_korea", "all"),)),
    "korea_style_treaty": ("all", "all", ("low",), "none", "all", ()),
    "nato_membership": ("all", "all", ("low",), "none", "all", ()),
    "nato_promise_alone": ("all", "none", ("high",), "none", "none", ()),
    "roadmap_neutral_then_nato": ("all", "all", ("medium",), "none", "none", (("south_korea", "all"),)),
    "roadmap_stages_before_ceasefire": ("all", "all", ("low",), "none", "all", ()),
    "neutral_yet_nato": ("none", "none", ("high",), "none", "none", ()),
    "taiwan_style_law": ("all", "some", ("low", "high"), "none", "some", (("taiwan", "some"),)),
    "troop_ban_with_contingent": ("none", "none", ("high",), "none", "none", ()),
    "us_air_intel_backstop": ("all", "all", ("low",), "all", "all", ()),
    "west_german_style": ("all", "all", ("low",), "none", "all", ()),
}

#: The inconsistent examples: the conflicts they must name and the components involved.
CONFLICTS = {
    "neutral_yet_nato": {
        "neutrality_vs_nato": {("neutrality", "permanent"), ("nato_path", "irreversible_path")},
    },
    "troop_ban_with_contingent": {
        "troop_ban_vs_contingent": {("foreign_troops_banned", "true"), ("western_contingent", "tripwire")},
    },
}


@pytest.fixture(scope="module")
def verdicts(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> dict[str, argmap.Verdict]:
    return {pid: app.check(p) for pid, p in proposals.items()}


def test_table_covers_every_proposal_file() -> None:
    assert sorted(EXPECTED) == sorted(p.stem for p in proposal_paths())


def test_the_knowledge_base_declares_the_six_verdicts(app: argmap.Argmap) -> None:
    registry = app.registry
    assert registry.names == VERDICTS
    assert [registry[n].kind for n in registry.names] == ["bool", "bool", "level", "bool", "bool", "set"]
    assert registry.gates == ("consistent", "credible")
    assert registry["risk"].values == ("low", "medium", "high")
    assert registry["risk"].good == ("low",)
    assert registry["precondition_met"].label == "precondition"
    assert set(registry["truncated"].values) == {"israel", "south_korea", "taiwan", "west_germany"}


@pytest.mark.parametrize(
    ("pid", "consistent", "credible", "risk", "feasible_now", "precondition", "truncated"),
    [(pid, *row) for pid, row in sorted(EXPECTED.items())],
    ids=sorted(EXPECTED),
)
def test_verdict(
    verdicts: dict[str, argmap.Verdict],
    pid: str,
    consistent: str,
    credible: str,
    risk: tuple[str, ...],
    feasible_now: str,
    precondition: str,
    truncated: tuple[tuple[str, str], ...],
) -> None:
    v = verdicts[pid]
    got = (
        v["consistent"].truth,
        v["credible"].truth,
        v["risk"].reached,
        v["feasible_now"].truth,
        v["precondition_met"].truth,
        v["truncated"].values,
    )
    assert got == (consistent, credible, risk, feasible_now, precondition, truncated)
    assert [o.name for o in v.outcomes] == list(VERDICTS)  # in the order the knowledge base declares them
    # check passes a proposal when both gates hold in every completion.
    assert v.ok == (consistent == credible == "all")


def test_outcomes_of_an_open_proposal(verdicts: dict[str, argmap.Verdict]) -> None:
    v = verdicts["taiwan_style_law"]
    credible, risk, precondition, truncated = v["credible"], v["risk"], v["precondition_met"], v["truncated"]
    assert (credible.truth, credible.worst, credible.good) == ("some", False, False)
    assert (credible.text(), credible.short()) == ("in some completions", "some")
    assert (risk.worst, risk.good) == ("high", False)
    assert (risk.text(), risk.short()) == ("low or high (depends on open aspects)", "low or high")
    assert precondition.text() == "met in some completions"  # the knowledge base's own word
    assert (truncated.worst, truncated.text()) == (["taiwan"], "taiwan (in some completions)")
    assert not v.ok


def test_outcomes_of_a_settled_proposal(verdicts: dict[str, argmap.Verdict]) -> None:
    v = verdicts["guaranteed_guarantees"]
    assert [(o.name, o.worst, o.good) for o in v.outcomes] == [
        ("consistent", True, True),
        ("credible", True, True),
        ("risk", "low", True),
        ("feasible_now", True, True),
        ("precondition_met", True, True),
        ("truncated", [], True),
    ]
    assert [o.text() for o in v.outcomes] == ["yes", "yes", "low", "yes", "met", "no"]
    bad = verdicts["european_reassurance_force"]
    assert [o.text() for o in bad.outcomes] == ["yes", "no", "high", "no", "not met", "no"]


@pytest.mark.parametrize("pid", sorted(CONFLICTS))
def test_inconsistent_examples_name_their_conflicts(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    v = verdicts[pid]
    assert v["consistent"].truth == "none"
    found = {c.id: set(c.components) for c in v.conflicts}
    assert found == CONFLICTS[pid]
    for c in v.conflicts:
        assert c.text and c.basis
        # Each conflict defeats credibility on its own basis.
        assert any(r.verdict == "credible" and r.effect == "con" and r.basis == c.basis for r in v.reasons)


@pytest.mark.parametrize("pid", sorted(pid for pid, row in EXPECTED.items() if row[0] == "all"))
def test_consistent_examples_have_no_conflict(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    assert verdicts[pid].conflicts == ()


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_every_negative_verdict_has_a_reason(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    v = verdicts[pid]
    if v["credible"].truth != "all":
        assert any(r.verdict == "credible" and r.effect == "con" for r in v.reasons)
    if v["feasible_now"].truth != "all" and v["consistent"].truth == "all":
        assert any(r.verdict == "feasible_now" and r.effect == "con" for r in v.reasons)
    if v["precondition_met"].truth != "all":
        assert any(r.verdict == "precondition_met" and r.effect == "con" for r in v.reasons)
    for level in v["risk"].reached:
        if level != "low":
            assert any(r.verdict == "risk" and r.effect == level for r in v.reasons), level
    for model in v["truncated"].reached:
        assert any(r.verdict == "truncated" and r.effect == model for r in v.reasons), model


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_every_reason_bears_on_a_declared_verdict(
    app: argmap.Argmap, verdicts: dict[str, argmap.Verdict], pid: str
) -> None:
    for r in verdicts[pid].reasons:
        spec = app.registry[r.verdict]
        assert r.effect in spec.effects, r
        assert r.basis in app.claims or r.basis in app.vocabulary.bases, r
        assert r.text and r.holds in ("all", "some")


def test_obstacles_name_the_actor(verdicts: dict[str, argmap.Verdict]) -> None:
    # An obstacle is a reason against feasible_now; its text says whose stance blocks the proposal.
    texts = [r.text for r in verdicts["european_reassurance_force"].reasons if r.verdict == "feasible_now"]
    assert texts
    assert all(
        t.startswith(("the US ", "Europe ", "some coalition members ", "Russia ", "the proposal ")) for t in texts
    )
    assert any(t.startswith("Europe lacks") for t in texts)


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_a_credible_proposal_has_no_case_against_it(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    v = verdicts[pid]
    if v["credible"].truth == "all":
        assert not [r for r in v.reasons if r.verdict == "credible" and r.effect == "con"]
        assert "high" not in v["risk"].reached


def test_the_articles_own_package_passes(verdicts: dict[str, argmap.Verdict]) -> None:
    # The package the article argues for: guarantees guaranteed by the US, with a contingent.
    v = verdicts["guaranteed_guarantees"]
    assert v.ok
    assert {"eu_needs_us", "guaranteed_guarantees", "contingent_needed"} <= {
        r.basis for r in v.reasons if r.verdict == "credible" and r.effect == "pro"
    }


def test_europe_alone_fails_for_the_articles_reasons(verdicts: dict[str, argmap.Verdict]) -> None:
    v = verdicts["european_reassurance_force"]
    assert {"eu_needs_us", "guaranteed_guarantees"} <= {
        r.basis for r in v.reasons if r.verdict == "credible" and r.effect == "con"
    }


# ---------------------------------------------------------------- open proposals
OPEN_SUBSET = argmap.Proposal(
    "open_subset",
    "Coalition force, US role open among three",
    "test",
    (
        ("guarantors", "coalition_of_the_willing"),
        ("guarantors", "france"),
        ("guarantors", "uk"),
        ("lead", "european"),
        ("western_contingent", "tripwire"),
    ),
    open=("us_role",),
    open_values=(("us_role", "air_support"), ("us_role", "backstop"), ("us_role", "intelligence")),
)


def _satisfies(when: tuple[tuple[tuple[str, str, bool], ...], ...], settings: set[tuple[str, str]]) -> bool:
    return any(all(((k, v) in settings) == present for k, v, present in conj) for conj in when)


def test_an_open_proposal_says_which_completions_give_which_verdict(app: argmap.Argmap) -> None:
    verdict = app.check(OPEN_SUBSET)
    groups = {(c.verdict, c.value): c for c in verdict.completions}
    assert groups[("credible", "true")].when == ((("us_role", "backstop", True),),)
    assert groups[("credible", "false")].when == ((("us_role", "backstop", False),),)
    assert groups[("credible", "true")].count == 4 and groups[("credible", "true")].total == 8
    # Verdicts that do not vary are not described.
    assert ("consistent", "true") not in groups


def test_the_description_of_completions_is_exact(app: argmap.Argmap, proposals: dict[str, argmap.Proposal]) -> None:
    """Each completion, judged on its own, has a value exactly when the description says so."""
    import itertools

    for p in (OPEN_SUBSET, proposals["taiwan_style_law"]):
        verdict = app.check(p)
        assert verdict.completions
        narrowed = [v for k, v in p.open_values if k == "us_role"] or list(app.vocabulary.components["us_role"].values)
        for size in range(len(narrowed) + 1):
            for chosen in itertools.combinations(narrowed, size):
                settings = set(p.settings) | {("us_role", v) for v in chosen}
                single = argmap.Proposal(p.id, p.title, p.source, tuple(sorted(settings)))
                judged = app.check(single)
                if not judged["consistent"].good:
                    continue  # an incoherent completion is not one the open aspect ranges over
                for c in verdict.completions:
                    holds = c.value in judged[c.verdict].reached
                    assert holds == _satisfies(c.when, settings), (p.id, chosen, c)


def test_check_prints_the_completions_grouped(app: argmap.Argmap) -> None:
    from argmap.render.text import verdict_text

    text = verdict_text(app.check(OPEN_SUBSET), app.vocabulary)
    assert "Which completions give which verdict:" in text
    assert "credible      yes when us_role includes backstop (4 of 8 completions)" in text
    assert "feasible now  yes when us_role includes air_support, backstop or intelligence" in text


def test_json_carries_the_completions_and_how_each_verdict_holds(app: argmap.Argmap) -> None:
    from argmap.render.json import verdict_json

    out = verdict_json(app.check(OPEN_SUBSET), app.vocabulary)
    assert out["holds"]["credible"] == "some"
    assert set(out["holds"]["risk"]) == {"medium", "high"}
    first = next(c for c in out["completions"] if c["verdict"] == "credible" and c["value"] == "true")
    assert first["when"] == [[{"key": "us_role", "value": "backstop", "present": True}]]
    closed = verdict_json(app.check(argmap.Proposal("p", "t", "s", OPEN_SUBSET.settings)), app.vocabulary)
    assert "completions" not in closed


def test_completions_are_counted_once_each_however_many_answer_sets_they_have(
    app: argmap.Argmap, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The enumeration is projected onto the open components and the verdicts: OPEN_SUBSET's 8 completions
    fit a limit of 8, and a limit of 7 is past them."""
    import argmap.engine.control as control

    monkeypatch.setattr(control, "MAX_COMPLETIONS", 8)
    assert app.check(OPEN_SUBSET).completions and app.check(OPEN_SUBSET).completions_beyond == 0
    monkeypatch.setattr(control, "MAX_COMPLETIONS", 7)
    assert app.check(OPEN_SUBSET).completions_beyond == 7


def test_past_the_limit_no_completion_is_described(app: argmap.Argmap) -> None:
    """More completions than MAX_COMPLETIONS (a list left open: one per subset): none are described, and
    check, explain and JSON say so, the same each time, rather than describe the first few thousand."""
    from argmap.engine.control import MAX_COMPLETIONS
    from argmap.render.json import verdict_json
    from argmap.render.text import verdict_text

    listed = sorted(k for k, c in app.vocabulary.components.items() if c.arity == "many")
    p = argmap.Proposal(
        "wide_open", "Everything listable left open", "test",
        tuple(s for s in OPEN_SUBSET.settings if s[0] not in listed), open=tuple(listed),
    )  # fmt: skip
    verdict = app.check(p)
    assert verdict.completions == () and verdict.completions_beyond == MAX_COMPLETIONS
    assert app.check(p) == verdict
    text = " ".join(verdict_text(verdict, app.vocabulary).split())
    assert "not worked out, as the open aspects have more than 4,096 completions" in text
    assert " of 4096 completions" not in text
    out = verdict_json(verdict, app.vocabulary)
    assert out["completions"] == [] and out["completions_beyond"] == MAX_COMPLETIONS
    explained = app.explain(p)
    assert explained.completions == () and explained.completions_beyond == MAX_COMPLETIONS
    described = verdict_json(app.check(OPEN_SUBSET), app.vocabulary)
    assert described["completions_beyond"] == 0 and described["completions"]
