"""The optimiser as an adversary (issue 12): what the rules call credible, low-risk or feasible now.

The whole vocabulary is one design space (``bench/large_space.yaml`` without
its constraints), grounded once.  Each test asks clingo for the cheapest
packages meeting some verdicts, or proves that none exists without a property
the article requires, by ruling values out or in as assumptions
(``Explorer.cheapest(exclude=..., insist=...)``).  An empty answer is a proof
over every package of the space, not a sample.

The properties (README, "What its verdicts mean"), each with its sentence:

- a US guarantee (a backstop, a treaty alliance or US troops) or NATO
  membership: "guarantees guaranteed by the United States";
- an armed Western contingent on the ground, or NATO membership without a ban
  on foreign troops: "The need to involve a Western contingent for effective
  postwar security guarantees";
- no activation by UN Security Council consensus, and Russia not a guarantor:
  "Many security models throughout history have been implemented in the face
  of strong opposition from the Kremlin."
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

import argmap
from argmap.analysis.explore import Explorer
from argmap.io.spaces import load_space
from argmap.model.results import Package
from helpers import ROOT

CREDIBLE = ("consistent", "credible")
LOW_RISK = ("consistent", "credible", "risk")
FEASIBLE = ("consistent", "feasible_now")
EVERY_GOAL = ("consistent", "credible", "risk", "feasible_now", "precondition_met")

US_GUARANTEE = ("backstop", "treaty_ally", "ground_troops")
ARMED = ("tripwire", "combat", "trainers")
# facts/actors.lp counts Turkey, a NATO member, as Western.
WESTERN = (
    "us",
    "uk",
    "france",
    "germany",
    "poland",
    "nordic_baltic",
    "eu",
    "nato",
    "coalition_of_the_willing",
    "turkey",
)
NOT_US = ("political_declaration", "intelligence", "air_support", "backstop", "treaty_ally", "ground_troops")


@pytest.fixture(scope="module")
def full(app: argmap.Argmap, tmp_path_factory: pytest.TempPathFactory) -> Explorer:
    """Every package the vocabulary can express: the benchmark space with no constraint."""
    space = yaml.safe_load((ROOT / "bench" / "large_space.yaml").read_text(encoding="utf-8"))
    space.pop("constraints")
    path = Path(tmp_path_factory.mktemp("adversary")) / "full.yaml"
    path.write_text(yaml.safe_dump(space), encoding="utf-8")
    return Explorer(load_space(str(path), app.vocabulary), app.kb)


def values(package: Package, key: str) -> set[str]:
    return {v for k, v in package.settings if k == key}


def credible_properties(package: Package) -> list[str]:
    """What the package lacks of the article's credible guarantee (empty: nothing)."""
    member = "member" in values(package, "nato_path")
    banned = "true" in values(package, "foreign_troops_banned")
    us_role = values(package, "us_role")
    lacks = []
    if not (us_role & set(US_GUARANTEE) or member):
        lacks.append("a US guarantee or NATO membership")
    armed = values(package, "western_contingent") & set(ARMED) or "ground_troops" in us_role
    if not (armed or (member and not banned)):
        lacks.append("an armed contingent, or membership allied forces may reach")
    if "unsc_consensus" in values(package, "activation"):
        lacks.append("a trigger Russia cannot veto")
    if "russia" in values(package, "guarantors"):
        lacks.append("a guarantee Russia does not co-sign")
    return lacks


@pytest.mark.parametrize("goals", [CREDIBLE, LOW_RISK, EVERY_GOAL], ids=["credible", "low-risk", "every-goal"])
def test_the_cheapest_packages_are_credible_guarantees_as_the_article_means_them(
    full: Explorer, app: argmap.Argmap, goals: tuple[str, ...]
) -> None:
    best = full.cheapest(goals, limit=40)
    assert best, "some package of the whole vocabulary meets the goals"
    for package in best:
        assert credible_properties(package) == [], package.settings
        verdict = app.check(package.proposal("full space", "adversary", "optimum"))
        assert all(verdict[g].good for g in goals), (package.settings, goals)


def test_without_nato_membership_the_cheapest_credible_package_is_guaranteed_guarantees(full: Explorer) -> None:
    """The benchmark's own constraint (no membership within five years): a US guarantee and an armed contingent."""
    best = full.cheapest(CREDIBLE, limit=40, exclude=[("nato_path", "member")])
    assert best
    for package in best:
        assert values(package, "us_role") & set(US_GUARANTEE)
        assert values(package, "western_contingent") & set(ARMED) or "ground_troops" in values(package, "us_role")
        assert credible_properties(package) == []


# Each case rules out (or in) what the article requires; no package may then be credible.
WITHOUT = {
    "no US guarantee, no membership": dict(exclude=[("us_role", r) for r in US_GUARANTEE] + [("nato_path", "member")]),
    "monitors at most, no membership": dict(
        exclude=[("western_contingent", r) for r in ARMED] + [("us_role", "ground_troops"), ("nato_path", "member")]
    ),
    "a UN Security Council trigger": dict(insist=[("activation", "unsc_consensus")]),
    "Russia a guarantor": dict(insist=[("guarantors", "russia")]),
    "NATO membership under a troop ban": dict(
        insist=[("foreign_troops_banned", "true")]  # a ban also clashes with any contingent
    ),
    "US intelligence as the only US role": dict(
        exclude=[("us_role", r) for r in NOT_US if r != "intelligence"] + [("nato_path", "member")]
    ),
}


@pytest.mark.parametrize("case", list(WITHOUT), ids=list(WITHOUT))
def test_no_package_is_credible_without_what_the_article_requires(full: Explorer, case: str) -> None:
    assert full.cheapest(CREDIBLE, limit=1, **WITHOUT[case]) == []


FEASIBLE_WITHOUT = {
    "no Western guarantor": dict(exclude=[("guarantors", g) for g in WESTERN] + [("nato_path", "member")]),
    "guarantees left until after a ceasefire": dict(insist=[("sequencing", "ceasefire_first")]),
    "European-led, no US role": dict(insist=[("lead", "european")], exclude=[("us_role", r) for r in NOT_US]),
}


@pytest.mark.parametrize("case", list(FEASIBLE_WITHOUT), ids=list(FEASIBLE_WITHOUT))
def test_no_package_kyiv_or_the_coalition_would_refuse_is_feasible_now(full: Explorer, case: str) -> None:
    """Kyiv's guarantees-first stance and the Coalition's refusal of an "anti-American" format are stances too."""
    assert full.cheapest(FEASIBLE, limit=1, **FEASIBLE_WITHOUT[case]) == []


def test_the_cheapest_feasible_package_is_a_western_guarantee_agreed_first(full: Explorer) -> None:
    best = full.cheapest(FEASIBLE, limit=40)
    assert best
    for package in best:
        assert values(package, "guarantors") & set(WESTERN) or "member" in values(package, "nato_path")
        assert values(package, "sequencing") != {"ceasefire_first"}


def test_the_issues_old_optimum_is_not_credible(app: argmap.Argmap) -> None:
    """Turkey alone, US intelligence, unarmed monitors, a capped army, a ceasefire first (issue 12)."""
    old = argmap.Proposal(
        "old_optimum",
        "the optimiser's old cheapest credible package",
        "issue 12",
        (
            ("lead", "joint"),
            ("guarantors", "turkey"),
            ("us_role", "intelligence"),
            ("western_contingent", "monitors"),
            ("army_cap", "true"),
            ("sequencing", "ceasefire_first"),
        ),
    )
    verdict = app.check(old)
    assert not verdict["credible"].good
    assert {r.basis for r in verdict.reasons_for("credible") if r.effect == "con"} >= {
        "guaranteed_guarantees",
        "contingent_needed",
    }
