"""The verdict on every example proposal, pinned.

The table was filled in from `argmap check proposals --format json`.  Each
value is how the verdict holds across the proposal's completions ("all",
"some" or "none"); risk is the tuple of levels reached; truncated is a tuple
of (model, holds).  A change to the knowledge base that moves a verdict must
update this table on purpose.
"""

from __future__ import annotations

import pytest

import argmap
from helpers import proposal_paths

# id: (consistent, credible, risk, feasible_now, meets_precondition, truncated models)
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
    "nato_promise_alone": ("all", "none", ("high",), "all", "none", ()),
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
        v.consistent,
        v.credible,
        v.risk,
        v.feasible_now,
        v.precondition_met,
        tuple((t.model, t.holds) for t in v.truncated),
    )
    assert got == (consistent, credible, risk, feasible_now, precondition, truncated)


@pytest.mark.parametrize("pid", sorted(CONFLICTS))
def test_inconsistent_examples_name_their_conflicts(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    v = verdicts[pid]
    assert v.consistent == "none"
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
    if v.credible != "all":
        assert any(r.verdict == "credible" and r.effect == "con" for r in v.reasons)
    if v.feasible_now != "all" and v.consistent == "all":
        assert any(r.verdict == "feasible_now" for r in v.reasons)
    if v.precondition_met != "all":
        assert any(r.verdict == "precondition" and r.effect == "con" for r in v.reasons)
    if v.risk != ("low",):
        assert any(r.verdict == "risk" for r in v.reasons)


@pytest.mark.parametrize("pid", sorted(EXPECTED))
def test_a_credible_proposal_has_no_case_against_it(verdicts: dict[str, argmap.Verdict], pid: str) -> None:
    v = verdicts[pid]
    if v.credible == "all":
        assert not [r for r in v.reasons if r.verdict == "credible" and r.effect == "con"]
        assert "high" not in v.risk


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
